package dev.conduit.ring;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait strategy of a side with nothing to do: spin briefly (the other side is usually a few
 * hundred nanoseconds away), then yield the core, then park for growing times up to a
 * millisecond, so an idle reader or writer stops burning a core within a few microseconds.
 */
final class IdleWait {
    private static final int SPINS = 100;
    private static final int YIELDS = 100;
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final long deadline;
    private int rounds;
    private long parkNanos = 1_000;

    IdleWait(Duration timeout) {
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /**
     * Waits a little.
     *
     * @return false once the timeout has passed
     * @throws InterruptedException if the thread is interrupted
     */
    boolean idle() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (System.nanoTime() - deadline >= 0) return false;
        rounds++;
        if (rounds <= SPINS) {
            Thread.onSpinWait();
        } else if (rounds <= SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos * 2, MAX_PARK_NANOS);
        }
        return true;
    }
}
