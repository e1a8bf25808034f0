package dev.conduit.java.internal

import dev.conduit.Clock
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Ticker
import java.time.Instant
import kotlin.time.toKotlinDuration

/**
 * Timer channels with `java.time.Duration`, which Java can pass where Kotlin's cannot (its
 * `kotlin.time.Duration` parameters reach Java only through mangled names).
 */
internal object Timers {
    /** Go's `time.After` on [clock]. Never blocks. */
    @JvmStatic
    fun after(delay: java.time.Duration, clock: Clock): ReceiveChan<Instant> = dev.conduit.chan.after(delay.toKotlinDuration(), clock)

    /** A started [Ticker] on [clock]. @throws IllegalArgumentException if [period] is not positive. */
    @JvmStatic
    fun ticker(period: java.time.Duration, clock: Clock): Ticker = Ticker(period.toKotlinDuration(), clock)

    /** [Ticker.reset] with a Java duration. @throws IllegalArgumentException if [period] is not positive. */
    @JvmStatic
    fun reset(ticker: Ticker, period: java.time.Duration): Unit = ticker.reset(period.toKotlinDuration())
}
