package dev.conduit.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * What every ring shares: the element array, its mask, the slot accessors with their memory
 * order in their names (JCTools' convention: {@code lv}/{@code lp} load volatile-acquire/plain,
 * {@code so}/{@code sp} store ordered-release/plain), capacity rounding, and the collection
 * methods that follow from {@code offer}/{@code poll}/{@code peek}.
 */
abstract class RingBase<E> extends AbstractQueue<E> implements RingBuffer<E> {
    static final int MAX_CAPACITY = 1 << 30;

    /**
     * Written into a slot a producer claimed in {@code fill} when the supplier failed: a claimed
     * slot must always be written, or consumers would wait for it forever. Consumers skip it.
     */
    static final Object SKIP = new Object();
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    final Object[] buffer;
    final int mask;

    RingBase(int requested) {
        if (requested < 2 || requested > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 2.." + MAX_CAPACITY + ", but was " + requested);
        }
        int capacity = Integer.highestOneBit(requested - 1) << 1;
        buffer = new Object[capacity];
        mask = capacity - 1;
    }

    @Override
    public final int capacity() {
        return mask + 1;
    }

    final int slot(long index) {
        return (int) index & mask;
    }

    @SuppressWarnings("unchecked")
    final E lvSlot(int slot) {
        return (E) SLOT.getAcquire(buffer, slot);
    }

    @SuppressWarnings("unchecked")
    final E lpSlot(int slot) {
        return (E) buffer[slot];
    }

    /** An element read from a slot (not {@link #SKIP}) as the element type; null stays null. */
    @SuppressWarnings("unchecked")
    final E cast(Object e) {
        return (E) e;
    }

    final void soSlot(int slot, Object value) {
        SLOT.setRelease(buffer, slot, value);
    }

    final void spSlot(int slot, Object value) {
        buffer[slot] = value;
    }

    /** The producer's index, read with acquire order. */
    abstract long lvProducerIndex();

    /** The consumer's index, read with acquire order. */
    abstract long lvConsumerIndex();

    @Override
    public int size() {
        // Read the consumer first: the result can then only overstate, and is clamped.
        while (true) {
            long before = lvConsumerIndex();
            long producer = lvProducerIndex();
            long after = lvConsumerIndex();
            if (before == after) {
                long size = producer - after;
                return (int) Math.max(0, Math.min(size, capacity()));
            }
        }
    }

    @Override
    public boolean isEmpty() {
        return lvConsumerIndex() >= lvProducerIndex();
    }

    static void checkLimit(int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, but was " + limit);
    }

    /** The batch operations' callback, refused by name if null. */
    static <F> F checkCallback(F callback, String name) {
        return Objects.requireNonNull(callback, name + " must not be null");
    }

    static <E> E checkElement(E e) {
        return Objects.requireNonNull(e, "element must not be null");
    }

    /** A snapshot of the elements between the consumer and producer indices, oldest first. */
    @Override
    public Iterator<E> iterator() {
        List<E> snapshot = new ArrayList<>();
        long consumer = lvConsumerIndex();
        long producer = lvProducerIndex();
        for (long i = consumer; i < producer; i++) {
            E e = lvSlot(slot(i));
            if (e != null && e != SKIP) snapshot.add(e);
        }
        Iterator<E> it = snapshot.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public E next() {
                return it.next();
            }
        };
    }
}
