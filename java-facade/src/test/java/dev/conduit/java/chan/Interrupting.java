package dev.conduit.java.chan;

import dev.conduit.java.Go;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs a blocking call on its own thread and interrupts it once it is blocked. */
public final class Interrupting {
    private Interrupting() {}

    /**
     * A blocking call running on its own thread: {@code outcome} completes with what it threw,
     * or with null if it returned.
     */
    public record Call(Thread thread, CompletableFuture<Throwable> outcome) {
        /** What the call threw (null if it returned), waiting for it at most 10 s. */
        public Throwable result() throws Exception {
            return outcome.get(10, TimeUnit.SECONDS);
        }
    }

    /** Starts {@code call} on a new thread and returns at once. */
    public static Call start(Go.Task call) {
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
        return new Call(t, outcome);
    }

    /** Starts {@code call} on a new thread and returns once that thread is blocked in it. */
    public static Call blocked(Go.Task call) {
        Call c = start(call);
        awaitBlocked(c.thread());
        return c;
    }

    /** What {@code call} threw after being interrupted while blocked (null if it returned). */
    public static Throwable interruptWhileBlocked(Go.Task call) throws Exception {
        return interruptWhileBlocked(new CountDownLatch(0), call);
    }

    /**
     * What {@code call} threw after being interrupted while blocked (null if it returned), the
     * interrupt coming only once {@code ready} is open as well: for a call whose thread blocks
     * before the work it waits for has started elsewhere.
     */
    public static Throwable interruptWhileBlocked(CountDownLatch ready, Go.Task call) throws Exception {
        Call c = start(call);
        if (!ready.await(10, TimeUnit.SECONDS)) throw new AssertionError("never ready");
        awaitBlocked(c.thread());
        c.thread().interrupt();
        return c.result();
    }

    /**
     * A task that blocks on a channel nobody sends to until its thread is interrupted, then
     * rethrows the {@link InterruptedException}: for checking that cancelling something
     * interrupts the task it runs.
     */
    public static final class Blocker implements Go.Task {
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch interrupted = new CountDownLatch(1);

        @Override
        public void run() throws InterruptedException {
            started.countDown();
            try {
                dev.conduit.java.chan.Channel.create().receive();
            } catch (InterruptedException stop) {
                interrupted.countDown();
                throw stop;
            }
        }

        /** Whether the task started within 10 s. */
        public boolean started() throws InterruptedException {
            return started.await(10, TimeUnit.SECONDS);
        }

        /** Whether the task's blocking receive was interrupted within 10 s. */
        public boolean interrupted() throws InterruptedException {
            return interrupted.await(10, TimeUnit.SECONDS);
        }
    }

    /** Waits (bounded) until {@code t} parks: blocked in a channel call. */
    public static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline) throw new AssertionError("thread never blocked: " + t.getState());
            Thread.onSpinWait();
        }
    }
}
