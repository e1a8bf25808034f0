package dev.conduit.java.supervisor;

import dev.conduit.java.internal.SupervisorCalls;
import dev.conduit.supervisor.RestartType;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one spec a dynamic ({@link dev.conduit.supervisor.RestartStrategy#SIMPLE_ONE_FOR_ONE})
 * supervisor makes its children from, for Java: {@link Supervisor#startChild(Object)} passes its
 * argument to the {@link Factory} and runs the child it returns with this template's settings,
 * under the id {@code "<name>-N"}. Immutable; made by {@link #create} or {@link #builder}. The
 * Java view of the core {@link dev.conduit.supervisor.ChildTemplate} ({@link #wrap}, {@link #unwrap}).
 *
 * <pre>{@code
 * ChildTemplate connections = ChildTemplate.builder("conn", socket -> ctx -> serve((Socket) socket, ctx))
 *         .restart(RestartType.TRANSIENT)
 *         .build();
 * }</pre>
 *
 * <p>Defaults: as {@link ChildSpec}'s. Never blocks.
 */
public final class ChildTemplate {
    private final dev.conduit.supervisor.ChildTemplate core;

    private ChildTemplate(dev.conduit.supervisor.ChildTemplate core) {
        this.core = core;
    }

    /** Makes a child from {@link Supervisor#startChild(Object)}'s argument. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Makes a child, on the thread that calls {@link Supervisor#startChild(Object)}, which
         * throws what this throws (and starts nothing).
         *
         * @param args the argument given to {@code startChild}
         * @return the child to run, not null
         */
        SupervisedChild create(@Nullable Object args);
    }

    /**
     * A template with the defaults. Never blocks.
     *
     * @param name the prefix of the children's ids
     * @param factory makes each child
     * @return the template
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static ChildTemplate create(String name, Factory factory) {
        return builder(name, factory).build();
    }

    /**
     * A builder of a template. Never blocks.
     *
     * @param name the prefix of the children's ids
     * @param factory makes each child
     * @return a new builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Builder builder(String name, Factory factory) {
        return new Builder(name, factory);
    }

    /**
     * The Java view of {@code core}: the same template. Never blocks.
     *
     * @param core the Kotlin template
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static ChildTemplate wrap(dev.conduit.supervisor.ChildTemplate core) {
        return new ChildTemplate(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core template behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin template
     */
    public dev.conduit.supervisor.ChildTemplate unwrap() {
        return core;
    }

    /**
     * The prefix of the children's ids. Never blocks.
     *
     * @return the name
     */
    public String name() {
        return core.getName();
    }

    /**
     * When each child is restarted. Never blocks.
     *
     * @return the restart type
     */
    public RestartType restart() {
        return core.getRestart();
    }

    /**
     * How long each child has to stop before its thread is interrupted. Never blocks.
     *
     * @return the timeout, or empty if the supervisor waits for ever
     */
    public Optional<Duration> shutdownTimeout() {
        return Optional.ofNullable(SupervisorCalls.shutdownTimeout(core));
    }

    /**
     * How often each child's health is polled. Never blocks.
     *
     * @return the interval, or empty for no health check
     */
    public Optional<Duration> healthInterval() {
        return Optional.ofNullable(SupervisorCalls.healthInterval(core));
    }

    /** The name, restart type and timeouts. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }

    /**
     * Makes a {@link ChildTemplate}; each setter rejects a bad value at once, naming it and the
     * value. Not thread-safe; never blocks.
     */
    public static final class Builder {
        private final String name;
        private final Factory factory;
        private final ChildSpec.ChildSettings settings = new ChildSpec.ChildSettings();

        private Builder(String name, Factory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            this.name = ChildSpec.ChildSettings.notBlank("name", name);
        }

        /**
         * When each child is restarted. Never blocks.
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
         * As {@link ChildSpec.Builder#shutdownTimeout}. Never blocks.
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
         * As {@link ChildSpec.Builder#healthInterval}. Never blocks.
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
         * The template. Never blocks.
         *
         * @return a new immutable template
         */
        public ChildTemplate build() {
            return new ChildTemplate(SupervisorCalls.template(name, settings.restart, settings.shutdownTimeout, settings.healthInterval, factory));
        }
    }
}
