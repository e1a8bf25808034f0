package dev.conduit.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A multi-producer, multi-consumer ring: Dmitry Vyukov's bounded MPMC queue (the scheme of
 * JCTools' {@code MpmcArrayQueue}). Each slot carries a sequence number that says whose turn it
 * is: equal to the producer index when the slot is free for that producer, to index + 1 when it
 * holds that index's element. Producers and consumers claim indices by CAS and hand the slot on
 * by a release store of its next sequence; nobody ever waits for a lock. A thread that has
 * claimed an index but not yet stored the sequence makes a thread at the same slot retry.
 *
 * <p>Any number of threads may produce and consume. See {@link RingBuffer}.
 *
 * @param <E> the element type
 */
public final class MpmcRing<E> extends RingPad2<E> {
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] sequences;

    /**
     * A ring of at least {@code capacity} elements (rounded up to a power of two).
     *
     * @throws IllegalArgumentException if {@code capacity} is not in 2..2<sup>30</sup>
     */
    public MpmcRing(int capacity) {
        super(capacity);
        sequences = new long[capacity()];
        for (int i = 0; i < sequences.length; i++) sequences[i] = i;
        VarHandle.releaseFence(); // the initial sequences are visible to any thread given this ring
    }

    private long lvSequence(int s) {
        return (long) SEQUENCE.getAcquire(sequences, s);
    }

    private void soSequence(int s, long value) {
        SEQUENCE.setRelease(sequences, s, value);
    }

    @Override
    public boolean offer(E e) {
        checkElement(e);
        long p = claim();
        if (p < 0) return false;
        publish(p, e);
        return true;
    }

    /** Claims the next producer index; returns it, or -1 if the ring is full. */
    private long claim() {
        long consumer = Long.MIN_VALUE; // read only when a slot looks taken, then kept for the call
        while (true) {
            long p = lvProducerIndex();
            long seq = lvSequence(slot(p));
            if (seq == p) {
                if (casProducerIndex(p, p + 1)) return p;
            } else if (seq < p && p - capacity() >= consumer && p - capacity() >= (consumer = lvConsumerIndex())) {
                return -1; // the slot still holds the element from a lap ago: full
            }
            // Otherwise another producer moved on, or a consumer is mid-poll of this slot: retry.
        }
    }

    /** Stores the element of claimed index {@code p} and hands the slot to its consumer. */
    private void publish(long p, Object e) {
        int s = slot(p);
        spSlot(s, e);
        soSequence(s, p + 1);
    }

    @Override
    public E poll() {
        long producer = Long.MIN_VALUE; // read only when a slot looks empty, then kept for the call
        while (true) {
            long c = lvConsumerIndex();
            int s = slot(c);
            long seq = lvSequence(s);
            if (seq == c + 1) {
                if (casConsumerIndex(c, c + 1)) {
                    Object e = lpSlot(s);
                    spSlot(s, null);
                    soSequence(s, c + capacity()); // frees the slot for the producer a lap ahead
                    if (e != SKIP) return cast(e);
                }
            } else if (seq < c + 1 && c >= producer && c >= (producer = lvProducerIndex())) {
                return null; // nothing produced at this index: empty
            }
            // Otherwise another consumer moved on, or a producer is mid-offer here: retry.
        }
    }

    @Override
    public E peek() {
        while (true) {
            long c = lvConsumerIndex();
            int s = slot(c);
            long seq = lvSequence(s);
            if (seq == c + 1) {
                Object e = lvSlot(s);
                if (e == SKIP) {
                    if (casConsumerIndex(c, c + 1)) { // consume the skipped slot, look again
                        spSlot(s, null);
                        soSequence(s, c + capacity());
                    }
                } else if (e != null && lvConsumerIndex() == c) {
                    return cast(e); // still the head when read
                }
            } else if (seq < c + 1 && c >= lvProducerIndex()) {
                return null;
            }
        }
    }

    @Override
    public int drain(Consumer<? super E> consumer, int limit) {
        checkCallback(consumer, "consumer");
        checkLimit(limit);
        int taken = 0;
        while (taken < limit) {
            E e = poll();
            if (e == null) break;
            taken++;
            consumer.accept(e);
        }
        return taken;
    }

    @Override
    public int fill(Supplier<? extends E> supplier, int limit) {
        checkCallback(supplier, "supplier");
        checkLimit(limit);
        int added = 0;
        while (added < limit) {
            long p = claim(); // claim first, so the supplier is only asked for what fits
            if (p < 0) break;
            E e;
            try {
                e = checkElement(supplier.get());
            } catch (RuntimeException | Error failure) {
                publish(p, SKIP);
                throw failure;
            }
            publish(p, e);
            added++;
        }
        return added;
    }
}
