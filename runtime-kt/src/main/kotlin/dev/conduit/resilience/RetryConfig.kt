package dev.conduit.resilience

import kotlin.time.Duration.Companion.milliseconds

/**
 * How a [Retry] retries: at most [maxAttempts] attempts (the first one included), waiting
 * [backoff] before each retry, retrying only failures [retryOn] accepts and results
 * [retryOnResult] accepts, and each retry only if [budget] (when there is one) allows it.
 * Immutable; made by [builder], or [defaults]:
 *
 * ```
 * val config = RetryConfig.builder()
 *     .maxAttempts(4)
 *     .backoff(Backoff.exponential(50.milliseconds, max = 1.seconds))
 *     .retryOn { it is java.io.IOException }
 *     .build()
 * ```
 *
 * Never blocks.
 */
public class RetryConfig private constructor(builder: Builder) {
    /** The most attempts a call makes, the first one included; 1 means no retry. */
    public val maxAttempts: Int = builder.maxAttempts

    /** The wait before each retry. */
    public val backoff: Backoff = builder.backoff

    /** Which failures are retried (others are thrown at once). */
    public val retryOn: (Throwable) -> Boolean = builder.retryOn

    /** Which results are retried as if they had failed (others are returned). */
    public val retryOnResult: (Any?) -> Boolean = builder.retryOnResult

    /** The budget every retry takes from, shared with whoever else has it; `null` for none. */
    public val budget: RetryBudget? = builder.budget

    /** A builder starting from this config's settings. Never blocks. */
    public fun toBuilder(): Builder = Builder().also {
        it.maxAttempts = maxAttempts
        it.backoff = backoff
        it.retryOn = retryOn
        it.retryOnResult = retryOnResult
        it.budget = budget
    }

    override fun toString(): String = "RetryConfig(maxAttempts=$maxAttempts, budget=$budget)"

    /**
     * Makes a [RetryConfig]; each setter rejects a bad value at once. Defaults: 3 attempts, an
     * exponential backoff from 100 ms doubling up to 10 s, every `Exception` retried (not an
     * `Error`, nor a `CancellationException`), no result retried, no budget. Not thread-safe.
     */
    public class Builder internal constructor() {
        internal var maxAttempts: Int = 3
        internal var backoff: Backoff = DEFAULT_BACKOFF
        internal var retryOn: (Throwable) -> Boolean = { it is Exception }
        internal var retryOnResult: (Any?) -> Boolean = { false }
        internal var budget: RetryBudget? = null

        /**
         * The most attempts per call, the first included. Never blocks.
         *
         * @throws IllegalArgumentException if [maxAttempts] is below 1.
         */
        public fun maxAttempts(maxAttempts: Int): Builder = apply {
            require(maxAttempts >= 1) { "maxAttempts must be >= 1, but was $maxAttempts" }
            this.maxAttempts = maxAttempts
        }

        /** The wait before each retry ([Backoff.fixed], [Backoff.exponential], [Backoff.fullJitter]). Never blocks. */
        public fun backoff(backoff: Backoff): Builder = apply { this.backoff = backoff }

        /** Which failures to retry; the others are thrown at once. Never blocks. */
        public fun retryOn(predicate: (Throwable) -> Boolean): Builder = apply { retryOn = predicate }

        /** Which results to retry as failures; when attempts run out, the last one is returned. Never blocks. */
        public fun retryOnResult(predicate: (Any?) -> Boolean): Builder = apply { retryOnResult = predicate }

        /** The budget every retry must be allowed by; `null` for none. Never blocks. */
        public fun budget(budget: RetryBudget?): Builder = apply { this.budget = budget }

        /** The config. Never blocks. */
        public fun build(): RetryConfig = RetryConfig(this)
    }

    public companion object {
        private val DEFAULT_BACKOFF = Backoff.exponential(100.milliseconds, 2.0, 10_000.milliseconds)
        private val DEFAULTS = Builder().build()

        /** A builder with the defaults (see [Builder]). Never blocks. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** The all-defaults config (see [Builder]). Never blocks. */
        @JvmStatic
        public fun defaults(): RetryConfig = DEFAULTS
    }
}
