package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.chan.Select;
import java.io.PrintStream;
import java.time.Duration;

/** Wait for whichever answer comes first, or give up after a timeout. */
public final class SelectWithTimeout implements Sample {
    @Override
    public String title() {
        return "select with timeout";
    }

    /** A reply that arrives after {@code delay}. */
    static Channel<String> reply(String text, Duration delay) {
        Channel<String> ch = Channel.create(1);
        Go.go(() -> {
            ReceiveChannel.after(delay).receive();
            ch.send(text);
        });
        return ch;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Channel<String> fast = reply("fast mirror", Duration.ofMillis(10));
        Channel<String> slow = reply("slow mirror", Duration.ofSeconds(5));
        Select.create()
                .onReceive(fast, v -> out.println("first answer: " + v))
                .onReceive(slow, v -> out.println("first answer: " + v))
                .onTimeout(Duration.ofSeconds(2), () -> out.println("timed out"))
                .run();
        Select.create()
                .onReceive(slow, v -> out.println("slow answer: " + v))
                .onTimeout(Duration.ofMillis(50), () -> out.println("slow mirror: gave up after 50 ms"))
                .run();
    }

    public static void main(String[] args) throws Exception {
        new SelectWithTimeout().run(System.out);
    }
}
