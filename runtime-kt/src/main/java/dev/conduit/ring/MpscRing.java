package dev.conduit.ring;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A multi-producer, single-consumer ring (JCTools' {@code MpscArrayQueue} scheme): producers
 * claim indices by CAS, checking the consumer only when they reach a shared cached limit, then
 * publish each element with a release store into its slot; the consumer finds an element by its
 * slot turning non-null. A producer that has claimed a slot but not yet written it makes
 * {@link #poll} wait for that one store (a few instructions), never for a lock.
 *
 * <p>Any number of threads may produce; one may consume at a time. See {@link RingBuffer}.
 *
 * @param <E> the element type
 */
public final class MpscRing<E> extends RingPad2<E> {
    /**
     * A ring of at least {@code capacity} elements (rounded up to a power of two).
     *
     * @throws IllegalArgumentException if {@code capacity} is not in 2..2<sup>30</sup>
     */
    public MpscRing(int capacity) {
        super(capacity);
    }

    @Override
    public boolean offer(E e) {
        checkElement(e);
        long p = claim(1);
        if (p < 0) return false;
        soSlot(slot(p), e);
        return true;
    }

    /** Claims exactly {@code n} consecutive indices; returns the first, or -1 if they do not fit. */
    private long claim(int n) {
        long limit = lvProducerLimit();
        while (true) {
            long p = lvProducerIndex();
            if (p + n > limit) {
                limit = lvConsumerIndex() + capacity();
                soProducerLimit(limit);
                if (p + n > limit) return -1;
            }
            if (casProducerIndex(p, p + n)) return p;
        }
    }

    @Override
    public E poll() {
        Object e = head();
        if (e != null) consume(lpConsumerIndex());
        return cast(e);
    }

    @Override
    public E peek() {
        return cast(head());
    }

    /**
     * The element at the head, left in place; null if the ring is empty. Slots a failed
     * {@code fill} skipped are consumed on the way.
     */
    private Object head() {
        while (true) {
            long c = lpConsumerIndex();
            int s = slot(c);
            Object e = lvSlot(s);
            if (e == null) {
                if (c == lvProducerIndex()) return null;
                e = awaitWrite(s);
            }
            if (e != SKIP) return e;
            consume(c);
        }
    }

    /** Frees the head slot (index {@code c}) for the producers. */
    private void consume(long c) {
        spSlot(slot(c), null);
        soConsumerIndex(c + 1);
    }

    /** The slot was claimed but not yet written: wait for the producer's store. */
    private Object awaitWrite(int s) {
        Object e;
        do {
            Thread.onSpinWait();
            e = lvSlot(s);
        } while (e == null);
        return e;
    }

    @Override
    public int drain(Consumer<? super E> consumer, int limit) {
        checkCallback(consumer, "consumer");
        checkLimit(limit);
        long c = lpConsumerIndex();
        long next = c;
        int taken = 0;
        try {
            while (taken < limit) {
                int s = slot(next);
                Object e = lvSlot(s);
                if (e == null) break; // empty, or the next producer is mid-offer: stop here
                spSlot(s, null);
                next++;
                if (e == SKIP) continue;
                taken++;
                consumer.accept(cast(e));
            }
        } finally {
            soConsumerIndex(next); // what was taken stays taken, even if the consumer threw
        }
        return taken;
    }

    @Override
    public int fill(Supplier<? extends E> supplier, int limit) {
        checkCallback(supplier, "supplier");
        checkLimit(limit);
        long p;
        int n;
        do {
            n = (int) Math.min(limit, lvConsumerIndex() + capacity() - lvProducerIndex());
            if (n <= 0) return 0;
            p = claim(n);
        } while (p < 0);
        int added = 0;
        try {
            for (; added < n; added++) soSlot(slot(p + added), checkElement(supplier.get()));
        } finally {
            for (int i = added; i < n; i++) soSlot(slot(p + i), SKIP); // never leave a claimed slot empty
        }
        return added;
    }
}
