package dev.conduit.java.sync;

import dev.conduit.context.Context;
import dev.conduit.java.internal.SuspendCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A weighted semaphore, Go's {@code golang.org/x/sync/semaphore.Weighted}, for Java: a fixed
 * number of permits, acquired and released in any amounts. The Java view of the core
 * {@link dev.conduit.sync.Semaphore}: {@link #wrap} and {@link #unwrap} share one semaphore
 * between Java and Kotlin code, whose coroutines, blocked threads and futures wait in the same
 * queue.
 *
 * <p>Waiters are served strictly first come, first served: a large request at the head of the
 * queue is not overtaken by later small ones. A blocked acquire parks the calling (virtual)
 * thread in the semaphore's own queue. An acquire that gives up (interrupted, timed out, its
 * context done, its future cancelled) holds no permit afterwards; one interrupted at the very
 * moment its permits were granted returns normally holding them, with its interrupt status set
 * again.
 *
 * <p>Weights are Go's: a weight of 0 is granted at once unless others wait (then it waits its
 * turn behind them), {@code release(0)} does nothing, and {@code tryAcquire(n)} of more than
 * {@link #capacity()} returns false. A waiting acquire of more than {@link #capacity()}, which
 * could never be granted, is rejected at the call with {@link IllegalArgumentException}; a
 * negative weight is rejected everywhere.
 *
 * <pre>{@code
 * Semaphore slots = Semaphore.create(3);
 * slots.acquire();                        // blocks while 3 are held
 * try {
 *     download();
 * } finally {
 *     slots.release();
 * }
 * }</pre>
 *
 * <p>Thread-safe. The {@code acquire} forms block; {@code tryAcquire()} and
 * {@code tryAcquire(n)}, {@code release}, the {@code Async} forms and the state queries never
 * block.
 */
public final class Semaphore {
    private final dev.conduit.sync.Semaphore core;

    private Semaphore(dev.conduit.sync.Semaphore core) {
        this.core = core;
    }

    /**
     * A new semaphore with {@code capacity} permits, all free. Never blocks.
     *
     * @param capacity how many permits the semaphore has
     * @return a new semaphore, all its permits free
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public static Semaphore create(long capacity) {
        return new Semaphore(new dev.conduit.sync.Semaphore(capacity));
    }

    /**
     * The Java view of {@code core}: the same semaphore, not a copy. Never blocks.
     *
     * @param core the core semaphore to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static Semaphore wrap(dev.conduit.sync.Semaphore core) {
        return new Semaphore(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core semaphore behind this one, for Kotlin code. Never blocks.
     *
     * @return the core semaphore behind this one
     */
    public dev.conduit.sync.Semaphore unwrap() {
        return core;
    }

    /**
     * How many permits the semaphore has. Never blocks.
     *
     * @return the number of permits the semaphore has
     */
    public long capacity() {
        return core.getCapacity();
    }

    /**
     * How many permits are not held now (a snapshot). Never blocks.
     *
     * @return the number of permits not held now
     */
    public long available() {
        return core.getAvailable();
    }

    /**
     * Blocks until one permit is granted, in arrival order.
     *
     * @throws InterruptedException if interrupted first; no permit is held then
     */
    public void acquire() throws InterruptedException {
        core.acquireBlocking(null, 1, Long.MAX_VALUE);
    }

    /**
     * Blocks until {@code n} permits are granted, in arrival order.
     *
     * @param n how many permits to acquire
     * @throws IllegalArgumentException if {@code n} is not in {@code 0..capacity()}
     * @throws InterruptedException if interrupted first; no permit is held then
     */
    public void acquire(long n) throws InterruptedException {
        core.acquireBlocking(null, n, Long.MAX_VALUE);
    }

    /**
     * Blocks until one permit is granted or {@code ctx} is done.
     *
     * @param ctx the context whose end gives up the wait
     * @throws NullPointerException if {@code ctx} is null
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first; no permit is held then
     * @throws InterruptedException if interrupted first; no permit is held then
     */
    public void acquire(Context ctx) throws InterruptedException {
        acquire(ctx, 1);
    }

    /**
     * Blocks until {@code n} permits are granted, in arrival order, or {@code ctx} is done.
     *
     * @param ctx the context whose end gives up the wait
     * @param n how many permits to acquire
     * @throws NullPointerException if {@code ctx} is null
     * @throws IllegalArgumentException if {@code n} is not in {@code 0..capacity()}
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first; no permit is held then
     * @throws InterruptedException if interrupted first; no permit is held then
     */
    public void acquire(Context ctx, long n) throws InterruptedException {
        core.acquireBlocking(Objects.requireNonNull(ctx, "ctx"), n, Long.MAX_VALUE);
    }

    /**
     * Takes one permit if it is free now and nobody is queued ahead. Never blocks.
     *
     * @return true if the permit is now held by the caller
     */
    public boolean tryAcquire() {
        return core.tryAcquire(1);
    }

    /**
     * Takes {@code n} permits if they are free now and nobody is queued ahead; otherwise takes
     * none. Never blocks.
     *
     * @param n how many permits to take
     * @return whether they were taken: false for more than {@link #capacity()}; for 0, true
     *     unless somebody waits
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public boolean tryAcquire(long n) {
        return core.tryAcquire(n);
    }

    /**
     * Blocks until one permit is granted or {@code timeout} passes (zero or negative: only if
     * free now), as {@link java.util.concurrent.Semaphore#tryAcquire(long,
     * java.util.concurrent.TimeUnit)}.
     *
     * @param timeout the most time to wait; zero or negative to take it only if free now
     * @return true if the permit is held, false if the timeout passed first (none held)
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted first; no permit is held then
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    /**
     * Blocks until {@code n} permits are granted or {@code timeout} passes (zero or negative:
     * only if free now).
     *
     * @param n how many permits to acquire
     * @param timeout the most time to wait; zero or negative to take them only if free now
     * @return true if the permits are held, false if the timeout passed first (none held)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code n} is not in {@code 0..capacity()}
     * @throws InterruptedException if interrupted first; no permit is held then
     */
    public boolean tryAcquire(long n, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return core.acquireBlocking(null, n, SuspendCalls.nanos(timeout));
    }

    /**
     * Acquires one permit without blocking; see {@link #acquireAsync(Context, long)}.
     *
     * @return a future that completes once the permit is held
     */
    public CompletableFuture<@Nullable Void> acquireAsync() {
        return core.acquireFuture(null, 1);
    }

    /**
     * Acquires {@code n} permits without blocking; see {@link #acquireAsync(Context, long)}.
     *
     * @param n how many permits to acquire
     * @return a future that completes once the permits are held
     * @throws IllegalArgumentException if {@code n} is not in {@code 0..capacity()}
     */
    public CompletableFuture<@Nullable Void> acquireAsync(long n) {
        return core.acquireFuture(null, n);
    }

    /**
     * Acquires one permit without blocking; see {@link #acquireAsync(Context, long)}.
     *
     * @param ctx the context whose end withdraws the request
     * @return a future that completes once the permit is held, or exceptionally with {@code ctx}'s
     *     error
     * @throws NullPointerException if {@code ctx} is null
     */
    public CompletableFuture<@Nullable Void> acquireAsync(Context ctx) {
        return acquireAsync(ctx, 1);
    }

    /**
     * Acquires {@code n} permits without blocking: the future completes once they are held, or
     * exceptionally with {@code ctx}'s error if it is done first (at once if it is done
     * already). Cancelling the future withdraws the request: {@code cancel} returns true only if
     * no permit was or will be granted to it; if they were, it returns false and they are held. Ending it or a stage derived from it from outside in any other
     * way ({@code complete}, {@code orTimeout}, {@code thenApply(f).cancel(true)}, …)
     * withdraws it first in the same way, as for {@link dev.conduit.java.chan.ReceiveChannel#receiveAsync()}.
     * Never blocks.
     *
     * @param ctx the context whose end withdraws the request
     * @param n how many permits to acquire
     * @return a future that completes once the permits are held, or exceptionally with {@code
     *     ctx}'s error
     * @throws NullPointerException if {@code ctx} is null
     * @throws IllegalArgumentException if {@code n} is not in {@code 0..capacity()}
     */
    public CompletableFuture<@Nullable Void> acquireAsync(Context ctx, long n) {
        return core.acquireFuture(Objects.requireNonNull(ctx, "ctx"), n);
    }

    /**
     * Gives back one permit and grants the waiters it now satisfies. Never blocks.
     *
     * @throws IllegalStateException if no permit is held
     */
    public void release() {
        core.release(1);
    }

    /**
     * Gives back {@code n} permits and grants the waiters they now satisfy; {@code release(0)}
     * does nothing. Never blocks.
     *
     * @param n how many permits to give back
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if fewer than {@code n} permits are held
     */
    public void release(long n) {
        core.release(n);
    }

    /** The permits held and the capacity. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
