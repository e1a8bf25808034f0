package dev.conduit.java.resilience;

import dev.conduit.java.internal.RetryCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Retry} retries, for Java: at most {@link #maxAttempts()} attempts (the first
 * included), a backoff before each retry, which failures and results to retry, and an optional
 * shared {@link RetryBudget}. Immutable; made by {@link #builder()}, or {@link #defaults()}. The
 * Java view of the core {@link dev.conduit.resilience.RetryConfig} ({@link #wrap}, {@link #unwrap}).
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *         .maxAttempts(4)
 *         .exponentialBackoff(Duration.ofMillis(50), 2.0, Duration.ofSeconds(1))
 *         .retryOn(e -> e instanceof IOException)
 *         .build();
 * }</pre>
 *
 * <p>Defaults: 3 attempts, an exponential backoff from 100 ms doubling up to 10 s, every
 * {@code Exception} retried (never an {@code Error}, nor a cancellation), no result retried, no
 * budget. Never blocks.
 */
public final class RetryConfig {
    private static final RetryConfig DEFAULTS = new RetryConfig(dev.conduit.resilience.RetryConfig.defaults());

    private final dev.conduit.resilience.RetryConfig core;

    private RetryConfig(dev.conduit.resilience.RetryConfig core) {
        this.core = core;
    }

    /**
     * A builder starting from the defaults. Never blocks.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The all-defaults config. Never blocks.
     *
     * @return the default config
     */
    public static RetryConfig defaults() {
        return DEFAULTS;
    }

    /**
     * The Java view of {@code core}: the same config. Never blocks.
     *
     * @param core the Kotlin config
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static RetryConfig wrap(dev.conduit.resilience.RetryConfig core) {
        return new RetryConfig(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core config behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin config
     */
    public dev.conduit.resilience.RetryConfig unwrap() {
        return core;
    }

    /**
     * The most attempts per call, the first included. Never blocks.
     *
     * @return the attempts, 1 or more
     */
    public int maxAttempts() {
        return core.getMaxAttempts();
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry); random for a jittered
     * backoff. Never blocks.
     *
     * @param retry the retry's number, 1 or more
     * @return the wait
     * @throws IllegalArgumentException if {@code retry} is below 1 (for the exponential kinds)
     */
    public Duration backoffBefore(int retry) {
        return RetryCalls.delay(core.getBackoff(), retry);
    }

    /**
     * The shared budget, if there is one. Never blocks.
     *
     * @return the budget, or empty
     */
    public Optional<RetryBudget> budget() {
        return Optional.ofNullable(core.getBudget()).map(RetryBudget::wrap);
    }

    /** The attempts and the budget. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }

    /**
     * Makes a {@link RetryConfig}; each setter rejects a bad value at once, naming it and the
     * value. Not thread-safe; never blocks.
     */
    public static final class Builder {
        private final dev.conduit.resilience.RetryConfig.Builder core = dev.conduit.resilience.RetryConfig.builder();

        private Builder() {}

        /**
         * The most attempts per call, the first included. Never blocks.
         *
         * @param maxAttempts the attempts, 1 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code maxAttempts} is below 1
         */
        public Builder maxAttempts(int maxAttempts) {
            core.maxAttempts(maxAttempts);
            return this;
        }

        /**
         * The same wait before every retry. Never blocks.
         *
         * @param delay the wait, 0 or more
         * @return this builder
         * @throws NullPointerException if {@code delay} is null
         * @throws IllegalArgumentException if {@code delay} is negative
         */
        public Builder fixedBackoff(Duration delay) {
            core.backoff(RetryCalls.fixed(Objects.requireNonNull(delay, "delay")));
            return this;
        }

        /**
         * A wait of {@code initial * multiplier^(retry - 1)}, capped at {@code max}. Never blocks.
         *
         * @param initial the first wait, positive
         * @param multiplier the growth per retry, 1 or more
         * @param max the cap, at least {@code initial}
         * @return this builder
         * @throws NullPointerException if {@code initial} or {@code max} is null
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder exponentialBackoff(Duration initial, double multiplier, Duration max) {
            core.backoff(RetryCalls.exponential(Objects.requireNonNull(initial, "initial"), multiplier, Objects.requireNonNull(max, "max")));
            return this;
        }

        /**
         * "Full jitter": a uniformly random wait below the exponential one
         * ({@code initial * multiplier^(retry - 1)}, capped at {@code max}), drawn from
         * {@code random} (seed it in tests for a fixed sequence). Never blocks.
         *
         * @param initial the first ceiling, positive
         * @param multiplier the growth per retry, 1 or more
         * @param max the cap, at least {@code initial}
         * @param random the random source
         * @return this builder
         * @throws NullPointerException if {@code initial}, {@code max} or {@code random} is null
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder fullJitterBackoff(Duration initial, double multiplier, Duration max, Random random) {
            core.backoff(RetryCalls.fullJitter(Objects.requireNonNull(initial, "initial"), multiplier,
                    Objects.requireNonNull(max, "max"), Objects.requireNonNull(random, "random")));
            return this;
        }

        /**
         * Which failures to retry; the others are rethrown at once. Never blocks.
         *
         * @param retryOn the predicate
         * @return this builder
         * @throws NullPointerException if {@code retryOn} is null
         */
        public Builder retryOn(Predicate<? super Throwable> retryOn) {
            Objects.requireNonNull(retryOn, "retryOn");
            core.retryOn(retryOn::test);
            return this;
        }

        /**
         * Which results to retry as if they had failed; when the attempts run out the last one
         * is returned. Never blocks.
         *
         * @param retryOnResult the predicate, given the result (maybe null)
         * @return this builder
         * @throws NullPointerException if {@code retryOnResult} is null
         */
        public Builder retryOnResult(Predicate<@Nullable Object> retryOnResult) {
            Objects.requireNonNull(retryOnResult, "retryOnResult");
            core.retryOnResult(retryOnResult::test);
            return this;
        }

        /**
         * The budget every retry must be allowed by, shared with whoever else has it. Never blocks.
         *
         * @param budget the budget; null for none
         * @return this builder
         */
        public Builder budget(@Nullable RetryBudget budget) {
            core.budget(budget == null ? null : budget.unwrap());
            return this;
        }

        /**
         * The config. Never blocks.
         *
         * @return the new, immutable config
         */
        public RetryConfig build() {
            return new RetryConfig(core.build());
        }
    }
}
