package dev.conduit.chan.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lock that guards one channel's state, with the rule every channel kind follows: a waiter
 * decided (claimed) while the lock is held is woken only after {@link #unlock()} releases it, so
 * no waiting thread is unparked and no future completed while a Conduit lock is held. (A
 * suspended coroutine is the exception: a claim resumes it at once, and a dispatcher may run it
 * before the release; see {@link WaitEntry#claim}.)
 *
 * <p>A test-and-test-and-set spin lock: critical sections are a few field updates and never
 * block, so a contended {@link #lock()} spins briefly, then yields its thread until the holder is
 * done. It is not reentrant. {@link #lockOrder()} is a unique, increasing number per lock: a
 * select locks all its channels in that order (Go's {@code selectgo} sorts by channel address,
 * which the JVM does not keep stable), so two selects never wait for each other.
 *
 * <p>For implementers of channel kinds ({@link ChannelSource}); users of channels never call it.
 */
public abstract class ChannelLock {
    private static final AtomicLong ORDER = new AtomicLong();

    /** Spins before yielding: enough to cover a critical section, short enough not to burn a core. */
    private static final int SPINS = 64;

    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(ChannelLock.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long lockOrder = ORDER.incrementAndGet();

    @SuppressWarnings("unused") // accessed through LOCKED
    private volatile int locked;

    /** Diagnostics only: whether {@code BlockedWaits} looks at this channel's queue (set once, while detection is on). */
    boolean watched;

    /** Waiters decided under the lock, woken after it is released; a list through {@link Waiter#nextWake()}. */
    private Waiter wakes;

    /** Makes an unlocked lock with the next lock-order number. Never blocks. */
    protected ChannelLock() {}

    /** This lock's place in the global lock order: unique, fixed for the lock's lifetime. */
    public final long lockOrder() {
        return lockOrder;
    }

    /** Takes the lock, spinning then yielding while another thread holds it. Not reentrant. */
    public final void lock() {
        if (!LOCKED.weakCompareAndSetAcquire(this, 0, 1)) lockContended();
    }

    private void lockContended() {
        int spins = 0;
        while (true) {
            if ((int) LOCKED.getOpaque(this) == 0 && LOCKED.compareAndSet(this, 0, 1)) return;
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * Releases the lock, then wakes the waiters that were decided while it was held. Never
     * blocks; the wakes run on this thread after the release (unparking a thread, completing a
     * future and whatever that future's dependents do).
     */
    public final void unlock() {
        Waiter w = wakes;
        if (w == null) {
            LOCKED.setRelease(this, 0);
            return;
        }
        wakes = null;
        LOCKED.setRelease(this, 0);
        Waiter.wakeAll(w);
    }

    /**
     * Releases the lock and hands back the waiters to wake instead of waking them, for a select
     * that holds several locks and must release all of them before it wakes anybody.
     */
    final Waiter unlockDeferringWakes() {
        Waiter w = wakes;
        wakes = null;
        LOCKED.setRelease(this, 0);
        return w;
    }

    /** Schedules {@code w} to be woken after this lock is released. Lock held. */
    final void wakeAfterUnlock(Waiter w) {
        w.setNextWake(wakes);
        wakes = w;
    }
}
