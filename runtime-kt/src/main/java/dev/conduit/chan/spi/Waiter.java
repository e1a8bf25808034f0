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

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile Object state;

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
