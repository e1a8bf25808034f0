package dev.conduit.java.supervisor;

import dev.conduit.context.Context;
import dev.conduit.java.internal.SupervisorCalls;
import dev.conduit.supervisor.ChildInfo;
import dev.conduit.supervisor.SupervisorFailedException;
import dev.conduit.supervisor.SupervisorListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An Erlang/OTP-style supervisor for Java: runs its children, restarts those that end as their
 * restart type and its strategy say, with a backoff and within a restart intensity, and stops
 * them in reverse order when it stops; nested as a child of another ({@link ChildSpec#builder(String, Supervisor)}),
 * a supervisor that gives up fails, and its parent decides. The Java view of the core
 * {@link dev.conduit.supervisor.Supervisor} ({@link #wrap}, {@link #unwrap}), which documents the
 * rules in full.
 *
 * <pre>{@code
 * Supervisor app = Supervisor.create(SupervisorConfig.builder()
 *         .name("app")
 *         .child(ChildSpec.create("cache", cache))
 *         .child(ChildSpec.builder("fetcher", fetcher).restart(RestartType.TRANSIENT).build())
 *         .build());
 * app.addListener(e -> log.info(e.toString()));
 * try (CancelContext ctx = Context.background().withCancel()) {
 *     CompletableFuture<Void> running = app.runAsync(ctx);
 *     // ... until it is time to stop:
 *     ctx.cancel();      // stops fetcher, then cache
 *     running.join();
 * }
 * }</pre>
 *
 * <p>Children start one by one in order, each once its {@code run} has begun on its own
 * goroutine thread. Stopping a child cancels its context and calls its
 * {@link SupervisedChild#shutdown}; after its shutdown timeout its thread is interrupted; after
 * as long again it is abandoned and reported. Events ({@link dev.conduit.supervisor.SupervisorEvent})
 * go to listeners on the supervisor's thread; {@link #children()} is a snapshot. Thread-safe.
 */
public final class Supervisor {
    private final dev.conduit.supervisor.Supervisor core;

    private Supervisor(dev.conduit.supervisor.Supervisor core) {
        this.core = core;
    }

    /**
     * A supervisor with {@code config}'s settings and children, not yet running. Never blocks.
     *
     * @param config the name, strategy, children and intensity
     * @return a new supervisor
     * @throws NullPointerException if {@code config} is null
     */
    public static Supervisor create(SupervisorConfig config) {
        return new Supervisor(new dev.conduit.supervisor.Supervisor(Objects.requireNonNull(config, "config").unwrap()));
    }

    /**
     * The Java view of {@code core}: the same supervisor. Never blocks.
     *
     * @param core the Kotlin supervisor
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static Supervisor wrap(dev.conduit.supervisor.Supervisor core) {
        return new Supervisor(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core supervisor behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin supervisor
     */
    public dev.conduit.supervisor.Supervisor unwrap() {
        return core;
    }

    /**
     * The supervisor's name. Never blocks.
     *
     * @return the name
     */
    public String name() {
        return core.getName();
    }

    /**
     * Its settings. Never blocks.
     *
     * @return the config
     */
    public SupervisorConfig config() {
        return SupervisorConfig.wrap(core.getConfig());
    }

    /**
     * Runs the supervisor on this thread's behalf: starts its children in order, then supervises
     * them until {@code ctx} is done (it then stops them in reverse order and returns) or it gives
     * up (it then stops them and throws). Blocks for as long as it runs. A supervisor whose run
     * has ended may be run again, afresh.
     *
     * @param ctx its end stops the supervisor; its clock times the backoffs, timeouts and window
     * @throws SupervisorFailedException if more than {@link SupervisorConfig#maxRestarts()}
     *     restarts were needed in a {@link SupervisorConfig#period()}
     * @throws IllegalStateException if it is already running
     * @throws InterruptedException if this thread is interrupted: the supervisor stops its
     *     children first, then this throws
     * @throws NullPointerException if {@code ctx} is null
     */
    public void run(Context ctx) throws InterruptedException {
        SupervisorCalls.run(core, Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * {@link #run} without blocking: the future completes when the run ends, exceptionally with
     * {@link SupervisorFailedException} if it gave up (or {@link IllegalStateException} if it was
     * already running). Cancelling the future asks the supervisor to stop: the future is
     * cancelled at once, and the tree stops after it, children in reverse order ({@link #isRunning()}
     * says when it has). Never blocks.
     *
     * @param ctx its end stops the supervisor
     * @return the run's future
     * @throws NullPointerException if {@code ctx} is null
     */
    public CompletableFuture<@Nullable Void> runAsync(Context ctx) {
        return SupervisorCalls.runAsync(core, Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Starts a child of this dynamic supervisor from its {@link ChildTemplate}: the template's
     * factory makes it from {@code args}, on this thread. Blocks until the child's run has begun.
     *
     * @param args the argument for the template's factory
     * @return the new child's id, {@code "<template name>-N"}
     * @throws IllegalStateException if the supervisor is not dynamic, or not running
     * @throws InterruptedException if this thread is interrupted while waiting (the child may
     *     still start)
     */
    public String startChild(@Nullable Object args) throws InterruptedException {
        return SupervisorCalls.startChild(core, args);
    }

    /**
     * Stops child {@code id} and does not restart it: a static child stays in
     * {@link #children()} as stopped, a dynamic one is removed. Blocks until it has stopped (or
     * been abandoned).
     *
     * @param id the child's id
     * @return false if there is no such child running or waiting to restart
     * @throws IllegalStateException if the supervisor is not running
     * @throws InterruptedException if this thread is interrupted while waiting (the child is
     *     still stopped)
     * @throws NullPointerException if {@code id} is null
     */
    public boolean terminateChild(String id) throws InterruptedException {
        return SupervisorCalls.terminateChild(core, Objects.requireNonNull(id, "id"));
    }

    /**
     * A snapshot of the children in start order with their states (of the current run, else of
     * the last one). Never blocks.
     *
     * @return an immutable list
     */
    public List<ChildInfo> children() {
        return core.children();
    }

    /**
     * Whether a run is in progress. Never blocks.
     *
     * @return true while it runs
     */
    public boolean isRunning() {
        return core.isRunning();
    }

    /**
     * Adds {@code listener} to receive this supervisor's events from now on, on the
     * supervisor's thread; it must not block. Never blocks.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    public void addListener(SupervisorListener listener) {
        core.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes {@code listener}. Never blocks.
     *
     * @param listener the listener
     * @return whether it was registered
     * @throws NullPointerException if {@code listener} is null
     */
    public boolean removeListener(SupervisorListener listener) {
        return core.removeListener(Objects.requireNonNull(listener, "listener"));
    }

    /** The name and strategy. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
