package dev.conduit.java.supervisor;

import dev.conduit.context.Context;
import dev.conduit.java.internal.GoroutineManagerCalls;
import dev.conduit.supervisor.GoroutineInfo;
import dev.conduit.supervisor.GoroutineState;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A goroutine that a {@link GoroutineManager} runs, for Java: the Java view of the core
 * {@link dev.conduit.supervisor.ManagedGoroutine}. Its task gets it as its parameter
 * ({@code g -> { g.defer(conn::close); work(g.ctx()); }}), and {@link GoroutineManager#go} returns
 * it: its {@link #id()}, {@link #name()}, {@link #labels()}, its state now ({@link #info()}), its
 * own {@link #ctx() context}, {@link #defer(Cleanup) cleanups}, {@link #cancel()} and
 * {@link #join()}.
 *
 * <p>Its life: BLOCKED on a slot while {@code go} waits for one, RUNNING, BLOCKED on "cleanups"
 * while they run, then FINISHED, FAILED or CANCELLED (see {@link GoroutineState}). A task that
 * returns has finished; one that throws has failed, except when it stops because it was asked to
 * (its context is done and it throws the context's error, or its thread was interrupted by a
 * force-cancel): that is CANCELLED. Thread-safe; {@code join} blocks, the rest never blocks.
 */
public final class ManagedGoroutine {
    private final dev.conduit.supervisor.ManagedGoroutine core;

    private ManagedGoroutine(dev.conduit.supervisor.ManagedGoroutine core) {
        this.core = core;
    }

    /**
     * The Java view of {@code core}: the same goroutine, not a copy. Never blocks.
     *
     * @param core the core goroutine
     * @return a Java view of it
     * @throws NullPointerException if {@code core} is null
     */
    public static ManagedGoroutine wrap(dev.conduit.supervisor.ManagedGoroutine core) {
        return new ManagedGoroutine(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core goroutine behind this one, for Kotlin code. Never blocks.
     *
     * @return the core goroutine
     */
    public dev.conduit.supervisor.ManagedGoroutine unwrap() {
        return core;
    }

    /**
     * Its number, unique in the process, in start order. Never blocks.
     *
     * @return its id
     */
    public long id() {
        return core.getId();
    }

    /**
     * The name it was started with. Never blocks.
     *
     * @return its name
     */
    public String name() {
        return core.getName();
    }

    /**
     * Its labels, as given when it was started. Never blocks.
     *
     * @return its labels, unmodifiable
     */
    public Map<String, String> labels() {
        return core.getLabels();
    }

    /**
     * Its own context: a child of the manager's, cancelled by {@link #cancel()}, by the
     * manager's shutdown signal, or once it has ended. Pass it to blocking calls so they end
     * when it is asked to stop. Never blocks.
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
    public GoroutineState state() {
        return core.getState();
    }

    /**
     * A snapshot of it now: state, what it is blocked on and since when, its first error.
     * Never blocks.
     *
     * @return a snapshot of it
     */
    public GoroutineInfo info() {
        return core.info();
    }

    /**
     * Registers {@code cleanup} to run when it ends, after its task, however the task ends;
     * cleanups run last registered first, and one that throws is reported with this goroutine's
     * name while the others still run. Meant to be called by the goroutine's own task; from
     * elsewhere it races with its end. Never blocks.
     *
     * @param cleanup what to run
     * @throws NullPointerException if {@code cleanup} is null
     * @throws IllegalStateException if its cleanups have already run
     */
    public void defer(Cleanup cleanup) {
        Objects.requireNonNull(cleanup, "cleanup");
        GoroutineManagerCalls.defer(core, cleanup);
    }

    /**
     * Asks it to stop now: cancels its context and interrupts its thread. Its cleanups still
     * run. Idempotent; does nothing once it has ended. Never blocks.
     */
    public void cancel() {
        core.cancel();
    }

    /**
     * Whether it has ended and its cleanups have run. Never blocks.
     *
     * @return true once it has ended
     */
    public boolean isDone() {
        return core.isDone();
    }

    /**
     * Blocks until it has ended and its cleanups have run, however it ended.
     *
     * @throws InterruptedException if the waiting thread is interrupted first (the goroutine is
     *     not affected)
     */
    public void join() throws InterruptedException {
        GoroutineManagerCalls.join(core);
    }

    /**
     * Blocks until it has ended and its cleanups have run, or {@code timeout} passes (zero or
     * negative: only checks).
     *
     * @param timeout the longest to wait
     * @return true if it has ended, false if the timeout passed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the waiting thread is interrupted first
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            joinAsync().get(dev.conduit.java.internal.SuspendCalls.nanos(timeout), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException cannotHappen) {
            throw new IllegalStateException(cannotHappen.getCause());
        }
    }

    /**
     * A future completed (with null) once it has ended and its cleanups have run, however it
     * ended. Cancelling it only stops that future. Never blocks.
     *
     * @return a future of its end
     */
    public CompletableFuture<@Nullable Void> joinAsync() {
        return core.completion().toCompletableFuture();
    }

    /**
     * Whether {@code other} views the same goroutine (the handle {@code go} returned and the one its
     * task got are equal). Never blocks.
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ManagedGoroutine && ((ManagedGoroutine) other).core == core;
    }

    /** A hash of the goroutine it views. Never blocks. */
    @Override
    public int hashCode() {
        return core.hashCode();
    }

    /** Its snapshot as one line. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
