package dev.conduit.resilience

import kotlin.random.Random
import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds

/**
 * How long a [Retry] waits before each retry: [delay] of the first retry is `delay(1)`, of the
 * second `delay(2)`, and so on. The three kinds are made by [fixed], [exponential] and
 * [fullJitter]; any function of the retry number will also do (`Backoff { n -> n * 10.milliseconds }`).
 */
public fun interface Backoff {
    /**
     * The wait before retry number [retry] (1 for the first retry, which is the second
     * attempt); never negative. Never blocks.
     */
    public fun delay(retry: Int): Duration

    public companion object {
        /**
         * The same [delay] before every retry. Never blocks.
         *
         * @throws IllegalArgumentException if [delay] is negative or infinite.
         */
        @JvmStatic
        public fun fixed(delay: Duration): Backoff {
            checkFinite("delay", delay, allowZero = true)
            return Backoff { delay }
        }

        /**
         * `initial * multiplier^(retry - 1)`, capped at [max]: 100 ms, 200 ms, 400 ms, … with
         * the defaults. Never blocks.
         *
         * @throws IllegalArgumentException if [initial] is not positive and finite, [multiplier]
         *   is below 1 (or NaN), or [max] is below [initial] or infinite.
         */
        @JvmStatic
        public fun exponential(initial: Duration, multiplier: Double = 2.0, max: Duration = Duration.INFINITE): Backoff {
            val ceiling = Ceiling(initial, multiplier, max)
            return Backoff { retry -> ceiling.at(retry).nanoseconds }
        }

        /**
         * AWS's "full jitter": a uniformly random wait in `[0, c)` where `c` is the [exponential]
         * delay of that retry (`initial * multiplier^(retry - 1)`, capped at [max]), drawn from
         * [random] (seed it in tests for a fixed sequence). Spreads the retries of many callers
         * that failed together. Never blocks.
         *
         * @throws IllegalArgumentException as [exponential].
         */
        @JvmStatic
        public fun fullJitter(
            initial: Duration,
            multiplier: Double = 2.0,
            max: Duration = Duration.INFINITE,
            random: Random = Random.Default,
        ): Backoff {
            val ceiling = Ceiling(initial, multiplier, max)
            return Backoff { retry -> (ceiling.at(retry) * random.nextDouble()).toLong().nanoseconds }
        }
    }
}

/** The exponential ceiling of [Backoff.exponential] and [Backoff.fullJitter], checked once. */
private class Ceiling(initial: Duration, private val multiplier: Double, max: Duration) {
    private val initialNanos: Double
    private val maxNanos: Double

    init {
        checkFinite("initial", initial, allowZero = false)
        require(multiplier >= 1.0) { "multiplier must be >= 1.0, but was $multiplier" }
        require(max >= initial) { "max must be >= initial ($initial), but was $max" }
        initialNanos = initial.inWholeNanoseconds.toDouble()
        maxNanos = if (max.isInfinite()) Long.MAX_VALUE.toDouble() else max.inWholeNanoseconds.toDouble()
    }

    /** The ceiling of retry [retry] in nanoseconds (at least 1). */
    fun at(retry: Int): Double {
        require(retry >= 1) { "retry must be >= 1, but was $retry" }
        return minOf(maxNanos, initialNanos * Math.pow(multiplier, (retry - 1).toDouble()))
    }
}

private fun checkFinite(name: String, d: Duration, allowZero: Boolean) {
    require(d.isFinite()) { "$name must be finite, but was $d" }
    if (allowZero) require(!d.isNegative()) { "$name must be >= 0, but was $d" }
    else require(d.isPositive()) { "$name must be > 0, but was $d" }
}
