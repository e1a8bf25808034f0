package dev.conduit.chan

import dev.conduit.Clock
import dev.conduit.Stoppable
import java.time.Instant
import kotlin.time.Duration

/**
 * A channel that receives the current time once, after [delay]: Go's `time.After`. Use it in
 * [select] or receive from it. Never blocks. The channel has a buffer of one, so the timer
 * never waits for a receiver, and it is not closed after firing.
 *
 * @param clock the time source; [Clock.system] by default, a virtual clock in tests.
 */
@JvmOverloads
public fun after(delay: Duration, clock: Clock = Clock.system()): ReceiveChan<Instant> {
    val c = Chan<Instant>(1)
    clock.schedule(delay.inWholeNanoseconds) { c.trySend(clock.now()) }
    return c
}

/**
 * Sends the time on [c] every period until [stop]ped: Go's `time.Ticker`. The channel holds
 * one tick; a receiver that falls behind misses ticks instead of piling them up, as in Go.
 * Ticks are scheduled against the start time, so they do not drift. Implements
 * [AutoCloseable]: [close] is [stop].
 *
 * `Ticker(period)` starts it: Go's `time.NewTicker`. Never blocks.
 *
 * @param clock the time source; [Clock.system] by default, a virtual clock in tests.
 * @throws IllegalArgumentException if [period] is zero or negative.
 */
public class Ticker @JvmOverloads constructor(period: Duration, private val clock: Clock = Clock.system()) : AutoCloseable {
    private val ticks = Chan<Instant>(1)
    private val lock = Any()
    private var periodNanos = 0L
    private var next: Instant = Instant.EPOCH
    private var timer: Stoppable? = null

    /** Bumped by every reset and stop, so a tick scheduled before them does nothing. */
    private var generation = 0L

    /** The channel the ticks arrive on. Stopping does not close it. */
    public val c: ReceiveChan<Instant> get() = ticks

    init {
        reset(period)
    }

    /**
     * Stops the ticker and restarts it with a new [period], the first tick one [period] from
     * now. Never blocks.
     *
     * @throws IllegalArgumentException if [period] is zero or negative.
     */
    public fun reset(period: Duration) {
        require(period.isPositive()) { "period must be > 0, but was $period" }
        synchronized(lock) {
            timer?.stop()
            generation++
            periodNanos = period.inWholeNanoseconds
            next = clock.now().plusNanos(periodNanos)
            arm()
        }
    }

    private fun arm() {
        val delay = java.time.Duration.between(clock.now(), next).toNanos()
        val armedFor = generation
        timer = clock.schedule(delay) { tick(armedFor) }
    }

    private fun tick(armedFor: Long) {
        synchronized(lock) {
            if (generation != armedFor) return
            val now = clock.now()
            ticks.trySend(now)
            // The next tick on the original grid that is still ahead: after a stall the missed
            // ticks are dropped, not fired in a burst.
            val behind = java.time.Duration.between(next, now).toNanos()
            next = next.plusNanos((maxOf(behind, 0L) / periodNanos + 1) * periodNanos)
            arm()
        }
    }

    /** Stops the ticks; no tick is sent after this returns. Never blocks. Idempotent. */
    public fun stop() {
        synchronized(lock) {
            timer?.stop()
            timer = null
            generation++
        }
    }

    /** Same as [stop]. */
    override fun close(): Unit = stop()
}
