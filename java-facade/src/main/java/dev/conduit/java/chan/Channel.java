package dev.conduit.java.chan;

import dev.conduit.chan.Chan;
import dev.conduit.chan.ChanBlockingQueueKt;
import dev.conduit.chan.ChanKt;
import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.SpscChanKt;
import dev.conduit.java.internal.ChannelAdapter;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;

/**
 * A Go channel for Java: both {@link SendChannel} and {@link ReceiveChannel}.
 *
 * <pre>{@code
 * Channel<String> ch = Channel.create();      // Go's make(chan string)
 * Go.go(() -> ch.send("ping"));
 * String v = ch.receive();
 * }</pre>
 *
 * <p>{@link #create(int)} makes one, {@link #nil()} and {@link #spsc(int)} the kinds with other
 * guarantees; {@link #wrap(Chan)} is the Java view of a Kotlin channel and {@link #unwrap()} the
 * Kotlin channel behind a view, the same instance both ways: Java and Kotlin parts of one
 * program share channels and select over them together. The channel kinds with more to say
 * have their own types: {@link PriorityChannel}, {@link ShardedChannel}, {@link BatchChannel}.
 *
 * <p>Thread-safe: any number of threads and coroutines may send and receive at once.
 *
 * @param <T> the element type; {@code null} elements are refused with
 *     {@link NullPointerException} at the call
 */
public interface Channel<T> extends SendChannel<T>, ReceiveChannel<T> {
    /**
     * Makes a channel: Go's {@code make(chan T, capacity)}. Never blocks.
     *
     * @param <T> the element type
     * @param capacity how many values the buffer holds: 0 for an unbuffered (rendezvous) channel,
     *     {@code Integer.MAX_VALUE} for an unbounded one
     * @return a new open channel
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    static <T> Channel<T> create(int capacity) {
        return new ChannelAdapter<>(ChanKt.<T>Chan(capacity));
    }

    /**
     * Makes an unbuffered channel: {@code create(0)}, Go's {@code make(chan T)}. Never blocks.
     *
     * @param <T> the element type
     * @return a new open unbuffered channel
     */
    static <T> Channel<T> create() {
        return create(0);
    }

    /**
     * A nil channel: Go's {@code var ch chan T}. Send and receive block until interrupted, timed
     * out or their context is done; its select cases never fire; close fails with
     * {@link IllegalStateException}. Use it to switch a select case off. Never blocks.
     *
     * @param <T> the element type
     * @return a nil channel, on which nothing is ever sent or received
     */
    static <T> Channel<T> nil() {
        return new ChannelAdapter<>(ChanKt.<T>nilChan());
    }

    /**
     * A buffered channel for exactly one sending and one receiving thread at a time, on a
     * lock-free ring ({@code dev.conduit.chan.SpscChan}): faster than {@link #create(int)} for a
     * one-to-one link. Two threads waiting to receive (or to send) at once fail with
     * {@link IllegalStateException}. Never blocks.
     *
     * @param <T> the element type
     * @param capacity the fewest values the ring holds; rounded up to a power of two, which
     *     {@link #cap()} then reports
     * @return a new open single-producer, single-consumer channel
     * @throws IllegalArgumentException if {@code capacity} is not in 2..2<sup>30</sup>
     */
    static <T> Channel<T> spsc(int capacity) {
        return new ChannelAdapter<>(SpscChanKt.<T>SpscChan(capacity));
    }

    /**
     * The Java view of a Kotlin channel, of any kind: the same channel, not a copy. Never
     * blocks.
     *
     * @param <T> the element type
     * @param chan the Kotlin channel to view
     * @return the Java view of {@code chan}, whose {@link #unwrap()} returns {@code chan}
     * @throws NullPointerException if {@code chan} is null
     * @throws IllegalArgumentException if {@code chan} is not a Conduit channel kind
     */
    static <T> Channel<T> wrap(Chan<T> chan) {
        return new ChannelAdapter<>(Objects.requireNonNull(chan, "chan"));
    }

