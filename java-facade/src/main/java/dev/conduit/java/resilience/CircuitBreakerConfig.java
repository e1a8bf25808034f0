package dev.conduit.java.resilience;

import dev.conduit.resilience.SlidingWindowType;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link CircuitBreaker}, for Java: immutable, made by {@link #builder()} (or
 * {@link #defaults()}), whose setters reject a bad value at once, naming it and the value
 * ({@code IllegalArgumentException: failureRateThreshold must be in (0, 100], but was 0}). The
 * Java view of the core {@link dev.conduit.resilience.CircuitBreakerConfig}, whose documentation
 * describes each setting.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *         .slidingWindowSize(20).minimumNumberOfCalls(10).failureRateThreshold(50)
 *         .waitDurationInOpenState(Duration.ofSeconds(5)).openBackoff(2.0, Duration.ofMinutes(1))
 *         .ignoreException(e -> e instanceof IllegalArgumentException)
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe (immutable); nothing here blocks.
 */
public final class CircuitBreakerConfig {
    private static final CircuitBreakerConfig DEFAULTS = new CircuitBreakerConfig(dev.conduit.resilience.CircuitBreakerConfig.defaults());

    private final dev.conduit.resilience.CircuitBreakerConfig core;

    private CircuitBreakerConfig(dev.conduit.resilience.CircuitBreakerConfig core) {
        this.core = core;
    }

    /**
     * A builder holding the defaults. Never blocks.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Resilience4j's defaults: a count window of 100 calls, judged from 100 on, 50% failures,
     * 100% slow calls of 60 s, 10 probes, 60 s open, no backoff, no ramp-up. Never blocks.
     *
     * @return the all-defaults config
     */
    public static CircuitBreakerConfig defaults() {
        return DEFAULTS;
    }

    /**
     * The Java view of {@code core}: the same config, not a copy. Never blocks.
     *
     * @param core the Kotlin config
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static CircuitBreakerConfig wrap(dev.conduit.resilience.CircuitBreakerConfig core) {
        return new CircuitBreakerConfig(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core config behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin config this view shares
     */
    public dev.conduit.resilience.CircuitBreakerConfig unwrap() {
        return core;
    }

    /** Every setting but the predicates. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }

    /**
     * Collects settings for a {@link CircuitBreakerConfig}; each setter checks its value at once
     * and returns this builder. Not thread-safe; nothing here blocks.
     */
    public static final class Builder {
        private final dev.conduit.resilience.CircuitBreakerConfig.Builder core = dev.conduit.resilience.CircuitBreakerConfig.builder();

        private Builder() {}

        /**
         * The failure rate in percent (default 50) at or above which the breaker opens.
         *
         * @param percent the threshold, in (0, 100]
         * @return this builder
         * @throws IllegalArgumentException unless {@code percent} is in (0, 100]
         */
        public Builder failureRateThreshold(float percent) {
            core.failureRateThreshold(percent);
            return this;
        }

        /**
         * The slow-call rate in percent (default 100) at or above which the breaker opens.
         *
         * @param percent the threshold, in (0, 100]
         * @return this builder
         * @throws IllegalArgumentException unless {@code percent} is in (0, 100]
         */
        public Builder slowCallRateThreshold(float percent) {
            core.slowCallRateThreshold(percent);
            return this;
        }

        /**
         * How long a call must take to count as slow (default 60 s).
         *
         * @param duration the slow-call duration, positive
         * @return this builder
         * @throws NullPointerException if {@code duration} is null
         * @throws IllegalArgumentException unless {@code duration} is positive
         */
        public Builder slowCallDuration(Duration duration) {
            core.slowCallDuration(Objects.requireNonNull(duration, "duration"));
            return this;
        }

        /**
         * Count-based (the default: the last N calls) or time-based (the calls of the last N
         * seconds).
         *
         * @param type the window's kind
         * @return this builder
         * @throws NullPointerException if {@code type} is null
         */
        public Builder slidingWindowType(SlidingWindowType type) {
            core.slidingWindowType(Objects.requireNonNull(type, "type"));
            return this;
        }

        /**
         * Calls (count-based) or seconds (time-based) the window spans (default 100).
         *
         * @param size the window's size, in [1, 1000000]
         * @return this builder
         * @throws IllegalArgumentException unless {@code size} is in [1, 1000000]
         */
        public Builder slidingWindowSize(int size) {
            core.slidingWindowSize(size);
            return this;
        }

        /**
         * The calls the window must hold before a rate counts (default 100; a count window's
         * size caps it).
         *
         * @param calls the minimum, in [1, 1000000]
         * @return this builder
         * @throws IllegalArgumentException unless {@code calls} is in [1, 1000000]
         */
        public Builder minimumNumberOfCalls(int calls) {
            core.minimumNumberOfCalls(calls);
            return this;
        }

        /**
         * How many probe calls half-open lets through (default 10).
         *
         * @param calls the probes, in [1, 1000000]
         * @return this builder
         * @throws IllegalArgumentException unless {@code calls} is in [1, 1000000]
         */
        public Builder permittedNumberOfCallsInHalfOpenState(int calls) {
            core.permittedNumberOfCallsInHalfOpenState(calls);
            return this;
        }

        /**
         * How long the breaker stays open the first time (default 60 s).
         *
         * @param duration the open wait, positive
         * @return this builder
         * @throws NullPointerException if {@code duration} is null
         * @throws IllegalArgumentException unless {@code duration} is positive
         */
        public Builder waitDurationInOpenState(Duration duration) {
            core.waitDurationInOpenState(Objects.requireNonNull(duration, "duration"));
            return this;
        }

        /**
         * Exponential backoff of the open wait: after each failed half-open round the next wait
         * is {@code multiplier} times longer, up to {@code maxWait}; a recovery brings it back to
         * the first wait (default: fixed).
         *
         * @param multiplier the growth factor, at least 1
         * @param maxWait the longest wait, positive and not below the first ({@link Builder#build()} checks)
         * @return this builder
         * @throws NullPointerException if {@code maxWait} is null
         * @throws IllegalArgumentException unless {@code multiplier} is at least 1 and {@code maxWait} positive
         */
        public Builder openBackoff(double multiplier, Duration maxWait) {
            core.openBackoff(multiplier, Objects.requireNonNull(maxWait, "maxWait"));
            return this;
        }

        /**
         * After half-open succeeds, let a growing share of calls through for {@code duration}:
         * 10% at first, linearly up to all; the others are not permitted (default zero: none).
         *
         * @param duration the ramp-up, zero or more
         * @return this builder
         * @throws NullPointerException if {@code duration} is null
         * @throws IllegalArgumentException if {@code duration} is negative
         */
        public Builder rampUpDuration(Duration duration) {
            core.rampUpDuration(Objects.requireNonNull(duration, "duration"));
            return this;
        }

        /**
         * Which exceptions count as failures (default: all); the others count as successes. It
         * runs on the thread that reports the outcome and must not throw.
         *
         * @param predicate true for a failure
         * @return this builder
         * @throws NullPointerException if {@code predicate} is null
         */
        public Builder recordException(Predicate<? super Throwable> predicate) {
            Objects.requireNonNull(predicate, "predicate");
            core.recordException(predicate::test);
            return this;
        }

        /**
         * Which exceptions count as nothing at all (default: none); wins over
         * {@link #recordException(Predicate)}. It must not throw.
         *
         * @param predicate true to ignore
         * @return this builder
         * @throws NullPointerException if {@code predicate} is null
         */
        public Builder ignoreException(Predicate<? super Throwable> predicate) {
            Objects.requireNonNull(predicate, "predicate");
            core.ignoreException(predicate::test);
            return this;
        }

        /**
         * Which results count as failures (default: none). It must not throw.
         *
         * @param predicate true for a failure; given null for a null result
         * @return this builder
         * @throws NullPointerException if {@code predicate} is null
         */
        public Builder recordResult(Predicate<@Nullable Object> predicate) {
            Objects.requireNonNull(predicate, "predicate");
            core.recordResult(predicate::test);
            return this;
        }

        /**
         * The config. Never blocks.
         *
         * @return the immutable config
         * @throws IllegalArgumentException if the backoff's cap is below the first open wait
         */
        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(core.build());
        }
    }
}
