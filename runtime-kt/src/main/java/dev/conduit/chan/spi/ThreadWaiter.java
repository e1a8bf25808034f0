package dev.conduit.chan.spi;

import java.util.concurrent.locks.LockSupport;

/**
 * A waiter that is a blocked thread: it spins briefly (a hand-off often arrives within
 * microseconds), then parks. Parking a virtual thread unmounts it, so this costs a carrier
 * nothing while it waits.
 */
final class ThreadWaiter extends Waiter {
    /** {@link #await} results that are not decisions: the caller must withdraw. */
    static final Object INTERRUPTED = new Poll.Symbol("INTERRUPTED");
    static final Object DEADLINE = new Poll.Symbol("DEADLINE");

    private final Thread thread = Thread.currentThread();

    ThreadWaiter(ChannelLock source, boolean send, Object element) {
        super(source, send, element);
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
     * withdraw. Spins {@code spins} times first.
     */
    Object await(boolean hasDeadline, long deadline, int spins) {
        Object s;
        for (int i = 0; i < spins; i++) {
            if ((s = state) != null) return s;
            Thread.onSpinWait();
        }
        while ((s = state) == null) {
            if (Thread.interrupted()) return INTERRUPTED;
            if (hasDeadline) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return DEADLINE;
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
        }
        return s;
    }
}
