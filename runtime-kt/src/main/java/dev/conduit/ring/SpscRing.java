package dev.conduit.ring;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A single-producer, single-consumer ring (Lamport's queue with cached indices, as in JCTools'
 * {@code SpscArrayQueue} and FastFlow): the producer re-reads the consumer index only when it
 * runs into its cached limit, the consumer re-reads the producer index only when it catches up
 * with its cached copy, and each publishes its own index with a release store. No CAS anywhere.
 *
 * <p>One thread may produce and one may consume at a time; see {@link RingBuffer} for the rules
 * and the capacity rounding.
 *
 * @param <E> the element type
 */
public final class SpscRing<E> extends RingPad2<E> {
    /**
     * A ring of at least {@code capacity} elements (rounded up to a power of two).
     *
     * @throws IllegalArgumentException if {@code capacity} is not in 2..2<sup>30</sup>
     */
    public SpscRing(int capacity) {
        super(capacity);
    }

    @Override
    public boolean offer(E e) {
        checkElement(e);
        long p = lpProducerIndex();
        if (p >= lpProducerLimit() && !refreshLimit(p, 1)) return false;
        spSlot(slot(p), e);
        soProducerIndex(p + 1); // publishes the slot
        return true;
    }

    /** Re-reads the consumer; whether {@code n} more elements from {@code p} now fit. */
    private boolean refreshLimit(long p, int n) {
        long limit = lvConsumerIndex() + capacity();
        spProducerLimit(limit);
        return p + n <= limit;
    }

    @Override
    public E poll() {
        long c = lpConsumerIndex();
        if (c >= producerIndexCache) {
            long p = lvProducerIndex();
            if (c >= p) return null;
            producerIndexCache = p;
        }
        int s = slot(c);
        E e = lpSlot(s);
        spSlot(s, null);
        soConsumerIndex(c + 1); // hands the slot back
        return e;
    }

    @Override
    public E peek() {
        long c = lpConsumerIndex();
        if (c >= producerIndexCache) {
            long p = lvProducerIndex();
            if (c >= p) return null;
            producerIndexCache = p;
        }
        return lpSlot(slot(c));
    }

    @Override
    public int drain(Consumer<? super E> consumer, int limit) {
        checkLimit(limit);
        long c = lpConsumerIndex();
        long available = lvProducerIndex() - c;
        int n = (int) Math.min(limit, available);
        int taken = 0;
        try {
            while (taken < n) {
                int s = slot(c + taken);
                E e = lpSlot(s);
                spSlot(s, null);
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
        checkLimit(limit);
        long p = lpProducerIndex();
        long room = lvConsumerIndex() + capacity() - p;
        int n = (int) Math.min(limit, room);
        int added = 0;
        try {
            while (added < n) {
                spSlot(slot(p + added), checkElement(supplier.get()));
                added++;
            }
        } finally {
            soProducerIndex(p + added); // publishes every slot written, even if the supplier failed
        }
        return added;
    }
}
