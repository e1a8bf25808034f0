package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.ReceiveChannel;
import java.io.PrintStream;
import java.util.function.LongUnaryOperator;

/**
 * Three stages joined by channels: generate numbers, square them, sum them. Each stage closes
 * its output when its input is drained, so the end of the data flows down the pipeline.
 */
public final class Pipeline implements Sample {
    @Override
    public String title() {
        return "a three-stage pipeline";
    }

    static ReceiveChannel<Long> numbers(long upTo) {
        Channel<Long> out = Channel.create(8);
        Go.go(() -> {
            try {
                for (long i = 1; i <= upTo; i++) out.send(i);
            } finally {
                out.close();
            }
        });
        return out;
    }

    static ReceiveChannel<Long> map(ReceiveChannel<Long> in, LongUnaryOperator f) {
        Channel<Long> out = Channel.create(8);
        Go.go(() -> {
            try {
                for (long v : in) out.send(f.applyAsLong(v));
            } finally {
                out.close();
            }
        });
        return out;
    }

    @Override
    public void run(PrintStream out) {
        long sum = map(numbers(100), v -> v * v).stream().mapToLong(Long::longValue).sum();
        out.println("sum of squares 1..100 = " + sum);
    }

    public static void main(String[] args) {
        new Pipeline().run(System.out);
    }
}
