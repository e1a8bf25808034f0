package dev.conduit.resilience

import dev.conduit.Clock
import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.Duration.Companion.seconds

/** The slots a [RetryBudget]'s window is counted in. */
private const val SLOTS = 10

/**
 * A limit on retries shared by every [Retry] (and every call) it is given to, as Finagle's
 * `RetryBudget` and gRPC's retry throttling: when a dependency is down, callers retry a few
 * percent more, not `maxAttempts` times more, so retries cannot multiply its load.
 *
 * ## The rule
 * Over the last [window] (counted in 10 slots of `window / 10`: the current slot and the nine
 * before it, so between 0.9 and 1 window of past time), a retry is allowed if and only if
 *
 *     retries + 1 <= minRetriesPerWindow + percent / 100 * calls
 *
 * where `calls` are the first attempts recorded ([recordCall]) and `retries` the retries allowed
 * ([tryRetry]) in that window. So with `percent = 20, minRetriesPerWindow = 10` a quiet service
 * may retry 10 times per window, a busy one 20 % of its calls plus 10. A refused retry is not
 * counted as a retry (it is counted in [rejected]).
 *
 * `RetryBudget(percent, minRetriesPerWindow, window)` makes one, counting time on [clock] (a
 * virtual clock in tests).
 *
 * Thread-safe (one lock, held for a few array updates); nothing here blocks or suspends.
 *
 * @throws IllegalArgumentException if [percent] is not in `[0, 100]`, [minRetriesPerWindow] is
 *   negative, or [window] is not positive and finite (or shorter than 10 ns).
 */
public class RetryBudget @JvmOverloads constructor(
    public val percent: Double = 20.0,
    public val minRetriesPerWindow: Int = 10,
    window: Duration = 10.seconds,
    private val clock: Clock = Clock.system(),
) {
    init {
        require(percent in 0.0..100.0) { "percent must be in [0, 100], but was $percent" }
        require(minRetriesPerWindow >= 0) { "minRetriesPerWindow must be >= 0, but was $minRetriesPerWindow" }
        require(window.isFinite() && window.inWholeNanoseconds >= SLOTS) { "window must be >= ${SLOTS}ns and finite, but was $window" }
    }

    /** The window's length in nanoseconds. */
    private val windowNanos = window.inWholeNanoseconds
    private val slotNanos = windowNanos / SLOTS
    private val origin = clock.nanoTime()
    private val lock = Any()

    /** Per slot (index `slot % SLOTS`): which slot number it holds now, and its counts. */
    private val slotOf = LongArray(SLOTS) { Long.MIN_VALUE }
    private val calls = LongArray(SLOTS)
    private val retries = LongArray(SLOTS)
    private var rejectedTotal = 0L

    /** The window's length. */
    public val window: Duration get() = windowNanos.nanoseconds

    /** Counts a first attempt: a call that may later want retries. Never blocks. */
    public fun recordCall() {
        synchronized(lock) { calls[current()]++ }
    }

    /**
     * Takes one retry from the budget if the rule above allows it now. Never blocks.
     *
     * @return `true` if the retry may go ahead (it is counted), `false` if the budget is spent.
     */
    public fun tryRetry(): Boolean = synchronized(lock) {
        val i = current()
        if (allowedLocked() < 1) {
            rejectedTotal++
            false
        } else {
            retries[i]++
            true
        }
    }

    /** How many retries the budget would allow now, 0 or more. Never blocks. */
    public fun available(): Long = synchronized(lock) {
        current()
        allowedLocked()
    }

    /** How many retries the budget has refused since it was made. Never blocks. */
    public val rejected: Long get() = synchronized(lock) { rejectedTotal }

    /** `minRetries + percent% of calls - retries` over the window, rounded down, at least 0. */
    private fun allowedLocked(): Long {
        var c = 0L
        var r = 0L
        for (i in 0 until SLOTS) {
            c += calls[i]
            r += retries[i]
        }
        val allowed = minRetriesPerWindow + percent / 100.0 * c - r
        return if (allowed <= 0) 0 else allowed.toLong()
    }

    /** The current slot's index, after clearing every slot that has left the window. */
    private fun current(): Int {
        val slot = (clock.nanoTime() - origin) / slotNanos
        for (i in 0 until SLOTS) {
            if (slotOf[i] <= slot - SLOTS) {
                calls[i] = 0
                retries[i] = 0
                slotOf[i] = Long.MIN_VALUE
            }
        }
        val i = Math.floorMod(slot, SLOTS.toLong()).toInt()
        if (slotOf[i] != slot) {
            calls[i] = 0
            retries[i] = 0
            slotOf[i] = slot
        }
        return i
    }

    override fun toString(): String =
        "RetryBudget(percent=$percent, minRetriesPerWindow=$minRetriesPerWindow, window=$window, available=${available()})"
}
