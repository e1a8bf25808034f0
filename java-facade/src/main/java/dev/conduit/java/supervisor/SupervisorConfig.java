package dev.conduit.java.supervisor;

import dev.conduit.java.internal.RetryCalls;
import dev.conduit.java.internal.SupervisorCalls;
import dev.conduit.resilience.Backoff;
import dev.conduit.supervisor.RestartStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Supervisor} supervises, for Java: its name, strategy, children (or, for a dynamic
 * supervisor, the template it makes them from), its restart intensity (at most
 * {@link #maxRestarts()} restarts in any {@link #period()}, past which it stops its children and
 * fails) and the backoff before each restart (the n-th restart of a child within a period waits
 * {@link #backoffBefore backoffBefore(n)}). Immutable; made by {@link #builder()}, or
 * {@link #defaults()}. The Java view of the core {@link dev.conduit.supervisor.SupervisorConfig}
 * ({@link #wrap}, {@link #unwrap}).
 *
 * <pre>{@code
 * SupervisorConfig config = SupervisorConfig.builder()
 *         .name("app")
 *         .strategy(RestartStrategy.REST_FOR_ONE)
 *         .child(ChildSpec.create("db", db))
 *         .child(ChildSpec.create("api", api))
 *         .maxRestarts(5).period(Duration.ofSeconds(10))
 *         .fullJitterBackoff(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2), new Random())
 *         .build();
 * }</pre>
 *
 * <p>Defaults: named "supervisor", {@link RestartStrategy#ONE_FOR_ONE}, no children, at most 3
 * restarts in 5 s, a full-jitter backoff below 100 ms doubling up to 10 s. Never blocks.
 */
public final class SupervisorConfig {
    private static final SupervisorConfig DEFAULTS = new SupervisorConfig(new dev.conduit.supervisor.SupervisorConfig());

    private final dev.conduit.supervisor.SupervisorConfig core;

    private SupervisorConfig(dev.conduit.supervisor.SupervisorConfig core) {
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
     * The all-defaults config: a one-for-one supervisor with no children. Never blocks.
     *
     * @return the default config
     */
    public static SupervisorConfig defaults() {
        return DEFAULTS;
    }

    /**
     * The Java view of {@code core}: the same config. Never blocks.
     *
     * @param core the Kotlin config
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static SupervisorConfig wrap(dev.conduit.supervisor.SupervisorConfig core) {
        return new SupervisorConfig(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core config behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin config
     */
    public dev.conduit.supervisor.SupervisorConfig unwrap() {
        return core;
    }

    /**
     * The supervisor's name, in every event. Never blocks.
     *
     * @return the name
     */
    public String name() {
        return core.getName();
    }

    /**
     * Which children restart together. Never blocks.
     *
     * @return the strategy
     */
    public RestartStrategy strategy() {
        return core.getStrategy();
    }

    /**
     * The children, in start order. Never blocks.
     *
     * @return an unmodifiable list, empty for a dynamic supervisor
     */
    public List<ChildSpec> children() {
        return core.getChildren().stream().map(ChildSpec::wrap).toList();
    }

    /**
     * The template of a dynamic supervisor. Never blocks.
     *
     * @return the template, or empty if the strategy is not dynamic
     */
    public Optional<ChildTemplate> template() {
        return Optional.ofNullable(core.getTemplate()).map(ChildTemplate::wrap);
    }

    /**
     * The most restarts in any {@link #period()}. Never blocks.
     *
     * @return the restarts, 0 or more
     */
    public int maxRestarts() {
        return core.getMaxRestarts();
    }

    /**
     * The window of {@link #maxRestarts()}. Never blocks.
     *
     * @return the period
     */
    public Duration period() {
        return SupervisorCalls.period(core);
    }

    /**
     * The wait before the {@code restart}-th restart of a child within a period; random for a
     * jittered backoff. Never blocks.
     *
     * @param restart the restart's number, 1 or more
     * @return the wait
     * @throws IllegalArgumentException if {@code restart} is below 1 (for the exponential kinds)
     */
    public Duration backoffBefore(int restart) {
        return SupervisorCalls.delay(core.getBackoff(), restart);
    }

    /** The name, strategy, children's ids and intensity. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }

    /**
     * Makes a {@link SupervisorConfig}; each setter rejects a bad value at once, naming it and
     * the value, and {@link #build()} checks the rules between them. Not thread-safe; never blocks.
     */
    public static final class Builder {
        private String name = DEFAULTS.name();
        private RestartStrategy strategy = DEFAULTS.strategy();
        private final List<dev.conduit.supervisor.ChildSpec> children = new ArrayList<>();
        private dev.conduit.supervisor.@Nullable ChildTemplate template;
        private int maxRestarts = DEFAULTS.maxRestarts();
        private Duration period = DEFAULTS.period();
        private Backoff backoff = DEFAULTS.core.getBackoff();

        private Builder() {}

        /**
         * The supervisor's name. Never blocks.
         *
         * @param name the name, not blank
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder name(String name) {
            this.name = ChildSpec.ChildSettings.notBlank("name", name);
            return this;
        }

        /**
         * Which children restart together. Never blocks.
         *
         * @param strategy the strategy
         * @return this builder
         * @throws NullPointerException if {@code strategy} is null
         */
        public Builder strategy(RestartStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Adds a child after those added before (children start in this order). Never blocks.
         *
         * @param child the child's spec
         * @return this builder
         * @throws NullPointerException if {@code child} is null
         */
        public Builder child(ChildSpec child) {
            children.add(Objects.requireNonNull(child, "child").unwrap());
            return this;
        }

        /**
         * Replaces the children with {@code children}, in this order. Never blocks.
         *
         * @param children the children's specs
         * @return this builder
         * @throws NullPointerException if {@code children} or one of them is null
         */
        public Builder children(List<ChildSpec> children) {
            List<dev.conduit.supervisor.ChildSpec> specs = new ArrayList<>();
            for (ChildSpec c : Objects.requireNonNull(children, "children")) specs.add(Objects.requireNonNull(c, "children[" + specs.size() + "]").unwrap());
            this.children.clear();
            this.children.addAll(specs);
            return this;
        }

        /**
         * The template of a dynamic supervisor (whose strategy must be
         * {@link RestartStrategy#SIMPLE_ONE_FOR_ONE}). Never blocks.
         *
         * @param template the template
         * @return this builder
         * @throws NullPointerException if {@code template} is null
         */
        public Builder template(ChildTemplate template) {
            this.template = Objects.requireNonNull(template, "template").unwrap();
            return this;
        }

        /**
         * The most restarts in any period; 0 fails at the first. Never blocks.
         *
         * @param maxRestarts the restarts, 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code maxRestarts} is negative
         */
        public Builder maxRestarts(int maxRestarts) {
            if (maxRestarts < 0) throw new IllegalArgumentException("maxRestarts must be >= 0, but was " + maxRestarts);
            this.maxRestarts = maxRestarts;
            return this;
        }

        /**
         * The window of {@link #maxRestarts}, sliding on the context's clock. Never blocks.
         *
         * @param period the window, positive
         * @return this builder
         * @throws NullPointerException if {@code period} is null
         * @throws IllegalArgumentException if {@code period} is zero or negative
         */
        public Builder period(Duration period) {
            this.period = ChildSpec.ChildSettings.positive("period", period);
            return this;
        }

        /**
         * The same wait before every restart. Never blocks.
         *
         * @param delay the wait, 0 or more
         * @return this builder
         * @throws NullPointerException if {@code delay} is null
         * @throws IllegalArgumentException if {@code delay} is negative
         */
        public Builder fixedBackoff(Duration delay) {
            backoff = RetryCalls.fixed(Objects.requireNonNull(delay, "delay"));
            return this;
        }

        /**
         * A wait of {@code initial * multiplier^(n - 1)} before a child's n-th restart within a
         * period, capped at {@code max}. Never blocks.
         *
         * @param initial the first wait, positive
         * @param multiplier the growth per restart, 1 or more
         * @param max the cap, at least {@code initial}
         * @return this builder
         * @throws NullPointerException if {@code initial} or {@code max} is null
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder exponentialBackoff(Duration initial, double multiplier, Duration max) {
            backoff = RetryCalls.exponential(Objects.requireNonNull(initial, "initial"), multiplier, Objects.requireNonNull(max, "max"));
            return this;
        }

        /**
         * "Full jitter": a uniformly random wait below the exponential one, drawn from
         * {@code random} (seed it for a fixed sequence). Never blocks.
         *
         * @param initial the first ceiling, positive
         * @param multiplier the growth per restart, 1 or more
         * @param max the cap, at least {@code initial}
         * @param random the random source
         * @return this builder
         * @throws NullPointerException if {@code initial}, {@code max} or {@code random} is null
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder fullJitterBackoff(Duration initial, double multiplier, Duration max, Random random) {
            backoff = RetryCalls.fullJitter(Objects.requireNonNull(initial, "initial"), multiplier,
                    Objects.requireNonNull(max, "max"), Objects.requireNonNull(random, "random"));
            return this;
        }

        /**
         * The config. Never blocks.
         *
         * @return a new immutable config
         * @throws IllegalArgumentException if two children share an id, a dynamic supervisor has
         *     children or no template, or another one has a template
         */
        public SupervisorConfig build() {
            return new SupervisorConfig(SupervisorCalls.config(name, strategy, children, template, maxRestarts, period, backoff));
        }
    }
}
