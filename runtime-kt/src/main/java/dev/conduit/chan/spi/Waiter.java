package dev.conduit.chan.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A party waiting for one or more channel operations: a suspended coroutine, a parked thread or
 * a pending future. Its {@link #state} is the one decision point: {@code null} while it waits,
 * then, set once by compare-and-set, either the entry that completed it (a claim) or the reason
 * it stopped waiting ({@link #CANCELLED}, {@link #TIMED_OUT}, {@link #ABORTED}). A withdrawal
 * and a claim race for that one CAS; the loser adapts: a claimer skips to the next entry, a
 * withdrawer that lost takes the completed result.
 */
abstract class Waiter extends WaitEntry {
    /** The waiter gave up: interrupted, its coroutine or future cancelled. */
    static final Object CANCELLED = new Poll.Symbol("CANCELLED");

    /** Its deadline passed. */
    static final Object TIMED_OUT = new Poll.Symbol("TIMED_OUT");

    /** Its {@code Context} is done. */
    static final Object ABORTED = new Poll.Symbol("ABORTED");

    /** Claimed, but its coroutine had been cancelled first: the claim did not happen. */
    static final Object FAILED = new Poll.Symbol("FAILED");

    /** {@link #commit} results. */
    static final int WAKE = 0;
    static final int DONE = 1;
    static final int FAILED_COMMIT = 2;

    private static final VarHandle STATE;
    private static final VarHandle BLOCKED_ON;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Waiter.class, "state", Object.class);
            BLOCKED_ON = l.findVarHandle(Waiter.class, "blockedOn", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile Object state;

    /**
     * Diagnostics only, written once while detection is on: what this wait is on (its
     * {@link ChannelSource}, or a select's registration); null until recorded. Published by a
     * release store after {@link #timed} and {@link #blockedSinceTicks}, so a reader that sees
     * it sees them.
     */
    @SuppressWarnings("unused") // written through BLOCKED_ON
    private volatile Object blockedOn;

    /** Diagnostics only: when the wait began, a stamp of {@code BlockedWaits.coarseTicks}. */
    int blockedSinceTicks;

    /** Diagnostics only: a timeout or a context deadline bounds the wait, so a timer will end it. */
    boolean timed;

    /** A waiter for one operation on {@code source} (null for a select): it is its own entry. */
    Waiter(ChannelLock source, boolean send, Object element) {
        super(source, send, element);
    }

    @Override
    final Waiter waiter() {
        return this;
    }

    @Override
    final int caseIndex() {
        return 0;
    }

    /**
     * Records, for diagnostics, that this wait is on {@code what} since {@code sinceTicks}
     * ({@link #timed} set before). Once per wait, by its own party, after it is queued.
     */
    final void recordBlocked(Object what, int sinceTicks) {
        this.blockedSinceTicks = sinceTicks;
        BLOCKED_ON.setRelease(this, what);
    }

    /** What {@link #recordBlocked} recorded, or null (not recorded: detection off, not a party, not yet). */
    final Object blockedOn() {
        return blockedOn;
    }

    /** Decides the waiter: {@code null -> to}. Exactly one decide succeeds. */
    final boolean decide(Object to) {
        return STATE.compareAndSet(this, null, to);
    }

    /** Marks a claim whose coroutine turned out to be cancelled. Lock held. */
    final void fail() {
        state = FAILED;
    }

    /**
     * Makes a claim final, with the claimed entry's channel locked: {@link #WAKE} (wake after the
     * unlock), {@link #DONE} (nothing more to do), or {@link #FAILED_COMMIT} (a coroutine that was
     * cancelled before the claim could resume it; the state is then {@link #FAILED}).
     */
    abstract int commit(WaitEntry claimed);

    /** Wakes the waiter after a claim's {@link #WAKE}; no lock held. */
    abstract void wake();

    /** Tells the waiter, no lock held, that another party withdrew it (a timeout, its context). */
    abstract void withdrawn();

    /**
     * The next waiter in a lock's list of waiters to wake after its release. A decided waiter is
     * out of every queue, so its queue link serves as that list's link (one field less per wait).
     */
    final Waiter nextWake() {
        return (Waiter) next;
    }

    final void setNextWake(Waiter w) {
        next = w;
    }

    static void wakeAll(Waiter w) {
        while (w != null) {
            Waiter next = w.nextWake();
            w.setNextWake(null);
            w.wake();
            w = next;
        }
    }
}
