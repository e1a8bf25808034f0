package dev.conduit.chan.spi;

import java.util.Objects;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A first-in, first-out queue of {@link WaitEntry}s, linked through the entries themselves, so
 * adding and removing (from anywhere, for a withdrawn waiter) cost O(1) and allocate nothing.
 * Every method must be called with the owning channel's lock held.
 *
 * <p>For implementers of channel kinds ({@link ChannelSource}).
 */
public final class WaitQueue {
    private WaitEntry head;
    private WaitEntry tail;
    private int size;

    /** Makes an empty queue. */
    public WaitQueue() {}

    /**
     * Adds {@code e} at the tail.
     *
     * @throws IllegalStateException if {@code e} is already in a queue
     */
    public void add(WaitEntry e) {
        if (e.queue != null) throw new IllegalStateException("entry is already queued");
        e.queue = this;
        e.prev = tail;
        e.next = null;
        if (tail == null) head = e;
        else tail.next = e;
        tail = e;
        size++;
    }

    /** Removes {@code e} if it is in this queue; says whether it was. */
    public boolean remove(WaitEntry e) {
        if (e.queue != this) return false;
        WaitEntry p = e.prev;
        WaitEntry n = e.next;
        if (p == null) head = n;
        else p.next = n;
        if (n == null) tail = p;
        else n.prev = p;
        e.prev = null;
        e.next = null;
        e.queue = null;
        size--;
        return true;
    }

    /** The oldest entry, or null; it stays queued. */
    public WaitEntry peek() {
        return head;
    }

    /**
     * Removes entries from the head until one is {@link WaitEntry#claim claimed} with
     * {@code result}, and returns it; entries whose waiters were already decided are dropped on
     * the way (their own withdrawal no longer finds them, which it allows). Null if none was.
     * {@code result} may be null: a received null element (a Kotlin {@code Chan<T?>}).
     */
    public WaitEntry claimFirst(@Nullable Object result) {
        WaitEntry e;
        while ((e = head) != null) {
            remove(e);
            if (e.claim(result)) return e;
        }
        return null;
    }

    /** Claims every entry with {@code result} (closing a channel), emptying the queue. */
    public void claimAll(@Nullable Object result) {
        WaitEntry e;
        while ((e = head) != null) {
            remove(e);
            e.claim(result);
        }
    }

    /**
     * Calls {@code action} with each queued entry, oldest first (including ones whose waiters
     * were decided but not yet removed); {@code action} must not change the queue.
     *
     * @throws NullPointerException if {@code action} is null
     */
    public void forEach(Consumer<? super WaitEntry> action) {
        Objects.requireNonNull(action, "action");
        for (WaitEntry e = head; e != null; e = e.next) action.accept(e);
    }

    /** Whether no entry waits. */
    public boolean isEmpty() {
        return head == null;
    }

    /** How many entries wait, including ones whose waiters were decided but not yet removed. */
    public int size() {
        return size;
    }
}
