package dev.conduit.java.resilience;

import dev.conduit.context.Context;
import dev.conduit.java.internal.RetryCalls;
import dev.conduit.resilience.BulkheadMetrics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how many calls run at once, for Java: at most {@code maxConcurrent} inside, later
 * callers wait up to {@code maxWait} for a place (first come, first served) and are then refused
 * with {@link dev.conduit.resilience.BulkheadFullException}, which names the bulkhead, its limit
 * and the wait. The Java view of the core {@link dev.conduit.resilience.Bulkhead}
 * ({@link #wrap}, {@link #unwrap}).
 *
 * <pre>{@code
 * Bulkhead bulkhead = Bulkhead.create(10, Duration.ofMillis(50), "inventory");
 * int stock = bulkhead.call(ctx, c -> inventory.lookup(sku, c));
 * }</pre>
 *
 * <p>{@code call} holds a place for the work and releases it however the work ends (returns,
 * throws, is interrupted or cancelled); {@link #tryAcquire()} and {@link #acquire(Context)}
 * take a place the caller gives back with {@link #release()}. A waiter that gives up holds
 * nothing. The wait is measured on {@code ctx}'s clock.
 *
 * <p>Thread-safe. {@code call} and {@code acquire} block; {@code callAsync},
 * {@code tryAcquire}, {@code release} and {@code metrics} never block.
 */
public final class Bulkhead {
    private final dev.conduit.resilience.Bulkhead core;

    private Bulkhead(dev.conduit.resilience.Bulkhead core) {
        this.core = core;
    }

    /**
     * A bulkhead named "bulkhead". Never blocks.
     *
     * @param maxConcurrent the places, 1 or more
     * @param maxWait how long a caller waits for a place, 0 or more
     * @return the new bulkhead
     * @throws NullPointerException if {@code maxWait} is null
     * @throws IllegalArgumentException if {@code maxConcurrent} is below 1 or {@code maxWait} negative
     */
    public static Bulkhead create(int maxConcurrent, Duration maxWait) {
        return create(maxConcurrent, maxWait, "bulkhead");
    }

    /**
     * A bulkhead named {@code name} (in its refusals' messages). Never blocks.
     *
     * @param maxConcurrent the places, 1 or more
     * @param maxWait how long a caller waits for a place, 0 or more
     * @param name the bulkhead's name
     * @return the new bulkhead
     * @throws NullPointerException if {@code maxWait} or {@code name} is null
     * @throws IllegalArgumentException if {@code maxConcurrent} is below 1 or {@code maxWait} negative
     */
    public static Bulkhead create(int maxConcurrent, Duration maxWait, String name) {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(name, "name");
        return new Bulkhead(RetryCalls.bulkhead(maxConcurrent, maxWait, name));
    }

    /**
     * The Java view of {@code core}: the same bulkhead, not a copy. Never blocks.
     *
     * @param core the Kotlin bulkhead
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static Bulkhead wrap(dev.conduit.resilience.Bulkhead core) {
        return new Bulkhead(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core bulkhead behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin bulkhead this view shares
     */
    public dev.conduit.resilience.Bulkhead unwrap() {
        return core;
    }

    /**
     * The bulkhead's name. Never blocks.
     *
     * @return the name
     */
    public String name() {
        return core.getName();
    }

    /**
     * The places. Never blocks.
     *
     * @return the most calls inside at once
     */
    public int maxConcurrent() {
        return core.getMaxConcurrent();
    }

    /**
     * How long a caller waits for a place. Never blocks.
     *
     * @return the wait
     */
    public Duration maxWait() {
        return RetryCalls.maxWait(core);
    }

    /**
     * Runs {@code call} in a place of the bulkhead, blocking while it waits for one (up to
     * {@code maxWait}) and while the work runs; the place is released however the work ends.
     *
     * @param <T> the result type
     * @param <E> the checked exception the call may throw
     * @param ctx bounds the wait, and is given to the work
     * @param call the work
     * @return the work's result
     * @throws E what the work threw, as it threw it
     * @throws dev.conduit.resilience.BulkheadFullException if no place came free within {@code maxWait}
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done before a place is had
     * @throws InterruptedException if interrupted: the work is interrupted and has ended, its place released
     * @throws NullPointerException if {@code ctx} or {@code call} is null
     */
    public <T extends @Nullable Object, E extends Exception> T call(Context ctx, CheckedCall<T, E> call) throws E, InterruptedException {
        return RetryCalls.call(core, Objects.requireNonNull(ctx, "ctx"), Objects.requireNonNull(call, "call"));
    }

    /**
     * Runs {@code call} as {@link #call(Context, CheckedCall)} without blocking: the future
     * completes with the result, or exceptionally with what {@code call} would throw.
     * Cancelling it cancels the wait or interrupts the work, and releases the place. Never blocks.
     *
     * @param <T> the result type
     * @param <E> the checked exception the call may throw
     * @param ctx bounds the wait, and is given to the work
     * @param call the work
     * @return a future of the work's result
     * @throws NullPointerException if {@code ctx} or {@code call} is null
     */
    public <T extends @Nullable Object, E extends Exception> CompletableFuture<T> callAsync(Context ctx, CheckedCall<T, E> call) {
        return RetryCalls.callAsync(core, Objects.requireNonNull(ctx, "ctx"), Objects.requireNonNull(call, "call"));
    }

    /**
     * Blocks up to {@code maxWait} for a place, in arrival order; the caller must
     * {@link #release()} it.
     *
     * @param ctx bounds the wait
     * @throws dev.conduit.resilience.BulkheadFullException if no place came free within {@code maxWait}
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done first; nothing is held then
     * @throws InterruptedException if interrupted first; nothing is held then
     * @throws NullPointerException if {@code ctx} is null
     */
    public void acquire(Context ctx) throws InterruptedException {
        RetryCalls.acquire(core, Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Takes a place if one is free now and nobody waits; the caller must {@link #release()} it.
     * A refusal counts as rejected. Never blocks.
     *
     * @return whether a place was taken
     */
    public boolean tryAcquire() {
        return core.tryAcquire();
    }

    /**
     * Gives back a place taken by {@link #tryAcquire()} or {@link #acquire(Context)}; the first
     * waiter gets it. Never blocks.
     *
     * @throws IllegalStateException if no place is held
     */
    public void release() {
        core.release();
    }

    /**
     * Places free, callers waiting and refusals so far. Never blocks.
     *
     * @return a snapshot
     */
    public BulkheadMetrics metrics() {
        return core.metrics();
    }

    /** The name and the limits. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
