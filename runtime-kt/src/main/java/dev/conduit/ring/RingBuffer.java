package dev.conduit.ring;

import java.util.Queue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bounded, lock-free ring buffer: a {@link Queue} of non-null elements with a fixed capacity,
 * in three variants that state their guarantee in their name:
 *
 * <ul>
 *   <li>{@link SpscRing}: one producer thread and one consumer thread;
 *   <li>{@link MpscRing}: any number of producer threads, one consumer thread;
 *   <li>{@link MpmcRing}: any number of producers and consumers.
 * </ul>
 *
 * <p>Calling a single-producer method from two threads at once, or a single-consumer method from
 * two threads at once, breaks the queue; the variants do not check it (that would cost the
 * speed they exist for). Which methods are producer methods: {@link #offer}, {@link #push},
 * {@link #add}, {@link #fill}; consumer methods: {@link #poll}, {@link #pop}, {@link #remove()},
 * {@link #drain}, {@link #peek}, {@link #clear}. {@link #size} and {@link #isEmpty} may be called
 * from any thread and are exact only when the queue is quiescent.
 *
 * <p><b>Capacity.</b> The requested capacity is rounded up to the next power of two (so an index
 * maps to a slot with a mask, not a division); {@link #capacity()} says what was allocated.
 * Capacities below 2 or above 2<sup>30</sup> are refused with {@link IllegalArgumentException}.
 *
 * <p>No method blocks, and none takes a lock. {@code null} elements are refused with
 * {@link NullPointerException}. The iterator is a weakly consistent snapshot and does not
 * support {@code remove}.
 *
 * @param <E> the element type
 */
public interface RingBuffer<E> extends Queue<E> {
    /** The number of elements the ring holds when full (a power of two). */
    int capacity();

    /**
     * Adds {@code e} if there is room: the exercise's name for {@link #offer}. Never blocks.
     *
     * @return whether it was added (false: full)
     * @throws NullPointerException if {@code e} is null
     */
    default boolean push(E e) {
        return offer(e);
    }

    /**
     * Takes the oldest element, or returns null if empty: the exercise's name for {@link #poll}.
     * Never blocks.
     */
    default E pop() {
        return poll();
    }

    /**
     * Takes up to {@code limit} elements, oldest first, handing each to {@code consumer}; stops
     * early when the ring is empty. Cheaper per element than repeated {@link #poll} (index
     * updates are batched where the variant allows). Not atomic: it behaves as a sequence of
     * polls and, while producers are adding, may stop before {@code limit} although more
     * elements arrived meanwhile (as JCTools' {@code drain}). If {@code consumer} throws, the
     * elements handed over so far stay taken and the rest stay in the ring. Never blocks.
     *
     * @return how many were taken
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    int drain(Consumer<? super E> consumer, int limit);

    /**
     * Adds up to {@code limit} elements from {@code supplier}, stopping early when the ring is
     * full (the supplier is only called for elements that fit). Not atomic: it behaves as a
     * sequence of offers, and other producers' elements may land between its own. If the
     * supplier throws (or returns null), the elements added so far stay and nothing else is
     * added. Never blocks.
     *
     * @return how many were added
     * @throws IllegalArgumentException if {@code limit} is negative
     * @throws NullPointerException if the supplier returns null (what was added stays)
     */
    int fill(Supplier<? extends E> supplier, int limit);

    /** A single-producer, single-consumer ring of at least {@code capacity} elements. */
    static <E> RingBuffer<E> spsc(int capacity) {
        return new SpscRing<>(capacity);
    }

    /** A multi-producer, single-consumer ring of at least {@code capacity} elements. */
    static <E> RingBuffer<E> mpsc(int capacity) {
        return new MpscRing<>(capacity);
    }

    /** A multi-producer, multi-consumer ring of at least {@code capacity} elements. */
    static <E> RingBuffer<E> mpmc(int capacity) {
        return new MpmcRing<>(capacity);
    }
}
