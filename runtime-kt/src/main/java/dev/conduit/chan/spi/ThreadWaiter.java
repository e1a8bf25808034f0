package dev.conduit.chan.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.locks.LockSupport;

/**
 * A waiter that is a blocked thread: a platform thread spins briefly (a hand-off often arrives
 * within microseconds), then parks. A virtual thread parks at once: parking unmounts it, which
 * costs about what the spin would, and the partner it waits for is often a virtual thread queued
 * on its own carrier (the one it has just woken, say), which a spin only keeps waiting
 * ({@code LinkedTransferQueue}, behind {@code SynchronousQueue}, skips its spin on a carrier with
 * queued work for the same reason; the JDK's test for that is not public). A
 * {@link ForkJoinPool} worker (a parallel stream's, or the common pool's under
 * {@code CompletableFuture.supplyAsync}) parks through
 * {@link ForkJoinPool#managedBlock}, as {@code CompletableFuture.get} does, so that the pool
 * can start a compensating worker instead of starving the task that would wake it.
 */
final class ThreadWaiter extends Waiter {
    /** {@link #await} results that are not decisions: the caller must withdraw. */
    static final Object INTERRUPTED = new Poll.Symbol("INTERRUPTED");
    static final Object DEADLINE = new Poll.Symbol("DEADLINE");

    /** {@code Thread::isVirtual} (JDK 21+), or null on a JDK without virtual threads. */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final Thread thread = Thread.currentThread();

    ThreadWaiter(ChannelLock source, boolean send, Object element) {
        super(source, send, element);
    }

    /** The thread that waits. */
    Thread thread() {
        return thread;
    }

    @Override
    int commit(WaitEntry claimed) {
        return WAKE;
    }

    @Override
    void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    void withdrawn() {
        LockSupport.unpark(thread);
    }

    /**
     * Waits until decided and returns the decision, or returns {@link #INTERRUPTED} (the flag is
     * cleared) or {@link #DEADLINE} (when {@code deadline}, a {@link System#nanoTime} value, has
     * passed; {@code hasDeadline} false waits without one), undecided, for the caller to
     * withdraw. Spins {@code spins} times first, unless the thread is virtual.
     */
    Object await(boolean hasDeadline, long deadline, int spins) {
        Object s;
        if (spins > 0 && isVirtual(thread)) spins = 0;
        for (int i = 0; i < spins; i++) {
            if ((s = state) != null) return s;
            Thread.onSpinWait();
        }
        if (Thread.currentThread() instanceof ForkJoinWorkerThread) return awaitManaged(hasDeadline, deadline);
        while ((s = state) == null) {
            Object stop = parkOnce(hasDeadline, deadline);
            if (stop != null) return stop;
        }
        return s;
    }

    /**
     * Parks once, unless the thread is interrupted ({@link #INTERRUPTED}, flag cleared) or the
     * deadline has passed ({@link #DEADLINE}); null after a park (look at the state again).
     */
    private Object parkOnce(boolean hasDeadline, long deadline) {
        if (Thread.interrupted()) return INTERRUPTED;
        if (hasDeadline) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return DEADLINE;
            LockSupport.parkNanos(this, left);
        } else {
            LockSupport.park(this);
        }
        return null;
    }

    /** {@link #await}'s parking on a fork-join worker, inside {@link ForkJoinPool#managedBlock}. */
    private Object awaitManaged(boolean hasDeadline, long deadline) {
        Object[] outcome = new Object[1];
        ForkJoinPool.ManagedBlocker blocker = new ForkJoinPool.ManagedBlocker() {
            @Override
            public boolean block() {
                if (isReleasable()) return true;
                Object stop = parkOnce(hasDeadline, deadline);
                if (stop == null) return isReleasable();
                outcome[0] = stop;
                return true;
            }

            @Override
            public boolean isReleasable() {
                Object s = state;
                if (s == null) return false;
                outcome[0] = s;
                return true;
            }
        };
        try {
            ForkJoinPool.managedBlock(blocker);
        } catch (InterruptedException e) {
            return INTERRUPTED; // block() never throws; kept for the checked signature
        }
        return outcome[0];
    }

    private static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) return false;
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            throw new AssertionError("Thread.isVirtual cannot fail", e);
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17-20: every thread is a platform thread
        }
    }
}
