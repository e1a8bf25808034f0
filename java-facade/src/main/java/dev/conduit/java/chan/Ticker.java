package dev.conduit.java.chan;

import dev.conduit.Clock;
import dev.conduit.java.internal.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Go's {@code time.Ticker} for Java: sends the time on {@link #channel()} every period until
 * stopped. The channel holds one tick; a receiver that falls behind misses ticks rather than
 * piling them up, and ticks keep to the start time's grid, so they do not drift.
 *
 * <pre>{@code
 * try (Ticker ticker = Ticker.create(Duration.ofSeconds(1))) {
 *     for (Instant t : ticker.channel()) heartbeat(t);
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops it, so try-with-resources works. {@link #wrap(dev.conduit.chan.Ticker)}
 * is the Java view of a Kotlin ticker and {@link #unwrap()} the Kotlin ticker behind this one:
 * the same instance. Thread-safe; no method blocks.
 */
public final class Ticker implements AutoCloseable {
    private final dev.conduit.chan.Ticker ticker;
    private final ReceiveChannel<Instant> ticks;

    private Ticker(dev.conduit.chan.Ticker ticker) {
        this.ticker = ticker;
        this.ticks = ReceiveChannel.wrap(ticker.getC());
    }

    /**
     * Starts a ticker whose first tick comes one {@code period} from now: Go's
     * {@code time.NewTicker}. Never blocks.
     *
     * @param period the time between ticks; positive
     * @return a new, started ticker
     * @throws IllegalArgumentException if {@code period} is zero or negative, naming it and the value
     * @throws NullPointerException if {@code period} is null
     */
    public static Ticker create(Duration period) {
        return create(period, Clock.system());
    }

    /**
     * {@link #create(Duration)} on {@code clock}: virtual time in tests. Never blocks.
     *
     * @param period the time between ticks, on {@code clock}; positive
     * @param clock schedules the ticks and gives the time each one sends
     * @return a new, started ticker
     * @throws IllegalArgumentException if {@code period} is zero or negative, naming it and the value
     * @throws NullPointerException if {@code period} or {@code clock} is null
     */
    public static Ticker create(Duration period, Clock clock) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(clock, "clock");
        return new Ticker(Timers.ticker(period, clock));
    }

    /**
     * The Java view of a Kotlin ticker: the same ticker, not a copy. Never blocks.
     *
     * @param ticker the Kotlin ticker to view
     * @return the Java view of {@code ticker}, whose {@link #unwrap()} returns {@code ticker}
     * @throws NullPointerException if {@code ticker} is null
     */
    public static Ticker wrap(dev.conduit.chan.Ticker ticker) {
        return new Ticker(Objects.requireNonNull(ticker, "ticker"));
    }

    /**
     * The channel the ticks arrive on; stopping does not close it. Never blocks.
     *
     * @return the ticks' channel, holding at most one tick: the same channel every call
     */
    public ReceiveChannel<Instant> channel() {
        return ticks;
    }

    /**
     * Stops the ticker and restarts it with a new {@code period}, the first tick one period from
     * now. Never blocks.
     *
     * @param period the new time between ticks; positive
     * @throws IllegalArgumentException if {@code period} is zero or negative, naming it and the value
     * @throws NullPointerException if {@code period} is null
     */
    public void reset(Duration period) {
        Timers.reset(ticker, Objects.requireNonNull(period, "period"));
    }

    /** Stops the ticks; none is sent after this returns. Idempotent; never blocks. */
    public void stop() {
        ticker.stop();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        ticker.stop();
    }

    /**
     * The Kotlin ticker behind this view. Never blocks.
     *
     * @return the Kotlin ticker behind this view: the same instance every call
     */
    public dev.conduit.chan.Ticker unwrap() {
        return ticker;
    }

    @Override
    public String toString() {
        return ticker.toString();
    }
}
