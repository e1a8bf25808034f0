package dev.conduit.java.supervisor;

import dev.conduit.context.Context;
import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.internal.GoroutineManagerCalls;
import dev.conduit.java.internal.SuspendCalls;
import dev.conduit.supervisor.GoroutineInfo;
import dev.conduit.supervisor.GoroutineManagerClosedException;
import dev.conduit.supervisor.GoroutineManagerException;
import dev.conduit.supervisor.GoroutineManagerListener;
import dev.conduit.supervisor.GoroutineManagerReport;
import dev.conduit.supervisor.GoroutineManagerState;
import dev.conduit.supervisor.ManagedGoroutineFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Runs named goroutines under one context, at most {@code maxGoroutines} at a time, tracks them,
 * reports every error with the name of the goroutine that raised it, and ends them in order: the
 * Java view of the core {@link dev.conduit.supervisor.GoroutineManager} ({@link #wrap} and
 * {@link #unwrap} share one manager between Java and Kotlin code).
 *
 * <pre>{@code
 * GoroutineManager manager = GoroutineManager.create(ctx, "crawler", 8);
 * for (String url : urls) {
 *     manager.go("fetch", Map.of("url", url), g -> {
 *         Connection c = open(url);
 *         g.defer(c::close);                       // runs when this goroutine ends, however it ends
 *         c.fetch(g.ctx());
 *     });
 * }
 * GoroutineManagerReport report = manager.shutdown(Duration.ofSeconds(5), Duration.ofSeconds(10));
 * }</pre>
 *
 * <h2>Starting goroutines</h2>
 * {@link #go(String, Task)} blocks while every slot is taken, first come first served;
 * {@link #tryGo(String, Task)} never blocks and starts nothing when none is free;
 * {@link #goAsync(String, Task)} returns a future. Each task runs on its own goroutine thread
 * (virtual on JDK 21+) and may block freely; it gets its {@link ManagedGoroutine}, whose
 * {@link ManagedGoroutine#ctx() context} it should pass to its blocking calls.
 *
 * <h2>Errors</h2>
 * Any exception a task throws is an error of its goroutine, except when it stops because it was
 * asked to (the context's error once its context is done, or an interrupt by a force-cancel). So
 * is a cleanup's. {@link #errors()} streams them as they happen (unbounded, so a failing task
 * never waits for a reader and none is dropped; closed once the manager has ended), and
 * {@link #await()} throws them all in one {@link GoroutineManagerException}, each with its
 * goroutine's name. A child manager's errors are also its parent's.
 *
 * <h2>Ending</h2>
 * {@link #await()} lets the manager end once no goroutine is left; {@link #shutdown(Duration,
 * Duration)} stops accepting, cancels the context (the signal), waits a grace period, interrupts
 * the threads still running (force-cancel), gives up at the deadline on those that ignore even
 * that, runs the cleanups, and returns a {@link GoroutineManagerReport}; {@link #cancel()} does
 * it all at once without waiting. Each phase is a {@link dev.conduit.supervisor.GoroutineManagerEvent}
 * for {@link #addListener listeners}. Once it has stopped accepting, {@code go} and
 * {@code tryGo} throw {@link GoroutineManagerClosedException}. The manager's own
 * {@link #defer(Cleanup) cleanups} run last, after its children's.
 *
 * <p>Thread-safe. {@code go} (while the slots are taken), {@code await}, {@code shutdown}
 * block; the {@code ...Async} forms, {@code tryGo}, {@code cancel} and the queries never block.
 */
public final class GoroutineManager {
    private final dev.conduit.supervisor.GoroutineManager core;

    private GoroutineManager(dev.conduit.supervisor.GoroutineManager core) {
        this.core = core;
    }

    /** The body of a managed goroutine: gets its goroutine (context, cleanups), may throw. */
    @FunctionalInterface
    public interface Task {
        /**
         * Does the goroutine's work; blocking calls in it should take {@code self.ctx()} (or end
         * with {@link InterruptedException} when its thread is interrupted).
         *
         * @param self the goroutine this task runs as
         * @throws Exception an error of this goroutine, reported with its name
         */
        void run(ManagedGoroutine self) throws Exception;
    }

    /**
     * A manager named "manager" under {@link Context#background()}. Never blocks.
     *
     * @param maxGoroutines how many of its goroutines may run at once
     * @return a new manager
     * @throws IllegalArgumentException if {@code maxGoroutines} is not positive
     */
    public static GoroutineManager create(int maxGoroutines) {
        return create(Context.background(), "manager", maxGoroutines);
    }

    /**
     * A manager named "manager" whose context is a child of {@code ctx} (and whose clock is
     * {@code ctx}'s). Never blocks.
     *
     * @param ctx the parent of the manager's context: cancelling it signals every goroutine
     * @param maxGoroutines how many of its goroutines may run at once
     * @return a new manager
     * @throws NullPointerException if {@code ctx} is null
     * @throws IllegalArgumentException if {@code maxGoroutines} is not positive
     */
    public static GoroutineManager create(Context ctx, int maxGoroutines) {
        return create(ctx, "manager", maxGoroutines);
    }

    /**
     * A manager named {@code name} whose context is a child of {@code ctx} (and whose clock is
     * {@code ctx}'s). Never blocks.
     *
     * @param ctx the parent of the manager's context: cancelling it signals every goroutine
     * @param name how listings, errors and events name it
     * @param maxGoroutines how many of its goroutines may run at once
     * @return a new manager
     * @throws NullPointerException if {@code ctx} or {@code name} is null
     * @throws IllegalArgumentException if {@code maxGoroutines} is not positive
     */
    public static GoroutineManager create(Context ctx, String name, int maxGoroutines) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(name, "name");
        return new GoroutineManager(new dev.conduit.supervisor.GoroutineManager(
                ctx, maxGoroutines, name, dev.conduit.GoRuntime.getScope(), ctx.getClock()));
    }

    /**
     * The Java view of {@code core}: the same manager, not a copy. Never blocks.
     *
     * @param core the core manager
     * @return a Java view of it
     * @throws NullPointerException if {@code core} is null
     */
    public static GoroutineManager wrap(dev.conduit.supervisor.GoroutineManager core) {
        return new GoroutineManager(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core manager behind this one, for Kotlin code. Never blocks.
     *
     * @return the core manager
     */
    public dev.conduit.supervisor.GoroutineManager unwrap() {
        return core;
    }

    /**
     * Its name ({@code parent/child} for a child manager). Never blocks.
     *
     * @return its name
     */
    public String name() {
        return core.getName();
    }

    /**
     * How many of its goroutines may run at once. Never blocks.
     *
     * @return its slot count
     */
    public int maxGoroutines() {
        return core.getMaxGoroutines();
    }

    /**
     * Its context, the parent of each goroutine's: cancelled by the shutdown's signal, by
     * {@link #cancel()}, by the context it was made with, and once it has ended. Never blocks.
     *
     * @return its context
     */
    public Context ctx() {
        return core.getCtx();
    }

    /**
     * Its state now. Never blocks.
     *
     * @return its state
     */
    public GoroutineManagerState state() {
        return core.getState();
    }

    /**
     * Starts {@code task} as a goroutine named {@code name}, blocking first while every slot is
     * taken.
     *
     * @param name how listings and errors name it
     * @param task what it runs
     * @return its handle
     * @throws NullPointerException if an argument is null
     * @throws GoroutineManagerClosedException if the manager does not accept goroutines, or
     *     stops accepting while this waits; nothing is started then
     * @throws dev.conduit.context.ContextException if the manager's context is done while this
     *     waits for a slot; nothing is started then
     * @throws InterruptedException if interrupted while waiting for a slot; nothing is started then
     */
    public ManagedGoroutine go(String name, Task task) throws InterruptedException {
        return go(name, Map.of(), task);
    }

    /**
     * Starts {@code task} as a goroutine named {@code name} with {@code labels}, blocking first
     * while every slot is taken.
     *
     * @param name how listings and errors name it
     * @param labels what it works on, for listings (copied)
     * @param task what it runs
     * @return its handle
     * @throws NullPointerException if an argument is null
     * @throws GoroutineManagerClosedException if the manager does not accept goroutines, or
     *     stops accepting while this waits; nothing is started then
     * @throws dev.conduit.context.ContextException if the manager's context is done while this
     *     waits for a slot; nothing is started then
     * @throws InterruptedException if interrupted while waiting for a slot; nothing is started then
     */
    public ManagedGoroutine go(String name, Map<String, String> labels, Task task) throws InterruptedException {
        checkStart(name, labels, task);
        return ManagedGoroutine.wrap(GoroutineManagerCalls.go(core, name, labels, task));
    }

    /**
     * Starts {@code task} like {@link #go(String, Task)} without blocking: the future completes
     * with its handle once it has a slot, or exceptionally with what {@code go} would throw.
     * Cancelling the future withdraws the wait (nothing is started then). Never blocks.
     *
     * @param name how listings and errors name it
     * @param task what it runs
     * @return a future of its handle
     * @throws NullPointerException if an argument is null
     * @throws GoroutineManagerClosedException if the manager does not accept goroutines
     */
    public CompletableFuture<ManagedGoroutine> goAsync(String name, Task task) {
        return goAsync(name, Map.of(), task);
    }

    /**
     * Starts {@code task} like {@link #go(String, Map, Task)} without blocking: the future
     * completes with its handle once it has a slot, or exceptionally with what {@code go} would
     * throw. Cancelling the future withdraws the wait (nothing is started then). Never blocks.
     *
     * @param name how listings and errors name it
     * @param labels what it works on, for listings (copied)
     * @param task what it runs
     * @return a future of its handle
     * @throws NullPointerException if an argument is null
     * @throws GoroutineManagerClosedException if the manager does not accept goroutines
     */
    public CompletableFuture<ManagedGoroutine> goAsync(String name, Map<String, String> labels, Task task) {
        checkStart(name, labels, task);
        return GoroutineManagerCalls.goAsync(core, name, labels, task).thenApply(ManagedGoroutine::wrap);
    }

    /**
     * Starts {@code task} as a goroutine named {@code name} if a slot is free now (and nobody is
     * queued for one); otherwise starts nothing. Never blocks.
     *
     * @param name how listings and errors name it
     * @param task what it runs
     * @return its handle, or empty if no slot was free
     * @throws NullPointerException if an argument is null
     * @throws GoroutineManagerClosedException if the manager does not accept goroutines
     */
    public Optional<ManagedGoroutine> tryGo(String name, Task task) {
        return tryGo(name, Map.of(), task);
    }

    /**
     * Starts {@code task} as a goroutine named {@code name} with {@code labels} if a slot is free
     * now (and nobody is queued for one); otherwise starts nothing. Never blocks.
     *
     * @param name how listings and errors name it
     * @param labels what it works on, for listings (copied)
     * @param task what it runs
     * @return its handle, or empty if no slot was free
     * @throws NullPointerException if an argument is null
     * @throws GoroutineManagerClosedException if the manager does not accept goroutines
     */
    public Optional<ManagedGoroutine> tryGo(String name, Map<String, String> labels, Task task) {
        checkStart(name, labels, task);
        return Optional.ofNullable(GoroutineManagerCalls.tryGo(core, name, labels, task)).map(ManagedGoroutine::wrap);
    }

    private static void checkStart(String name, Map<String, String> labels, Task task) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(task, "task");
    }

    /**
     * A manager under this one, named {@code this.name()/name}, with slots of its own and its
     * context a child of this one's: this manager's shutdown, cancel and await reach it, its
     * errors are this one's too, and this manager ends only after it has ended and its cleanups
     * have run. Never blocks.
     *
     * @param name its name under this one
     * @param maxGoroutines how many of its goroutines may run at once
     * @return the child manager
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code maxGoroutines} is not positive
     * @throws GoroutineManagerClosedException if this manager does not accept goroutines
     */
    public GoroutineManager child(String name, int maxGoroutines) {
        Objects.requireNonNull(name, "name");
        return new GoroutineManager(core.child(name, maxGoroutines));
    }

    /**
     * A snapshot of its goroutines and its live children's (running, blocked, and the most
     * recently ended ones), in start order. Never blocks.
     *
     * @return an unmodifiable list of snapshots
     */
    public List<GoroutineInfo> goroutines() {
        return core.goroutines();
    }

    /**
     * Every error as it happens (its goroutines', their cleanups', its own cleanups', its
     * children's), in the order they happened. Unbounded, so recording one never waits and none
     * is dropped; closed once the manager has ended, after its last error (the ones buffered can
     * still be received). Never blocks.
     *
     * @return a receive-only channel of errors
     */
    public ReceiveChannel<ManagedGoroutineFailure> errors() {
        return ReceiveChannel.wrap(core.getErrors());
    }

    /**
     * Registers {@code cleanup} to run when the manager ends, after every goroutine and child
     * manager, last registered first; one that throws is an error of the manager and the others
     * still run. Never blocks.
     *
     * @param cleanup what to run
     * @throws NullPointerException if {@code cleanup} is null
     * @throws IllegalStateException if the manager's cleanups have already run
     */
    public void defer(Cleanup cleanup) {
        Objects.requireNonNull(cleanup, "cleanup");
        GoroutineManagerCalls.defer(core, cleanup);
    }

    /**
     * Blocks until the manager has ended: from this call on it ends as soon as no goroutine or
     * child manager is left (tasks may still start others meanwhile), then its cleanups run.
     * Called again, it reports the same again. Named {@code await}, not {@code wait}, so as not
     * to meet {@link Object#wait()}.
     *
     * @throws GoroutineManagerException every error it recorded, each with its goroutine's name
     * @throws InterruptedException if interrupted; that only stops the wait
     */
    public void await() throws InterruptedException {
        GoroutineManagerCalls.await(core);
    }

    /**
     * {@link #await()} without blocking: the future completes once the manager has ended, or
     * exceptionally with its {@link GoroutineManagerException}. Cancelling it only stops the
     * wait. Never blocks.
     *
     * @return a future of the manager's end
     */
    public CompletableFuture<@Nullable Void> awaitAsync() {
        return GoroutineManagerCalls.awaitAsync(core);
    }

    /**
     * Cancels everything now: stops accepting, cancels the context and interrupts every running
     * task's thread, in this manager and its children. Their cleanups still run; the manager
     * ends once they have ended. Never blocks.
     */
    public void cancel() {
        core.cancel();
    }

    /**
     * Shuts the manager and its children down gracefully: stop accepting, signal (cancel the
     * context), wait up to {@code grace} for every goroutine to end, force-cancel (interrupt)
     * those still running, wait for them until {@code timeout} from now, give up on those that
     * ignore even that (they are reported, not waited for), then run the cleanups (which are
     * waited for). Only the first call runs the sequence; a later one waits for its report.
     *
     * @param grace how long the goroutines get to end by themselves once signalled
     * @param timeout the deadline of the whole sequence (before the cleanups), from now
     * @return what became of the goroutines that were running when it began
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code grace} or {@code timeout} is negative
     * @throws InterruptedException if interrupted: the sequence is cut short (everything still
     *     running is force-cancelled and given up on at once) and this returns without waiting
     *     for the cleanups
     */
    public GoroutineManagerReport shutdown(Duration grace, Duration timeout) throws InterruptedException {
        checkShutdown(grace, timeout);
        return GoroutineManagerCalls.shutdown(core, SuspendCalls.nanos(grace), SuspendCalls.nanos(timeout));
    }

    /**
     * {@link #shutdown(Duration, Duration)} whose deadline is {@code ctx} being done (its
     * timeout, deadline or cancellation), and whose grace period is measured on {@code ctx}'s
     * clock.
     *
     * @param ctx the deadline of the whole sequence (before the cleanups)
     * @param grace how long the goroutines get to end by themselves once signalled
     * @return what became of the goroutines that were running when it began
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code grace} is negative
     * @throws InterruptedException if interrupted: the sequence is cut short and this returns
     *     without waiting for the cleanups
     */
    public GoroutineManagerReport shutdown(Context ctx, Duration grace) throws InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        checkShutdown(grace, Duration.ZERO);
        return GoroutineManagerCalls.shutdown(core, ctx, SuspendCalls.nanos(grace));
    }

    /**
     * {@link #shutdown(Duration, Duration)} without blocking: the future completes with the
     * report. Cancelling it cuts the sequence short. Never blocks.
     *
     * @param grace how long the goroutines get to end by themselves once signalled
     * @param timeout the deadline of the whole sequence (before the cleanups), from now
     * @return a future of the report
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code grace} or {@code timeout} is negative
     */
    public CompletableFuture<GoroutineManagerReport> shutdownAsync(Duration grace, Duration timeout) {
        checkShutdown(grace, timeout);
        return GoroutineManagerCalls.shutdownAsync(core, SuspendCalls.nanos(grace), SuspendCalls.nanos(timeout));
    }

    private static void checkShutdown(Duration grace, Duration timeout) {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(timeout, "timeout");
        if (grace.isNegative()) throw new IllegalArgumentException("grace must be >= 0, but was " + grace);
        if (timeout.isNegative()) throw new IllegalArgumentException("timeout must be >= 0, but was " + timeout);
    }

    /**
     * Registers {@code listener} for the manager's phase events; it is called on the thread that
     * made the change and must not block. Never blocks.
     *
     * @param listener what to call
     * @throws NullPointerException if {@code listener} is null
     */
    public void addListener(GoroutineManagerListener listener) {
        core.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unregisters {@code listener}. Never blocks.
     *
     * @param listener what to stop calling
     * @return whether it was registered
     * @throws NullPointerException if {@code listener} is null
     */
    public boolean removeListener(GoroutineManagerListener listener) {
        return core.removeListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Its name, state and how many goroutines run. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
