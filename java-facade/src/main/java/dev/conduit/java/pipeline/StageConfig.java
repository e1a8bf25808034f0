package dev.conduit.java.pipeline;

import dev.conduit.pipeline.Scaling;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a Java pipeline stage ({@link Pipeline#map}, {@link Pipeline#filter},
 * {@link Pipeline#flatMap}) or fan-out ({@link Pipeline#fanOut(dev.conduit.java.chan.ReceiveChannel,
 * StageConfig, dev.conduit.pipeline.FailurePolicy, StageFunction)}) runs: immutable, made by
 * {@link #builder()}, whose setters reject a bad value at once.
 *
 * <pre>{@code
 * StageConfig four = StageConfig.builder().workers(4).ordered(false).capacity(16).build();
 * StageConfig scaled = StageConfig.builder().scaling(Scaling.of(1, 8, Duration.ofMillis(50))).build();
 * }</pre>
 *
 * <p>{@link #defaults()}: one worker, ordered output, an unbuffered (rendezvous) output
 * channel, a fixed worker count. Thread-safe (immutable).
 */
public final class StageConfig {
    private static final StageConfig DEFAULTS = new Builder().build();

    private final int workers;
    private final boolean ordered;
    private final int capacity;
    private final @Nullable Scaling scaling;
    /** Whether workers was set, not taken from the scaling's minimum (kept for {@link #builder(StageConfig)}). */
    private final boolean workersSet;

    private StageConfig(Builder b, int workers) {
        this.workers = workers;
        this.ordered = b.ordered;
        this.capacity = b.capacity;
        this.scaling = b.scaling;
        this.workersSet = b.workersSet;
    }

    /**
     * One worker, ordered, an unbuffered output, a fixed worker count. Never blocks.
     *
     * @return the default config
     */
    public static StageConfig defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from {@link #defaults()}. Never blocks.
     *
     * @return a new builder with the default settings
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from {@code base}'s settings, to make a changed copy. Never blocks.
     *
     * @param base the config whose settings the builder starts from
     * @return a new builder with {@code base}'s settings
     * @throws NullPointerException if {@code base} is null
     */
    public static Builder builder(StageConfig base) {
        Objects.requireNonNull(base, "base");
        Builder b = new Builder();
        b.workers = base.workers;
        b.ordered = base.ordered;
        b.capacity = base.capacity;
        b.scaling = base.scaling;
        b.workersSet = base.workersSet;
        return b;
    }

    /**
     * Concurrent workers: the fixed count, or the starting count when scaling. Never blocks.
     *
     * @return the number of workers, or the starting number when scaling
     */
    public int workers() {
        return workers;
    }

    /**
     * Whether results leave in input order. Never blocks.
     *
     * @return true if results leave in input order
     */
    public boolean ordered() {
        return ordered;
    }

    /**
     * The output channel's buffer (0: unbuffered). Never blocks.
     *
     * @return the output channel's buffer; 0 for unbuffered
     */
    public int capacity() {
        return capacity;
    }

    /**
     * How the worker count adapts, or null for a fixed count. Never blocks.
     *
     * @return the scaling policy, or null for a fixed worker count
     */
    public @Nullable Scaling scaling() {
        return scaling;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (!(o instanceof StageConfig)) return false;
        StageConfig c = (StageConfig) o;
        return workers == c.workers && ordered == c.ordered && capacity == c.capacity && Objects.equals(scaling, c.scaling);
    }

    @Override
    public int hashCode() {
        return Objects.hash(workers, ordered, capacity, scaling);
    }

    @Override
    public String toString() {
        return "StageConfig(workers=" + workers + ", ordered=" + ordered + ", capacity=" + capacity + ", scaling=" + scaling + ")";
    }

    /**
     * Builds a {@link StageConfig}. Each setter rejects a bad value at once, naming it and the
     * value; {@link #build()} checks the rules that span settings. Not thread-safe: one builder
     * per thread.
     */
    public static final class Builder {
        private int workers = 1;
        private boolean ordered = true;
        private int capacity = 0;
        private @Nullable Scaling scaling;
        private boolean workersSet;

        private Builder() {}

        /**
         * Concurrent workers (the starting count when scaling; without {@link #scaling} set, the
         * fixed count). Default 1. Never blocks.
         *
         * @param workers the number of concurrent workers, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code workers} &lt; 1
         */
        public Builder workers(int workers) {
            if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, but was " + workers);
            this.workers = workers;
            this.workersSet = true;
            return this;
        }

        /**
         * Whether results leave in input order (default true). Never blocks.
         *
         * @param ordered true for results in input order, false for results as they are ready
         * @return this builder
         */
        public Builder ordered(boolean ordered) {
            this.ordered = ordered;
            return this;
        }

        /**
         * The output channel's buffer; 0 (the default) for an unbuffered one. Never blocks.
         *
         * @param capacity the output channel's buffer; 0 for unbuffered
         * @return this builder
         * @throws IllegalArgumentException if {@code capacity} &lt; 0
         */
        public Builder capacity(int capacity) {
            if (capacity < 0) throw new IllegalArgumentException("capacity must be >= 0, but was " + capacity);
            this.capacity = capacity;
            return this;
        }

        /**
         * A scaling policy: the worker count adapts between its {@code min} and {@code max}. If
         * {@link #workers} is not set, workers start at its {@code min}. Never blocks.
         *
         * @param scaling the bounds and rules the worker count adapts by
         * @return this builder
         * @throws NullPointerException if {@code scaling} is null
         */
        public Builder scaling(Scaling scaling) {
            this.scaling = Objects.requireNonNull(scaling, "scaling");
            return this;
        }

        /**
         * The config. Never blocks.
         *
         * @return a new config with this builder's settings
         * @throws IllegalArgumentException if {@link #workers} was set outside the
         *     {@link #scaling} bounds, naming it and the value
         */
        public StageConfig build() {
            Scaling s = scaling;
            if (s == null) return new StageConfig(this, workers);
            int w = workersSet ? workers : s.getMin();
            if (w < s.getMin() || w > s.getMax()) {
                throw new IllegalArgumentException(
                        "workers must be in " + s.getMin() + ".." + s.getMax() + " (the scaling bounds), but was " + w);
            }
            return new StageConfig(this, w);
        }
    }
}
