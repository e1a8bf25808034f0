package dev.conduit.resilience

import kotlin.time.Duration
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toKotlinDuration

/** How a [CircuitBreaker] in [CircuitBreakerState.CLOSED] remembers recent calls. */
public enum class SlidingWindowType {
    /** The last [CircuitBreakerConfig.slidingWindowSize] calls. */
    COUNT_BASED,

    /** The calls of the last [CircuitBreakerConfig.slidingWindowSize] seconds, in one-second buckets. */
    TIME_BASED,
}

/** The largest [CircuitBreakerConfig.slidingWindowSize] and half-open probe count: outcomes are counted in 21-bit fields. */
internal const val MAX_WINDOW: Int = 1_000_000

/**
 * The settings of a [CircuitBreaker]: immutable, made by [builder] (or [defaults]), whose setters
 * reject a bad value at once, naming it and the value. Resilience4j's settings and defaults, plus
 * a capped exponential backoff of the open wait and a ramp-up after recovery.
 *
 * ```
 * val config = CircuitBreakerConfig.builder()
 *     .slidingWindowSize(20).minimumNumberOfCalls(10).failureRateThreshold(50f)
 *     .waitDurationInOpenState(5.seconds).openBackoff(2.0, 1.minutes)
 *     .ignoreException { it is IllegalArgumentException }
 *     .build()
 * ```
 *
 * ## Which outcomes count
 * An exception that [ignoreException] accepts counts as nothing (the permission is given back);
 * otherwise one that [recordException] accepts is a failure, and any other is a success. A result
 * that [recordResult] accepts is a failure. A call at least [slowCallDuration] long is also slow.
 *
 * Never blocks; thread-safe (immutable). The predicates run on the thread that reports the
 * outcome, and must not throw.
 */
public class CircuitBreakerConfig private constructor(b: Builder) {
    /** The failure rate, in percent of the window's calls, at or above which the breaker opens. */
    public val failureRateThreshold: Float = b.failureRate

    /** The slow-call rate, in percent of the window's calls, at or above which the breaker opens. */
    public val slowCallRateThreshold: Float = b.slowRate

    /** How long a call must take to count as slow. */
    public val slowCallDuration: Duration = b.slowNanos.nanoseconds

    /** Count-based or time-based. */
    public val slidingWindowType: SlidingWindowType = b.windowType

    /** Calls (count-based) or seconds (time-based) the window spans. */
    public val slidingWindowSize: Int = b.windowSize

    /**
     * The calls the window must hold before a rate is computed. For a count-based window it is
     * at most [slidingWindowSize] (a larger setting acts as the window's size, as in Resilience4j).
     */
    public val minimumNumberOfCalls: Int =
        if (b.windowType == SlidingWindowType.COUNT_BASED) minOf(b.minCalls, b.windowSize) else b.minCalls

    /** How many probe calls half-open lets through; their outcomes decide between closed and open. */
    public val permittedNumberOfCallsInHalfOpenState: Int = b.probes

    /** How long the breaker stays open the first time. */
    public val waitDurationInOpenState: Duration = b.waitNanos.nanoseconds

    /** The factor the open wait grows by after each failed half-open round (1 keeps it fixed). */
    public val openBackoffMultiplier: Double = b.multiplier

    /** The longest open wait the backoff reaches. */
    public val maxWaitDurationInOpenState: Duration = maxOf(b.maxWaitNanos ?: DEFAULT_MAX_WAIT, b.waitNanos).nanoseconds

    /**
     * How long after recovering (half-open to closed) the breaker lets only a share of calls
     * through, growing linearly from 10% to all of them; zero for no ramp-up.
     */
    public val rampUpDuration: Duration = b.rampNanos.nanoseconds

    /** Whether an exception counts as a failure (if not ignored). */
    public val recordException: (Throwable) -> Boolean = b.recordException

    /** Whether an exception counts as nothing at all. */
    public val ignoreException: (Throwable) -> Boolean = b.ignoreException

    /** Whether a result counts as a failure. */
    public val recordResult: (Any?) -> Boolean = b.recordResult

    internal val slowNanos: Long = b.slowNanos
    internal val waitNanos: Long = b.waitNanos
    internal val maxWaitNanos: Long = maxOf(b.maxWaitNanos ?: DEFAULT_MAX_WAIT, b.waitNanos)
    internal val rampNanos: Long = b.rampNanos

