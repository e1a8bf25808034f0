package dev.conduit.pipeline

import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration

/**
 * How a stage's worker count adapts to its load: every [interval] the stage samples the backlog
 * waiting at its input and how many workers are busy, and
 * - adds a worker (up to [max]) when the backlog is at least [growAtBacklog] or every worker is
 *   busy ([ScalingEvent.Reason.BACKLOG] / [ScalingEvent.Reason.SATURATED]);
 * - retires an idle worker (down to [min]) after [idleSamples] samples in a row with nothing
 *   waiting and some worker idle ([ScalingEvent.Reason.IDLE]). A busy worker is never
 *   interrupted: only a worker waiting for input is retired.
 *
 * Each change is reported to [listener] as a [ScalingEvent], on the stage's coroutine (keep it
 * quick; it must not block). The interval is measured by the stage's dispatcher, so virtual
 * time in tests.
 *
 * @throws IllegalArgumentException if `min < 1`, `max < min`, [interval] is not positive,
 *   [growAtBacklog] < 1 or [idleSamples] < 1, naming the value.
 */
public class Scaling(
    /** The fewest workers. */
    public val min: Int,
    /** The most workers. */
    public val max: Int,
    /** How often the stage samples its load. Java reads it as `getInterval()`, a `java.time.Duration`. */
    @get:JvmSynthetic public val interval: Duration = 100.milliseconds,
    /** A backlog at least this large adds a worker. */
    public val growAtBacklog: Int = 1,
    /** Idle samples in a row before a worker is retired. */
    public val idleSamples: Int = 3,
    /** Told about every change, or null. */
    public val listener: ScalingListener? = null,
) {
    init {
        require(min >= 1) { "min must be >= 1, but was $min" }
        require(max >= min) { "max must be >= min ($min), but was $max" }
        require(interval.isPositive()) { "interval must be > 0, but was $interval" }
        require(growAtBacklog >= 1) { "growAtBacklog must be >= 1, but was $growAtBacklog" }
        require(idleSamples >= 1) { "idleSamples must be >= 1, but was $idleSamples" }
    }

    /** [interval] as a `java.time.Duration` (Java's `getInterval()`). Never blocks. */
    @JvmName("getInterval")
    public fun intervalAsJava(): java.time.Duration = interval.toJavaDuration()

    override fun toString(): String = "Scaling(min=$min, max=$max, interval=$interval)"

    public companion object {
        /**
         * A [Scaling] for Java, with a `java.time.Duration` interval.
         *
         * @throws IllegalArgumentException as the constructor.
         */
        @JvmStatic
        @JvmOverloads
        public fun of(
            min: Int,
            max: Int,
            interval: java.time.Duration,
            listener: ScalingListener? = null,
            growAtBacklog: Int = 1,
            idleSamples: Int = 3,
        ): Scaling = Scaling(min, max, interval.toKotlinDuration(), growAtBacklog, idleSamples, listener)
    }
}

/** Receives a stage's [ScalingEvent]s. Called on the stage's coroutine; must not block. */
public fun interface ScalingListener {
    /** Called once per change of the worker count. */
    public fun onScale(event: ScalingEvent)
}

/**
 * One scaling decision: the worker count went [from] → [to] for [reason], with [backlog] items
 * waiting at the input and [busy] workers busy when the stage sampled.
 */
public data class ScalingEvent(
    val from: Int,
    val to: Int,
    val reason: Reason,
    val backlog: Int,
    val busy: Int,
) {
    /** Why the worker count changed. */
    public enum class Reason {
        /** Items were waiting at the input. */
        BACKLOG,

        /** Every worker was busy. */
        SATURATED,

        /** Nothing waited and a worker was idle for several samples in a row. */
        IDLE,
    }
}
