package dev.conduit.chan.spi;

import org.jspecify.annotations.Nullable;

/**
 * One waiting operation on one channel: a send (with the element it offers) or a receive, queued
 * in that channel's {@link WaitQueue}. A blocking or suspending send or receive is one entry; a
 * select waiting on n cases is n entries of one waiter, and only one of them can be claimed.
 *
 * <p>For implementers of channel kinds ({@link ChannelSource}): a kind queues the entries that
 * {@code select} and the blocking operations hand to it, and completes one by {@link #claim}ing
 * it, with the channel's lock held. Users of channels never see entries.
 */
public abstract class WaitEntry {
    /** The channel whose queue holds this entry; its lock guards the links below. */
    final ChannelLock source;

    private final boolean send;
    private final Object element;

    /** What the operation returns, written by the claimer: a received value, {@link Poll#SENT}, {@link Poll#CLOSED}. */
    Object result;

    WaitEntry prev;
    WaitEntry next;
    WaitQueue queue;

    WaitEntry(ChannelLock source, boolean send, Object element) {
        this.source = source;
        this.send = send;
        this.element = element;
    }

    /** The waiter this entry belongs to: itself for a single operation, the select's otherwise. */
    abstract Waiter waiter();

    /** Which case of its select this is (0 for a single operation). */
    abstract int caseIndex();

    /** Whether this entry waits to send ({@link #element()} is its value) rather than to receive. */
    public final boolean isSend() {
        return send;
    }

    /** The value a send entry offers; {@code null} for a receive entry (and for a sent null). */
    public final Object element() {
        return element;
    }

    /**
     * Completes this entry's operation with {@code result}, if its waiter is still waiting: for a
     * receive entry the received value (or {@link Poll#CLOSED}), for a send entry
     * {@link Poll#SENT} (the caller then takes {@link #element()}) or {@link Poll#CLOSED}; a received
     * value may be null (a Kotlin {@code Chan<T?>}). Call it
     * with this entry's channel locked and the entry already out of its queue. A parked thread or
     * a future wakes when that lock is released; a suspended coroutine is resumed at once (so
     * that its own cancellation and this claim cannot both win), and once dispatched its code may
     * run on its own thread before the release: whatever the woken operation reads must be in
     * place before the claim, not written after it under the lock.
     *
     * @return {@code true} if the operation is now complete; {@code false} if the waiter was
     *     already decided (another case of its select, a cancellation, a timeout): nothing
     *     happened, skip to the next entry.
     */
    public final boolean claim(@Nullable Object result) {
        this.result = result;
        Waiter w = waiter();
        if (!w.decide(this)) return false;
        switch (w.commit(this)) {
            case Waiter.WAKE:
                source.wakeAfterUnlock(w);
                return true;
            case Waiter.DONE:
                return true;
            default:
                return false;
        }
    }

    /** Whether this entry is in a queue now. Lock held. */
    public final boolean isQueued() {
        return queue != null;
    }
}
