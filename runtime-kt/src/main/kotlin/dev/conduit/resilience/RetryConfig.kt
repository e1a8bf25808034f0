package dev.conduit.resilience

import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * How a [Retry] retries: at most [maxAttempts] attempts (the first one included), waiting
 * [backoff] before each retry, retrying only failures [retryOn] accepts and results
 * [retryOnResult] accepts, and each retry only if [budget] (when there is one) allows it.
 * Immutable; made by [builder] (each setter rejects a bad value at once, naming it) or
 * [defaults]. The Java facade's `RetryConfig.builder()` fills this same builder.
 *
 * ```
 * val config = RetryConfig.builder()
 *     .maxAttempts(4)
 *     .backoff(Backoff.exponential(50.milliseconds, max = 1.seconds))
 *     .retryOn { it is java.io.IOException }
 *     .build()
 * ```
 *
 * [defaults]: 3 attempts, an exponential backoff from 100 ms doubling up to 10 s, every
 * `Exception` retried (never an `Error`, nor a `CancellationException`, which [Retry] always
 * lets through), no result retried, no budget.
 */
public class RetryConfig private constructor(b: Builder) {
    /** The most attempts a call makes, the first one included; 1 means no retry. */
    public val maxAttempts: Int = b.maxAttempts

    /** The wait before each retry ([Backoff.fixed], [Backoff.exponential], [Backoff.fullJitter]). */
    public val backoff: Backoff = b.backoff

    /** Which failures are retried; the others are thrown at once. */
    public val retryOn: (Throwable) -> Boolean = b.retryOn

    /** Which results are retried as if they had failed; when the attempts run out, the last such result is returned. */
    public val retryOnResult: (Any?) -> Boolean = b.retryOnResult

    /** The budget every retry must be allowed by, shared with whoever else has it; `null` for none. */
    public val budget: RetryBudget? = b.budget

    /** A builder that starts from these settings. Never blocks. */
    public fun toBuilder(): Builder = Builder(this)

    override fun toString(): String = "RetryConfig(maxAttempts=$maxAttempts, budget=$budget)"

    /**
     * Builds a [RetryConfig]. Each setter throws [IllegalArgumentException] naming the setting
     * and the bad value, before changing anything, and returns this builder. Not thread-safe;
     * never blocks.
     */
    public class Builder internal constructor() {
        internal var maxAttempts: Int = 3
        internal var backoff: Backoff = DEFAULT_BACKOFF
        internal var retryOn: (Throwable) -> Boolean = RETRY_EXCEPTIONS
        internal var retryOnResult: (Any?) -> Boolean = RETRY_NO_RESULT
        internal var budget: RetryBudget? = null

        internal constructor(c: RetryConfig) : this() {
            maxAttempts = c.maxAttempts
            backoff = c.backoff
            retryOn = c.retryOn
            retryOnResult = c.retryOnResult
            budget = c.budget
        }

        /**
         * The most attempts a call makes, the first one included; 1 means no retry. Default 3.
         *
         * @throws IllegalArgumentException if [attempts] is below 1.
         */
        public fun maxAttempts(attempts: Int): Builder = apply {
            require(attempts >= 1) { "maxAttempts must be >= 1, but was $attempts" }
            maxAttempts = attempts
        }

        /** The wait before each retry. Default exponential from 100 ms, doubling, up to 10 s. */
        public fun backoff(backoff: Backoff): Builder = apply { this.backoff = backoff }

        /** Which failures are retried. Default: every `Exception`. */
        public fun retryOn(predicate: (Throwable) -> Boolean): Builder = apply { retryOn = predicate }

        /** Which results are retried as if they had failed. Default: none. */
        public fun retryOnResult(predicate: (Any?) -> Boolean): Builder = apply { retryOnResult = predicate }

        /** The budget every retry must be allowed by; `null` (the default) for none. */
        public fun budget(budget: RetryBudget?): Builder = apply { this.budget = budget }

        /** The config. Never blocks. */
        public fun build(): RetryConfig = RetryConfig(this)
    }

    public companion object {
        private val DEFAULT_BACKOFF = Backoff.exponential(100.milliseconds, 2.0, 10.seconds)
        private val RETRY_EXCEPTIONS: (Throwable) -> Boolean = { it is Exception }
        private val RETRY_NO_RESULT: (Any?) -> Boolean = { false }
        private val DEFAULTS = Builder().build()

        /** A builder starting from the defaults. Never blocks. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** The all-defaults config. Never blocks. */
        @JvmStatic
        public fun defaults(): RetryConfig = DEFAULTS
    }
}
