package dev.conduit.java;

import dev.conduit.context.Context;
import dev.conduit.java.chan.Channel;
import java.time.Duration;

/**
 * Run in a second JVM by {@link ContextThreadsTest}: works under {@link ContextThreads#untilShutdown}
 * until the JVM is told to stop, then drains and prints its summary. Argument: "drain" closes the
 * scope after the work (the normal program); "hang" never closes it (the drain bound must end it).
 */
public final class ShutdownProgram {
    private ShutdownProgram() {}

    public static void main(String[] args) throws Exception {
        boolean hang = args.length > 0 && args[0].equals("hang");
        var shutdown = ContextThreads.untilShutdown(Duration.ofMillis(hang ? 300 : 30_000));
        Context ctx = shutdown.context();
        Channel<Integer> never = Channel.create();
        System.out.println("working");
        System.out.flush();
        try {
            never.receive(ctx); // until the shutdown cancels the context
        } catch (RuntimeException done) {
            System.out.println("context done: " + ctx.getErr().getMessage() + " (" + ctx.getCause().getMessage() + ")");
        }
        if (hang) never.receive(); // never drains: blocks until the JVM is stopped at the drain bound
        System.out.println("summary: drained");
        System.out.flush();
        shutdown.close();
    }
}
