package dev.conduit.samples;

import dev.conduit.context.Context;
import dev.conduit.context.CancelContext;
import dev.conduit.java.chan.Select;
import dev.conduit.java.chan.Ticker;
import java.io.PrintStream;
import java.time.Duration;

/** A worker that beats on a ticker until its Context's deadline, selecting on both. */
public final class Heartbeat implements Sample {
    @Override
    public String title() {
        return "a heartbeat on a ticker, until a deadline";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        int[] beats = {0};
        boolean[] done = {false};
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(300));
                Ticker ticker = Ticker.create(Duration.ofMillis(20))) {
            while (!done[0]) {
                Select.create()
                        .onReceive(ticker.channel(), t -> beats[0]++)
                        .onDone(ctx, () -> done[0] = true)
                        .run();
            }
        }
        out.println("heartbeat stopped at the deadline after at least 3 beats: " + (beats[0] >= 3));
    }

    public static void main(String[] args) throws Exception {
        new Heartbeat().run(System.out);
    }
}
