package dev.conduit.java.chan;

import dev.conduit.java.Go;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a blocking call on its own thread and interrupts it once it is blocked. */
final class Interrupting {
    private Interrupting() {}

    /** What {@code call} threw after being interrupted while blocked (null if it returned). */
    static Throwable interruptWhileBlocked(Go.Task call) throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                call.run();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.start();
        awaitBlocked(t);
        t.interrupt();
        return outcome.get(10, TimeUnit.SECONDS);
    }

    /** Waits (bounded) until {@code t} parks: blocked in a channel call. */
    private static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) throw new AssertionError("thread never blocked: " + t.getState());
            Thread.onSpinWait();
        }
    }
}
