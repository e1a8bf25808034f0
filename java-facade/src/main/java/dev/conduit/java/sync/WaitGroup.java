package dev.conduit.java.sync;

import dev.conduit.context.Context;
import dev.conduit.java.Go;
import dev.conduit.java.internal.SuspendCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Go's {@code sync.WaitGroup} for Java: waits for a collection of tasks to finish.
 * {@link #add(int)} counts tasks in, {@link #done()} counts one out, {@link #await()} blocks
 * until the count is zero; {@link #go(Go.Task)} does all three for a goroutine. The Java view of
 * the core {@link dev.conduit.sync.WaitGroup}: {@link #wrap} and {@link #unwrap} share one group
 * between Java and Kotlin code. (Go's {@code Wait} is {@code await} here, as
 * {@link Object#wait()} is taken.)
 *
 * <pre>{@code
 * WaitGroup wg = WaitGroup.create();
 * for (String url : urls) wg.go(() -> fetch(url));
 * wg.await();
 * }</pre>
 *
 * <p>Thread-safe. The {@code await} forms block; {@code add}, {@code done}, {@code go},
 * {@link #count()} and the {@code Async} forms never block.
 */
public final class WaitGroup {
    private final dev.conduit.sync.WaitGroup core;

    private WaitGroup(dev.conduit.sync.WaitGroup core) {
        this.core = core;
    }

    /**
     * A new group with a count of zero. Never blocks.
     *
     * @return a new group, its count zero
     */
    public static WaitGroup create() {
        return new WaitGroup(new dev.conduit.sync.WaitGroup());
    }

    /**
     * The Java view of {@code core}: the same group, not a copy. Never blocks.
     *
     * @param core the core group to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static WaitGroup wrap(dev.conduit.sync.WaitGroup core) {
        return new WaitGroup(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core group behind this one, for Kotlin code. Never blocks.
     *
     * @return the core group behind this one
     */
    public dev.conduit.sync.WaitGroup unwrap() {
        return core;
    }

    /**
     * The current count (a snapshot). Never blocks.
     *
     * @return the count now
     */
    public long count() {
        return core.getCount();
    }

    /**
     * Adds {@code delta}, which may be negative, to the count; at zero every waiter is
     * released. Never blocks.
     *
     * @param delta the amount to add to the count; negative to take away
     * @throws IllegalStateException if the count would go negative; it is unchanged then
     */
    public void add(int delta) {
        core.add(delta);
    }

    /**
     * Counts one task out: {@code add(-1)}. Never blocks.
     *
     * @throws IllegalStateException if the count is already zero
     */
    public void done() {
        core.done();
    }

    /**
     * Blocks until the count is zero; returns at once if it is.
     *
     * @throws InterruptedException if interrupted first
     */
    public void await() throws InterruptedException {
        SuspendCalls.await(core, Context.background());
    }

    /**
     * Blocks until the count is zero or {@code ctx} is done.
     *
     * @param ctx the context whose end gives up the wait
     * @throws NullPointerException if {@code ctx} is null
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first
     * @throws InterruptedException if interrupted first
     */
    public void await(Context ctx) throws InterruptedException {
        SuspendCalls.await(core, Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Blocks until the count is zero or {@code timeout} passes (zero or negative: does not
     * wait).
     *
     * @param timeout the most time to wait; zero or negative not to wait
     * @throws NullPointerException if {@code timeout} is null
     * @throws TimeoutException if the count is not zero when {@code timeout} passes
     * @throws InterruptedException if interrupted first
     */
    public void await(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        if (!SuspendCalls.await(core, SuspendCalls.nanos(timeout))) {
            throw new TimeoutException("wait group count still " + count() + " after " + timeout);
        }
    }

    /**
     * A future that completes when the count is zero. Cancelling it only stops waiting. Never
     * blocks.
     *
     * @return a future that completes when the count is zero
     */
    public CompletableFuture<@Nullable Void> awaitAsync() {
        return SuspendCalls.awaitAsync(core, Context.background());
    }

    /**
     * A future that completes when the count is zero, or exceptionally with {@code ctx}'s error
     * if it is done first. Cancelling it only stops waiting. Never blocks.
     *
     * @param ctx the context whose end completes the future exceptionally
     * @return a future that completes when the count is zero, or exceptionally with {@code ctx}'s
     *     error
     * @throws NullPointerException if {@code ctx} is null
     */
    public CompletableFuture<@Nullable Void> awaitAsync(Context ctx) {
        return SuspendCalls.awaitAsync(core, Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Counts {@code task} in, runs it as a goroutine ({@link Go#go(Go.Task)}), and counts it out
     * when it ends, however it ends (Go 1.25's {@code WaitGroup.Go}). Never blocks.
     *
     * @param task the task to count in and run as a goroutine
     * @throws NullPointerException if {@code task} is null
     */
    public void go(Go.Task task) {
        Objects.requireNonNull(task, "task");
        core.add(1);
        Go.go(counted(task));
    }

    /**
     * Counts {@code task} in, runs it as a goroutine under {@code ctx}
     * ({@link Go#go(Context, Go.Task)}: its thread is interrupted when {@code ctx} is done), and
     * counts it out when it ends, however it ends. Never blocks.
     *
     * @param ctx the context the goroutine runs under; its end interrupts the task's thread
     * @param task the task to count in and run as a goroutine
     * @throws NullPointerException if an argument is null
     */
    public void go(Context ctx, Go.Task task) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(task, "task");
        core.add(1);
        Go.go(ctx, counted(task));
    }

    /** {@code task}, counted out of the group when it ends. */
    private Go.Task counted(Go.Task task) {
        return () -> {
            try {
                task.run();
            } finally {
                core.done();
            }
        };
    }

    /** The count. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