    /** The open wait after [attempt] failed half-open rounds: the first wait grown by the backoff, capped. */
    internal fun openWaitNanos(attempt: Int): Long {
        if (attempt == 0 || openBackoffMultiplier == 1.0) return waitNanos
        val grown = waitNanos * Math.pow(openBackoffMultiplier, attempt.toDouble())
        return if (grown >= maxWaitNanos) maxWaitNanos else grown.toLong()
    }

    /** Every setting but the predicates. Never blocks. */
    override fun toString(): String =
        "CircuitBreakerConfig(failureRateThreshold=$failureRateThreshold, slowCallRateThreshold=$slowCallRateThreshold, " +
            "slowCallDuration=$slowCallDuration, slidingWindow=$slidingWindowType($slidingWindowSize), " +
            "minimumNumberOfCalls=$minimumNumberOfCalls, permittedNumberOfCallsInHalfOpenState=$permittedNumberOfCallsInHalfOpenState, " +
            "waitDurationInOpenState=$waitDurationInOpenState, openBackoff=$openBackoffMultiplier up to $maxWaitDurationInOpenState, " +
            "rampUpDuration=$rampUpDuration)"

    /**
     * Collects settings for a [CircuitBreakerConfig]; every setter checks its value at once and
     * returns this builder. Not thread-safe; never blocks.
     */
    public class Builder internal constructor() {
        internal var failureRate = 50f
        internal var slowRate = 100f
        internal var slowNanos = 60.seconds.inWholeNanoseconds
        internal var windowType = SlidingWindowType.COUNT_BASED
        internal var windowSize = 100
        internal var minCalls = 100
        internal var probes = 10
        internal var waitNanos = 60.seconds.inWholeNanoseconds
        internal var multiplier = 1.0
        internal var maxWaitNanos: Long? = null
        internal var rampNanos = 0L
        internal var recordException: (Throwable) -> Boolean = { true }
        internal var ignoreException: (Throwable) -> Boolean = { false }
        internal var recordResult: (Any?) -> Boolean = { false }

        /**
         * The failure rate in percent (default 50) at or above which the breaker opens.
         *
         * @throws IllegalArgumentException unless [percent] is in (0, 100].
         */
        public fun failureRateThreshold(percent: Float): Builder = apply { failureRate = percent(percent, "failureRateThreshold") }

        /**
         * The slow-call rate in percent (default 100) at or above which the breaker opens.
         *
         * @throws IllegalArgumentException unless [percent] is in (0, 100].
         */
        public fun slowCallRateThreshold(percent: Float): Builder = apply { slowRate = percent(percent, "slowCallRateThreshold") }

        /**
         * How long a call must take to count as slow (default 60 s).
         *
         * @throws IllegalArgumentException unless [duration] is positive.
         */
        public fun slowCallDuration(duration: Duration): Builder = apply { slowNanos = positive(duration, "slowCallDuration") }

        /**
         * [slowCallDuration] for Java.
         *
         * @throws IllegalArgumentException unless [duration] is positive.
         */
        public fun slowCallDuration(duration: java.time.Duration): Builder = slowCallDuration(duration.toKotlinDuration())

        /** Count-based (the default) or time-based. */
        public fun slidingWindowType(type: SlidingWindowType): Builder = apply { windowType = type }

        /**
         * Calls (count-based) or seconds (time-based) the window spans (default 100).
         *
         * @throws IllegalArgumentException unless [size] is in [1, 1000000].
         */
        public fun slidingWindowSize(size: Int): Builder = apply { windowSize = inRange(size, "slidingWindowSize") }

        /**
         * The calls the window must hold before a rate counts (default 100).
         *
         * @throws IllegalArgumentException unless [calls] is in [1, 1000000].
         */
        public fun minimumNumberOfCalls(calls: Int): Builder = apply { minCalls = inRange(calls, "minimumNumberOfCalls") }

        /**
         * How many probe calls half-open lets through (default 10).
         *
         * @throws IllegalArgumentException unless [calls] is in [1, 1000000].
         */
        public fun permittedNumberOfCallsInHalfOpenState(calls: Int): Builder =
            apply { probes = inRange(calls, "permittedNumberOfCallsInHalfOpenState") }

        /**
         * How long the breaker stays open the first time (default 60 s).
         *
         * @throws IllegalArgumentException unless [duration] is positive.
         */
        public fun waitDurationInOpenState(duration: Duration): Builder = apply { waitNanos = positive(duration, "waitDurationInOpenState") }

