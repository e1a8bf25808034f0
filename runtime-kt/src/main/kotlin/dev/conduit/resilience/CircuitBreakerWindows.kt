package dev.conduit.resilience

import dev.conduit.Clock
import java.util.concurrent.atomic.AtomicIntegerArray
import java.util.concurrent.atomic.AtomicLong

// One call's outcome as bits: a slot of a count window holds one of these (0 while empty).
internal const val FAILED: Int = 1
internal const val SLOW: Int = 2
private const val PRESENT = 4

// What a window says after recording an outcome.
/** Fewer calls than the minimum, or nothing changed: no rate to act on. */
internal const val NOT_READY: Int = 0

/** Enough calls, both rates below their thresholds. */
internal const val BELOW: Int = 1

/** Enough calls, and a rate at or above its threshold. */
internal const val EXCEEDED: Int = 2

/** A [ProbeTally] already judged: the outcome belongs to the phase after it. */
internal const val JUDGED: Int = 3

// A count window's totals packed in one long, so that one atomic add keeps them consistent:
// calls in bits 0-20, failures in 21-41, slow calls in 42-62 (a window holds at most MAX_WINDOW).
private const val FIELD = 21
private const val MASK = (1L shl FIELD) - 1

private fun weight(slot: Int): Long =
    if (slot and PRESENT == 0) 0L
    else 1L + (if (slot and FAILED != 0) 1L shl FIELD else 0L) + (if (slot and SLOW != 0) 1L shl (2 * FIELD) else 0L)

/** The calls, failures and slow calls a window holds now, for metrics. */
internal class WindowCounts(val calls: Long, val failures: Long, val slow: Long)

/** The rates and their thresholds a window is judged by. */
internal abstract class OutcomeWindow(
    private val minCalls: Int,
    private val failureThreshold: Float,
    private val slowThreshold: Float,
) {
    /** Adds one outcome ([FAILED] and [SLOW] bits) and says [NOT_READY], [BELOW] or [EXCEEDED]. Never blocks. */
    abstract fun record(outcome: Int): Int

    /** What the window holds now. */
    abstract fun counts(): WindowCounts

    protected fun verdict(packed: Long): Int =
        verdict(packed and MASK, (packed ushr FIELD) and MASK, (packed ushr (2 * FIELD)) and MASK)

    protected fun counts(packed: Long): WindowCounts =
        WindowCounts(packed and MASK, (packed ushr FIELD) and MASK, (packed ushr (2 * FIELD)) and MASK)

    protected fun verdict(calls: Long, failures: Long, slow: Long): Int = when {
        calls < minCalls -> NOT_READY
        failures * 100f >= failureThreshold * calls || slow * 100f >= slowThreshold * calls -> EXCEEDED
        else -> BELOW
    }

    /** The failure rate in percent, or -1 below the minimum number of calls (as Resilience4j). */
    fun failureRate(c: WindowCounts): Float = if (c.calls < minCalls) -1f else c.failures * 100f / c.calls

    /** The slow-call rate in percent, or -1 below the minimum number of calls. */
    fun slowRate(c: WindowCounts): Float = if (c.calls < minCalls) -1f else c.slow * 100f / c.calls

    companion object {
        fun of(config: CircuitBreakerConfig, clock: Clock): OutcomeWindow = when (config.slidingWindowType) {
            SlidingWindowType.COUNT_BASED -> CountWindow(config.slidingWindowSize, config.minimumNumberOfCalls, config)
            SlidingWindowType.TIME_BASED -> TimeWindow(config.slidingWindowSize, config, clock)
        }
    }
}

/**
 * The last [size] outcomes in a lock-free ring of small ints, with their totals in one packed
 * atomic long. A call takes a slot with one `getAndIncrement`; an outcome equal to the one it
 * replaces (the steady state of a healthy service) writes nothing more, allocates nothing and
 * leaves the totals alone. Otherwise the slot is swapped and the totals move by the difference,
 * so concurrent writers keep them equal to the slots' sum (while fewer writers race than there
 * are slots).
 */
