package dev.conduit.java.pool;

import dev.conduit.context.Context;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work for a {@link WorkerPool}, for Java: {@link #execute(Context)} does the work and
 * may throw; the other methods say how the pool treats it and have defaults, so a lambda is a
 * job ({@code pool.submit(ctx -> resize(image))}). {@link #builder()} makes one with other
 * settings. The pool reads the settings once, at submit.
 *
 * @param <T> the type of the job's value
 */
@FunctionalInterface
public interface Job<T extends @Nullable Object> {
    /**
     * Does the work. On a goroutine thread (see {@link #blocking()}), so it may block; it is
     * interrupted when the job is cancelled or times out.
     *
     * @param ctx the job's context: it carries the deadline of a job with a {@link #timeout()}
     * @return the job's value (null is a value)
     * @throws Exception the job's failure, which its future fails with as it was thrown
     */
    T execute(Context ctx) throws Exception;

    /**
     * The priority class, from 0 to the pool's {@code priorities - 1}, higher first. Never blocks.
     *
     * @return the priority; 0 by default
     */
    default int priority() {
        return 0;
    }

    /**
     * How long the job may run before it is cancelled (its future then fails with {@link
     * dev.conduit.pool.JobTimeoutException}). Never blocks.
     *
     * @return the timeout, or null (the default) for none
     */
    default @Nullable Duration timeout() {
        return null;
    }

    /**
     * How many times the job may run again elsewhere when its worker dies under it (crashes or
     * hangs); an exception from {@link #execute} is never retried. Never blocks.
     *
     * @return the retry budget; 0 by default
     */
    default int maxRetries() {
        return 0;
    }

    /**
     * The capabilities a worker must declare to run the job. Never blocks.
     *
     * @return the required tags; none by default
     */
    default Set<String> requires() {
        return Set.of();
    }

    /**
     * Whether {@link #execute} may block. A blocking job (the default) runs on a goroutine
     * thread of its own ({@code Go.executor()}); a job that says it never blocks (a few
     * computations, a counter) runs on the worker's own thread, which saves a thread hand-off
     * per job but stalls the pool's dispatcher if the job does block. Never blocks.
     *
     * @return true by default
     */
    default boolean blocking() {
        return true;
    }

    /**
     * A builder of jobs with settings other than the defaults. Never blocks.
     *
     * @return a builder with every setting at its default
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Makes {@link Job}s with given settings around a body. Each setter rejects a bad value at
     * once, naming it. Not thread-safe; never blocks.
     */
    final class Builder {
        private int priority;
        private @Nullable Duration timeout;
        private int maxRetries;
        private Set<String> requires = Set.of();
        private boolean blocking = true;

        private Builder() {}

        /**
         * Sets {@link Job#priority()}.
         *
         * @param priority the priority class
         * @return this builder
         * @throws IllegalArgumentException if {@code priority} is negative
         */
        public Builder priority(int priority) {
            if (priority < 0) throw new IllegalArgumentException("priority must be >= 0, but was " + priority);
            this.priority = priority;
            return this;
        }

        /**
         * Sets {@link Job#timeout()}.
         *
         * @param timeout how long the job may run
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("timeout must be > 0, but was " + timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets {@link Job#maxRetries()}.
         *
         * @param maxRetries the retry budget
         * @return this builder
         * @throws IllegalArgumentException if {@code maxRetries} is negative
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, but was " + maxRetries);
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Sets {@link Job#requires()}.
         *
         * @param tags the capabilities a worker must declare
         * @return this builder
         */
        public Builder requires(String... tags) {
            this.requires = Set.of(tags);
            return this;
        }

        /**
         * Sets {@link Job#blocking()}.
         *
         * @param blocking whether the body may block
         * @return this builder
         */
        public Builder blocking(boolean blocking) {
            this.blocking = blocking;
            return this;
        }

        /**
         * A job with these settings around {@code body}.
         *
         * @param <T> the type of the job's value
         * @param body what the job does
         * @return the job
         */
        public <T extends @Nullable Object> Job<T> build(Job<T> body) {
            Objects.requireNonNull(body, "body");
            return new BuiltJob<>(body, priority, timeout, maxRetries, requires, blocking);
        }
    }
}
