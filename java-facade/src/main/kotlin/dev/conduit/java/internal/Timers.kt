package dev.conduit.java.internal

import dev.conduit.chan.ReceiveChan
import java.time.Instant
import kotlin.time.toKotlinDuration

/** Timer channels with `java.time.Duration`, which Java can pass where Kotlin's cannot. */
internal object Timers {
    @JvmStatic
    fun after(delay: java.time.Duration): ReceiveChan<Instant> = dev.conduit.chan.after(delay.toKotlinDuration())
}