        /**
         * [waitDurationInOpenState] for Java.
         *
         * @throws IllegalArgumentException unless [duration] is positive.
         */
        public fun waitDurationInOpenState(duration: java.time.Duration): Builder = waitDurationInOpenState(duration.toKotlinDuration())

        /**
         * Exponential backoff of the open wait: after each half-open round that fails, the next
         * wait is [multiplier] times longer, up to [maxWait] (default: fixed, 1.0, capped at 10
         * minutes or the first wait if longer). A success in half-open brings it back to the
         * first wait.
         *
         * @throws IllegalArgumentException unless [multiplier] is at least 1 and [maxWait] positive.
         */
        public fun openBackoff(multiplier: Double, maxWait: Duration): Builder = apply {
            require(multiplier >= 1.0 && multiplier.isFinite()) { "openBackoffMultiplier must be >= 1, but was $multiplier" }
            val max = positive(maxWait, "maxWaitDurationInOpenState")
            this.multiplier = multiplier
            maxWaitNanos = max
        }

        /**
         * [openBackoff] for Java.
         *
         * @throws IllegalArgumentException unless [multiplier] is at least 1 and [maxWait] positive.
         */
        public fun openBackoff(multiplier: Double, maxWait: java.time.Duration): Builder = openBackoff(multiplier, maxWait.toKotlinDuration())

        /**
         * After half-open succeeds, let a growing share of calls through for [duration]: 10% at
         * first, linearly up to all; the others are not permitted (default zero: no ramp-up).
         *
         * @throws IllegalArgumentException if [duration] is negative.
         */
        public fun rampUpDuration(duration: Duration): Builder = apply {
            require(!duration.isNegative() && duration.isFinite()) { "rampUpDuration must be >= 0 and finite, but was $duration" }
            rampNanos = duration.inWholeNanoseconds
        }

        /**
         * [rampUpDuration] for Java.
         *
         * @throws IllegalArgumentException if [duration] is negative.
         */
        public fun rampUpDuration(duration: java.time.Duration): Builder = rampUpDuration(duration.toKotlinDuration())

        /** Which exceptions count as failures (default: all); the others count as successes. */
        public fun recordException(predicate: (Throwable) -> Boolean): Builder = apply { recordException = predicate }

        /** Which exceptions count as nothing (default: none); wins over [recordException]. */
        public fun ignoreException(predicate: (Throwable) -> Boolean): Builder = apply { ignoreException = predicate }

        /** Which results count as failures (default: none). */
        public fun recordResult(predicate: (Any?) -> Boolean): Builder = apply { recordResult = predicate }

        /**
         * The config. Never blocks.
         *
         * @throws IllegalArgumentException if the backoff's cap is below the first open wait.
         */
        public fun build(): CircuitBreakerConfig {
            maxWaitNanos?.let {
                require(it >= waitNanos) {
                    "maxWaitDurationInOpenState (${it.nanoseconds}) must be >= waitDurationInOpenState (${waitNanos.nanoseconds})"
                }
            }
            return CircuitBreakerConfig(this)
        }

        private fun percent(value: Float, name: String): Float {
            require(value > 0f && value <= 100f) {
                val shown = if (value.isFinite() && value == value.toLong().toFloat()) value.toLong().toString() else value.toString()
                "$name must be in (0, 100], but was $shown"
            }
            return value
        }

        private fun positive(value: Duration, name: String): Long {
            require(value.isPositive() && value.isFinite()) { "$name must be > 0 and finite, but was $value" }
            return value.inWholeNanoseconds
        }

        private fun inRange(value: Int, name: String): Int {
            require(value in 1..MAX_WINDOW) { "$name must be in [1, $MAX_WINDOW], but was $value" }
            return value
        }
    }

    public companion object {
        private val DEFAULT_MAX_WAIT = 10.minutes.inWholeNanoseconds
        private val DEFAULTS = Builder().build()

        /** A builder holding the defaults. Never blocks. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /**
         * Resilience4j's defaults: count window of 100, minimum 100 calls, 50% failures, 100%
         * slow calls of 60 s, 10 probes, 60 s open, no backoff, no ramp-up. Never blocks.
         */
        @JvmStatic
        public fun defaults(): CircuitBreakerConfig = DEFAULTS
    }
}
