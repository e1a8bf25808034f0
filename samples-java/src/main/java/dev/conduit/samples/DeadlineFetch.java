package dev.conduit.samples;

import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import dev.conduit.java.ContextThreads;
import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.ReceiveChannel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A fetch bounded by a Context deadline: the fast fetch finishes, the slow one is abandoned
 * when the deadline passes, and the caller learns why.
 */
public final class DeadlineFetch implements Sample {
    @Override
    public String title() {
        return "a fetch bounded by a Context deadline";
    }

    /** A pretend remote call that answers after {@code latency}, or gives up when ctx is done. */
    static String fetch(Context ctx, String url, Duration latency) throws InterruptedException {
        Channel<String> response = Channel.create(1);
        // Ends with the context: Go.go treats ContextException as cancellation, not failure.
        Go.go(ctx, () -> {
            ReceiveChannel.after(latency).receive(ctx);
            response.send("200 OK from " + url);
        });
        return response.receive(ctx);
    }

    @Override
    public void run(PrintStream out) throws Exception {
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(200))) {
            out.println(fetch(ctx, "https://fast.example", Duration.ofMillis(5)));
            try {
                out.println(fetch(ctx, "https://slow.example", Duration.ofSeconds(10)));
            } catch (ContextException e) {
                out.println("slow fetch abandoned: " + e.getMessage());
            }
        }
        // Code that blocks in the JDK, not in Conduit, answers the deadline through an interrupt.
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(50));
                var scope = ContextThreads.interruptOnDone(ctx)) {
            new LinkedBlockingQueue<String>().take(); // a legacy blocking call
        } catch (InterruptedException e) {
            out.println("a JDK blocking call ended at the deadline: " + e.getClass().getSimpleName());
        }
    }

    public static void main(String[] args) throws Exception {
        new DeadlineFetch().run(System.out);
    }
}