internal class CountWindow(private val size: Int, minCalls: Int, config: CircuitBreakerConfig) :
    OutcomeWindow(minCalls, config.failureRateThreshold, config.slowCallRateThreshold) {
    private val slots = AtomicIntegerArray(size)
    private val head = AtomicLong()
    private val totals = AtomicLong()

    override fun record(outcome: Int): Int {
        val i = (head.getAndIncrement() % size).toInt()
        val slot = outcome or PRESENT
        if (slots.get(i) == slot) return NOT_READY
        val delta = weight(slot) - weight(slots.getAndSet(i, slot))
        if (delta == 0L) return NOT_READY
        return verdict(totals.addAndGet(delta))
    }

    override fun counts(): WindowCounts = counts(totals.get())
}

/**
 * The outcomes of half-open's [probes] calls, judged once: the outcome that makes them [probes]
 * gets the verdict ([BELOW] or [EXCEEDED]), earlier ones [NOT_READY], and any later one [JUDGED]
 * (it arrived after the decision and belongs to the next phase).
 */
internal class ProbeTally(private val probes: Int, config: CircuitBreakerConfig) :
    OutcomeWindow(probes, config.failureRateThreshold, config.slowCallRateThreshold) {
    private val totals = AtomicLong()

    override fun record(outcome: Int): Int {
        val t = totals.addAndGet(weight(outcome or PRESENT))
        val calls = t and MASK
        return if (calls < probes) NOT_READY else if (calls == probes.toLong()) verdict(t) else JUDGED
    }

    override fun counts(): WindowCounts = counts(totals.get()).let { WindowCounts(minOf(it.calls, probes.toLong()), it.failures, it.slow) }
}

/**
 * The outcomes of the last [seconds] seconds of [clock], in one bucket per second. Buckets that
 * fell out of the window are emptied on the next record. Guarded by a lock held for a few
 * additions (and, after a quiet spell, at most [seconds] bucket resets).
 */
internal class TimeWindow(private val seconds: Int, config: CircuitBreakerConfig, private val clock: Clock) :
    OutcomeWindow(config.minimumNumberOfCalls, config.failureRateThreshold, config.slowCallRateThreshold) {
    private val lock = Any()
    private val calls = LongArray(seconds)
    private val failures = LongArray(seconds)
    private val slow = LongArray(seconds)
    private var totalCalls = 0L
    private var totalFailures = 0L
    private var totalSlow = 0L

    /** The second the newest bucket is for. */
    private var current = Math.floorDiv(clock.nanoTime(), NANOS_PER_SECOND)

    override fun record(outcome: Int): Int = synchronized(lock) {
        val i = roll()
        val failed = if (outcome and FAILED != 0) 1L else 0L
        val wasSlow = if (outcome and SLOW != 0) 1L else 0L
        calls[i]++
        failures[i] += failed
        slow[i] += wasSlow
        totalCalls++
        totalFailures += failed
        totalSlow += wasSlow
        verdict(totalCalls, totalFailures, totalSlow)
    }

    override fun counts(): WindowCounts = synchronized(lock) {
        roll()
        WindowCounts(totalCalls, totalFailures, totalSlow)
    }

    /** Empties the buckets of seconds that left the window; the index of the current second's. */
    private fun roll(): Int {
        val now = Math.floorDiv(clock.nanoTime(), NANOS_PER_SECOND)
        val steps = minOf(now - current, seconds.toLong())
        for (s in 1..steps) {
            val i = Math.floorMod(current + s, seconds)
            totalCalls -= calls[i]
            totalFailures -= failures[i]
            totalSlow -= slow[i]
            calls[i] = 0
            failures[i] = 0
            slow[i] = 0
        }
        if (now > current) current = now
        return Math.floorMod(current, seconds)
    }

    private companion object {
        const val NANOS_PER_SECOND = 1_000_000_000L
    }
}
