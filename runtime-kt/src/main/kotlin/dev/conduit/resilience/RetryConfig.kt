package dev.conduit.resilience

import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * How a [Retry] retries: at most [maxAttempts] attempts (the first one included), waiting
 * [backoff] before each retry, retrying only failures [retryOn] accepts and results
 * [retryOnResult] accepts, and each retry only if [budget] (when there is one) allows it.
 * Immutable. Kotlin names the settings it changes (the Java facade's `RetryConfig.builder()`
 * makes the same object):
 *
 * ```
 * val config = RetryConfig(
 *     maxAttempts = 4,
 *     backoff = Backoff.exponential(50.milliseconds, max = 1.seconds),
 *     retryOn = { it is java.io.IOException },
 * )
 * ```
 *
 * [defaults] is `RetryConfig()`: 3 attempts, an exponential backoff from 100 ms doubling up to
 * 10 s, every `Exception` retried (never an `Error`, nor a `CancellationException`, which
 * [Retry] always lets through), no result retried, no budget. Never blocks.
 *
 * @param maxAttempts the most attempts a call makes, the first one included; 1 means no retry.
 * @param backoff the wait before each retry ([Backoff.fixed], [Backoff.exponential], [Backoff.fullJitter]).
 * @param retryOn which failures are retried; the others are thrown at once.
 * @param retryOnResult which results are retried as if they had failed; when the attempts run
 *   out, the last such result is returned.
 * @param budget the budget every retry must be allowed by, shared with whoever else has it; `null` for none.
 * @throws IllegalArgumentException if [maxAttempts] is below 1.
 */
public class RetryConfig(
    public val maxAttempts: Int = 3,
    public val backoff: Backoff = DEFAULT_BACKOFF,
    public val retryOn: (Throwable) -> Boolean = { it is Exception },
    public val retryOnResult: (Any?) -> Boolean = { false },
    public val budget: RetryBudget? = null,
) {
    init {
        require(maxAttempts >= 1) { "maxAttempts must be >= 1, but was $maxAttempts" }
    }

    override fun toString(): String = "RetryConfig(maxAttempts=$maxAttempts, budget=$budget)"

    public companion object {
        private val DEFAULT_BACKOFF = Backoff.exponential(100.milliseconds, 2.0, 10.seconds)
        private val DEFAULTS = RetryConfig()

        /** The all-defaults config, `RetryConfig()`. Never blocks. */
        @JvmStatic
        public fun defaults(): RetryConfig = DEFAULTS
    }
}
