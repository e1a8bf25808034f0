package dev.conduit.ring;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A single-producer, single-consumer ring in the FastFlow style (as JCTools'
 * {@code SpscArrayQueue}): the slots themselves carry the hand-off. The consumer takes a slot
 * when it turns non-null and hands it back by nulling it; the producer writes a slot when it is
 * null, and looks a step ahead so that it checks the ring only once per step. Neither side
 * reads the other's index on the hot path, so the two cores share nothing but the slots being
 * handed over. The indices are kept (release stores) for {@link #size()} and {@link #isEmpty()}.
 *
 * <p>One thread may produce and one may consume at a time; see {@link RingBuffer} for the rules
 * and the capacity rounding.
 *
 * @param <E> the element type
 */
public final class SpscRing<E> extends RingPad2<E> {
    /** How far ahead the producer checks for free slots: a quarter of the ring, at most 4096. */
    private final int lookAhead;

    /**
     * A ring of at least {@code capacity} elements (rounded up to a power of two).
     *
     * @throws IllegalArgumentException if {@code capacity} is not in 2..2<sup>30</sup>
     */
    public SpscRing(int capacity) {
        super(capacity);
        lookAhead = Math.max(1, Math.min(capacity() / 4, 4096));
    }

    @Override
    public boolean offer(E e) {
        checkElement(e);
        long p = lpProducerIndex();
        if (p >= lpProducerLimit() && !roomAt(p)) return false;
        soSlot(slot(p), e);
        soProducerIndex(p + 1);
        return true;
    }

    /**
     * The producer has used up its known-free slots: if the slot a step ahead is free, all up to
     * it are (the consumer frees in order) and the limit moves there; otherwise whether at least
     * slot {@code p} is free.
     */
    private boolean roomAt(long p) {
        if (lvSlot(slot(p + lookAhead)) == null) {
            spProducerLimit(p + lookAhead);
            return true;
        }
        return lvSlot(slot(p)) == null;
    }

    @Override
    public E poll() {
        long c = lpConsumerIndex();
        int s = slot(c);
        E e = lvSlot(s);
        if (e == null) return null;
        soSlot(s, null); // hands the slot back to the producer
        soConsumerIndex(c + 1);
        return e;
    }

    @Override
    public E peek() {
        return lvSlot(slot(lpConsumerIndex()));
    }

    @Override
    public int drain(Consumer<? super E> consumer, int limit) {
        checkCallback(consumer, "consumer");
        checkLimit(limit);
        long c = lpConsumerIndex();
        int taken = 0;
        try {
            while (taken < limit) {
                int s = slot(c + taken);
                E e = lvSlot(s);
                if (e == null) break;
                soSlot(s, null);
                taken++;
                consumer.accept(e);
            }
        } finally {
            soConsumerIndex(c + taken); // what was taken stays taken, even if the consumer threw
        }
        return taken;
    }

    @Override
    public int fill(Supplier<? extends E> supplier, int limit) {
        checkCallback(supplier, "supplier");
        checkLimit(limit);
        long p = lpProducerIndex();
        int added = 0;
        try {
            while (added < limit) {
                if (p + added >= lpProducerLimit() && !roomAt(p + added)) break;
                soSlot(slot(p + added), checkElement(supplier.get()));
                added++;
            }
        } finally {
            soProducerIndex(p + added);
        }
        return added;
    }
}
