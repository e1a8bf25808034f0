package dev.conduit.java.supervisor;

import dev.conduit.java.internal.SupervisorCalls;
import dev.conduit.supervisor.RestartType;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One child of a {@link Supervisor}, for Java: its id, what runs, its restart type, its shutdown
 * timeout and its health interval. Immutable; made by {@link #create} (the defaults) or
 * {@link #builder}. The Java view of the core {@link dev.conduit.supervisor.ChildSpec}
 * ({@link #wrap}, {@link #unwrap}).
 *
 * <pre>{@code
 * ChildSpec fetcher = ChildSpec.builder("fetcher", ctx -> fetchForever(ctx))
 *         .restart(RestartType.TRANSIENT)
 *         .shutdownTimeout(Duration.ofSeconds(2))
 *         .healthInterval(Duration.ofSeconds(10))
 *         .build();
 * ChildSpec subtree = ChildSpec.builder("db", dbSupervisor).shutdownTimeout(Duration.ofSeconds(30)).build();
 * }</pre>
 *
 * <p>Defaults: {@link RestartType#PERMANENT}, a 5 s shutdown timeout, no health check. Never blocks.
 */
public final class ChildSpec {
    private final dev.conduit.supervisor.ChildSpec core;

    private ChildSpec(dev.conduit.supervisor.ChildSpec core) {
        this.core = core;
    }

    /**
     * A spec with the defaults. Never blocks.
     *
     * @param id the child's id, unique among its supervisor's children
     * @param child what runs
     * @return the spec
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is blank
     */
    public static ChildSpec create(String id, SupervisedChild child) {
        return builder(id, child).build();
    }

    /**
     * A builder of a spec running a Java child. Never blocks.
     *
     * @param id the child's id, unique among its supervisor's children
     * @param child what runs
     * @return a new builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is blank
     */
    public static Builder builder(String id, SupervisedChild child) {
        return new Builder(id, SupervisorCalls.coreChild(Objects.requireNonNull(child, "child")));
    }

    /**
     * A builder of a spec whose child is a whole supervisor: a subtree. Its shutdown timeout is
     * for ever by default (OTP's {@code infinity} for supervisors), so that it stops its own
     * children with their own timeouts; set one to bound it. Never blocks.
     *
     * @param id the subtree's id among its parent's children
     * @param supervisor the supervisor that runs as the child
     * @return a new builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is blank
     */
    public static Builder builder(String id, Supervisor supervisor) {
        Builder b = new Builder(id, Objects.requireNonNull(supervisor, "supervisor").unwrap());
        b.settings.shutdownTimeout = ChronoUnit.FOREVER.getDuration(); // OTP's infinity for a supervisor child
        return b;
    }

    /**
     * The Java view of {@code core}: the same spec. Never blocks.
     *
     * @param core the Kotlin spec
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static ChildSpec wrap(dev.conduit.supervisor.ChildSpec core) {
        return new ChildSpec(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core spec behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin spec
     */
    public dev.conduit.supervisor.ChildSpec unwrap() {
        return core;
    }

    /**
     * The child's id. Never blocks.
     *
     * @return the id
     */
    public String id() {
        return core.getId();
    }

    /**
     * When the child is restarted. Never blocks.
     *
     * @return the restart type
     */
    public RestartType restart() {
        return core.getRestart();
    }

    /**
     * How long the child has to stop before its thread is interrupted. Never blocks.
     *
     * @return the timeout, or empty if the supervisor waits for ever
     */
    public Optional<Duration> shutdownTimeout() {
        return Optional.ofNullable(SupervisorCalls.shutdownTimeout(core));
    }

    /**
     * How often the child's health is polled. Never blocks.
     *
     * @return the interval, or empty for no health check
     */
    public Optional<Duration> healthInterval() {
        return Optional.ofNullable(SupervisorCalls.healthInterval(core));
    }

    /** The id, restart type and timeouts. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }

    /**
     * Makes a {@link ChildSpec}; each setter rejects a bad value at once, naming it and the
     * value. Not thread-safe; never blocks.
     */
    public static final class Builder {
        private final String id;
        private final dev.conduit.supervisor.SupervisedChild child;
        private final ChildSettings settings = new ChildSettings();

        private Builder(String id, dev.conduit.supervisor.SupervisedChild child) {
            this.id = ChildSettings.notBlank("id", id);
            this.child = child;
        }

        /**
         * When the child is restarted. Never blocks.
         *
         * @param restart the restart type
         * @return this builder
         * @throws NullPointerException if {@code restart} is null
         */
        public Builder restart(RestartType restart) {
            settings.restart(restart);
            return this;
        }

        /**
         * How long the child has to stop (its context cancelled, {@link SupervisedChild#shutdown}
         * called) before its thread is interrupted; as long again after that, and it is abandoned.
         * A duration too long for nanoseconds ({@code ChronoUnit.FOREVER.getDuration()}) waits for
         * ever. Never blocks.
         *
         * @param timeout the timeout, positive
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder shutdownTimeout(Duration timeout) {
            settings.shutdownTimeout(timeout);
            return this;
        }

        /**
         * Polls the child's {@link SupervisedChild#health} at this interval while it runs; a check
         * must answer within the interval, or it counts as unhealthy. Never blocks.
         *
         * @param interval the interval, positive
         * @return this builder
         * @throws NullPointerException if {@code interval} is null
         * @throws IllegalArgumentException if {@code interval} is zero or negative
         */
        public Builder healthInterval(Duration interval) {
            settings.healthInterval(interval);
            return this;
        }

        /**
         * The spec. Never blocks.
         *
         * @return a new immutable spec
         */
        public ChildSpec build() {
            return new ChildSpec(SupervisorCalls.spec(id, child, settings.restart, settings.shutdownTimeout, settings.healthInterval));
        }
    }

    /** The settings {@link ChildSpec.Builder} and {@link ChildTemplate.Builder} share, checked as they are set. */
    static final class ChildSettings {
        RestartType restart = RestartType.PERMANENT;
        Duration shutdownTimeout = Duration.ofSeconds(5);
        @Nullable Duration healthInterval;

        static String notBlank(String name, String value) {
            Objects.requireNonNull(value, name);
            if (value.isBlank()) throw new IllegalArgumentException(name + " must not be blank, but was '" + value + "'");
            return value;
        }

        static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(name + " must be > 0, but was " + value);
            return value;
        }

        void restart(RestartType restart) {
            this.restart = Objects.requireNonNull(restart, "restart");
        }

        void shutdownTimeout(Duration timeout) {
            shutdownTimeout = positive("shutdownTimeout", timeout);
        }

        void healthInterval(Duration interval) {
            healthInterval = positive("healthInterval", interval);
        }
    }
}
