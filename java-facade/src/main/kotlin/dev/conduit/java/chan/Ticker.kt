package dev.conduit.java.chan

import dev.conduit.java.internal.ReceiveAdapter
import java.time.Duration
import java.time.Instant
import kotlin.time.toKotlinDuration

/**
 * Go's `time.Ticker` for Java: sends the time on [channel] every period until stopped. The
 * channel holds one tick; a receiver that falls behind misses ticks rather than piling them
 * up. Made by [Chans.ticker]; [close] stops it, so try-with-resources works.
 */
public class Ticker internal constructor(period: Duration) : AutoCloseable {
    private val ticker = dev.conduit.chan.Ticker(period.toKotlinDuration())
    private val ticks = ReceiveAdapter(ticker.c)

    /** The channel the ticks arrive on; stopping does not close it. */
    public fun channel(): ReceiveChannel<Instant> = ticks

    /**
     * Restarts the ticker with a new [period], the first tick one period from now. Never blocks.
     *
     * @throws IllegalArgumentException if [period] is zero or negative
     */
    public fun reset(period: Duration): Unit = ticker.reset(period.toKotlinDuration())

    /** Stops the ticks; none is sent after this returns. Idempotent; never blocks. */
    public fun stop(): Unit = ticker.stop()

    /** Same as [stop]. */
    override fun close(): Unit = ticker.stop()
}
