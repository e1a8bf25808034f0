package dev.conduit.java.chan;

import dev.conduit.chan.Chan;
import dev.conduit.chan.SpscChanKt;
import dev.conduit.chan.ChanKt;
import dev.conduit.chan.ReceiveChan;
import dev.conduit.chan.SendChan;
import dev.conduit.java.internal.ChannelAdapter;
import dev.conduit.java.internal.ReceiveAdapter;
import dev.conduit.java.internal.SendAdapter;
import dev.conduit.java.internal.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Makes channels for Java, and Java views of Kotlin channels. Every view is the same channel,
 * not a copy: a value sent through one is received through any other.
 */
public final class Chans {
    private Chans() {}

    /**
     * Makes a channel: Go's {@code make(chan T, capacity)}. 0 makes an unbuffered (rendezvous)
     * channel; {@code Integer.MAX_VALUE} an unbounded one. Never blocks.
     *
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static <T> Channel<T> make(int capacity) {
        return new ChannelAdapter<>(ChanKt.<T>Chan(capacity));
    }

    /** Makes an unbuffered channel: {@code make(0)}. Never blocks. */
    public static <T> Channel<T> make() {
        return make(0);
    }

    /**
     * A nil channel: send and receive block until interrupted, its select cases never fire, and
     * close fails. Never blocks.
     */
    public static <T> Channel<T> nil() {
        return new ChannelAdapter<>(ChanKt.<T>nilChan());
    }

    /**
     * A buffered channel for exactly one sending and one receiving thread, on a lock-free ring
     * ({@code dev.conduit.chan.spscChan}): faster than {@link #make(int)} for a one-to-one link;
     * two threads waiting to receive (or to send) at once fail with
     * {@link IllegalStateException}. Never blocks.
     *
     * @throws IllegalArgumentException if {@code capacity} is not in 2..2<sup>30</sup> (it is
     *     rounded up to a power of two)
     */
    public static <T> Channel<T> spsc(int capacity) {
        return new ChannelAdapter<>(SpscChanKt.SpscChan(capacity));
    }

    /** The Java view of a Kotlin channel. Never blocks. */
    public static <T> Channel<T> of(Chan<T> chan) {
        return new ChannelAdapter<>(Objects.requireNonNull(chan, "chan must not be null"));
    }

    /** The Java view of the receiving side of a Kotlin channel. Never blocks. */
    public static <T> ReceiveChannel<T> receiving(ReceiveChan<T> chan) {
        return new ReceiveAdapter<>(Objects.requireNonNull(chan, "chan must not be null"));
    }

    /** The Java view of the sending side of a Kotlin channel. Never blocks. */
    public static <T> SendChannel<T> sending(SendChan<T> chan) {
        return new SendAdapter<>(Objects.requireNonNull(chan, "chan must not be null"));
    }

    /**
     * A channel that receives the current time once, after {@code delay}: Go's
     * {@code time.After}. Never blocks.
     *
     * @throws NullPointerException if {@code delay} is null
     */
    public static ReceiveChannel<Instant> after(Duration delay) {
        return receiving(Timers.after(Objects.requireNonNull(delay, "delay must not be null")));
    }

    /**
     * A ticker that sends the time every {@code period}: Go's {@code time.NewTicker}. Stop it
     * (or close it) when done. Never blocks.
     *
     * @throws IllegalArgumentException if {@code period} is zero or negative
     * @throws NullPointerException if {@code period} is null
     */
    public static Ticker ticker(Duration period) {
        return new Ticker(Objects.requireNonNull(period, "period must not be null"));
    }
}