    /**
     * This channel as a {@link BlockingQueue}, for code written against the JDK (a
     * {@code ThreadPoolExecutor}'s work queue, a consumer loop over {@code take()}): a view whose
     * operations are this channel's own, on the same buffer and waiting queues, not a copy. Java
     * threads, coroutines and selects may use the channel and the view at once. Each call makes
     * a new view object. Never blocks.
     *
     * <p>A buffered channel behaves as an {@code ArrayBlockingQueue} of its capacity (a {@code
     * LinkedBlockingQueue} for {@code Integer.MAX_VALUE}), an unbuffered one as a {@code
     * SynchronousQueue} (size 0, {@code peek()} null, an empty iterator, {@code offer(e)} true
     * only if a receiver waits).
     *
     * <ul>
     *   <li>{@code put(e)} is {@link #send(Object)}, {@code offer(e)} and {@code add(e)} are
     *       {@link #trySend(Object)} ({@code add} throws {@code IllegalStateException("Queue
     *       full")}), {@code offer(e, timeout, unit)} a send bounded by the timeout;
     *   <li>{@code take()} is {@link #receive()}, {@code poll()} and {@code remove()} are
     *       {@link #tryReceive()} ({@code remove()} throws {@code NoSuchElementException}),
     *       {@code poll(timeout, unit)} a receive bounded by the timeout;
     *   <li>{@code put}, {@code take} and the timed {@code offer} and {@code poll} block; they
     *       are interrupted as {@link #send(Object)} and {@link #receive()} are: an interrupt
     *       ends a wait with {@link InterruptedException} having sent or taken nothing, or, if
     *       the value was handed over at that moment, the call completes with the interrupt
     *       status set again; an operation that can complete at once does, interrupted or not;
     *   <li>{@code drainTo(c[, max])} takes what is ready now (buffered values, then waiting
     *       senders' values) in one atomic step and adds it to {@code c}; if {@code c.add}
     *       throws, the values not yet added go back to the head of the channel in order: none
     *       is lost or in both places. Never blocks;
     *   <li>{@code peek}, {@code element}, {@code iterator}, {@code contains}, {@code toArray}
     *       and {@code remove(Object)} see a weakly consistent snapshot of the buffered values
     *       (never a value a blocked sender still holds); {@code clear()} drops the buffered
     *       values, then blocked senders fill the freed slots;
     *   <li>on a closed channel, {@code put}, {@code offer} and {@code add} throw {@link
     *       ClosedChannelException}; once it is closed and drained, {@code take()} throws {@link
     *       ClosedChannelException} ("receive from closed channel") and {@code poll} returns
     *       null at once. Shut a {@code ThreadPoolExecutor} down before closing its work-queue
     *       channel;
     *   <li>null elements are refused with {@link NullPointerException}; {@code contains(null)}
     *       and {@code remove(null)} are false.
     * </ul>
     *
     * <p>The full contract is {@code dev.conduit.chan.ChanBlockingQueueKt.asBlockingQueue}'s,
     * the one implementation, shared with Kotlin code.
     *
     * @return a new queue view of this channel
     * @throws IllegalArgumentException if this channel is not one {@link #create(int)} makes
     *     (or {@link #wrap(Chan)} of one): a {@link #spsc(int)} or {@link #nil()} channel, a
     *     {@link PriorityChannel} or a {@link ShardedChannel} has no single FIFO buffer for the
     *     queue to look at
     */
    default BlockingQueue<T> asBlockingQueue() {
        return ChanBlockingQueueKt.asBlockingQueue(unwrap());
    }

    /**
     * The Kotlin channel behind this view. Never blocks.
     *
     * @return the Kotlin channel behind this view: the same instance every call
     */
    @Override
    Chan<T> unwrap();
}
