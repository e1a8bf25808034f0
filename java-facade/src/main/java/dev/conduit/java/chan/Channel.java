package dev.conduit.java.chan;

import dev.conduit.chan.Chan;
import dev.conduit.chan.ChanKt;
import dev.conduit.chan.SpscChanKt;
import dev.conduit.java.internal.ChannelAdapter;
import java.util.Objects;

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
     * Makes a channel: Go's {@code make(chan T, capacity)}. 0 makes an unbuffered (rendezvous)
     * channel; {@code Integer.MAX_VALUE} an unbounded one. Never blocks.
     *
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    static <T> Channel<T> create(int capacity) {
        return new ChannelAdapter<>(ChanKt.<T>Chan(capacity));
    }

    /** Makes an unbuffered channel: {@code create(0)}, Go's {@code make(chan T)}. Never blocks. */
    static <T> Channel<T> create() {
        return create(0);
    }

    /**
     * A nil channel: Go's {@code var ch chan T}. Send and receive block until interrupted, timed
     * out or their context is done; its select cases never fire; close fails with
     * {@link IllegalStateException}. Use it to switch a select case off. Never blocks.
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
     * @throws IllegalArgumentException if {@code capacity} is not in 2..2<sup>30</sup> (it is
     *     rounded up to a power of two)
     */
    static <T> Channel<T> spsc(int capacity) {
        return new ChannelAdapter<>(SpscChanKt.<T>SpscChan(capacity));
    }

    /**
     * The Java view of a Kotlin channel, of any kind: the same channel, not a copy. Never
     * blocks.
     *
     * @throws NullPointerException if {@code chan} is null
     * @throws IllegalArgumentException if {@code chan} is not a Conduit channel kind
     */
    static <T> Channel<T> wrap(Chan<T> chan) {
        return new ChannelAdapter<>(Objects.requireNonNull(chan, "chan"));
    }

    /** The Kotlin channel behind this view: the same instance every call. Never blocks. */
    @Override
    Chan<T> unwrap();
}
