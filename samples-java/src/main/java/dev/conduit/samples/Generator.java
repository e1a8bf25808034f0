package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.ReceiveChannel;
import java.io.PrintStream;
import java.util.stream.Collectors;

/** A goroutine that yields Fibonacci numbers into a channel and closes it when done. */
public final class Generator implements Sample {
    @Override
    public String title() {
        return "a generator";
    }

    /** Returns a channel that yields the first {@code n} Fibonacci numbers, then closes. */
    static ReceiveChannel<Long> fibonacci(int n) {
        Channel<Long> out = Channel.create();
        Go.go(() -> {
            long a = 0;
            long b = 1;
            try {
                for (int i = 0; i < n; i++) {
                    out.send(a);
                    long next = a + b;
                    a = b;
                    b = next;
                }
            } finally {
                out.close();
            }
        });
        return out;
    }

    @Override
    public void run(PrintStream out) {
        String values = fibonacci(12).stream().map(String::valueOf).collect(Collectors.joining(" "));
        out.println("fibonacci: " + values);
    }

    public static void main(String[] args) {
        new Generator().run(System.out);
    }
}
