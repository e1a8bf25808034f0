package dev.conduit.java.sync;

import dev.conduit.context.Context;
import dev.conduit.java.internal.SuspendCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A cyclic barrier built from channels, for Java: each round, {@link #parties()} callers
 * arrive and wait until all of them have, then all go on together and the barrier resets for
 * the next round. The Java view of the core {@link dev.conduit.sync.Barrier}: {@link #wrap} and
 * {@link #unwrap} share one barrier between Java threads and Kotlin coroutines.
 *
 * <p>The rules are {@link java.util.concurrent.CyclicBarrier}'s: the last to arrive runs the
 * barrier's action, if any, before the others are released; a waiter that gives up
 * (interrupted, timed out, its context done, its future cancelled) breaks the barrier for
 * everyone, and so does an action that throws: every waiter of that round and every later
 * {@code await} fails with {@link BrokenBarrierException} until {@link #reset()}.
 *
 * <pre>{@code
 * Barrier barrier = Barrier.create(3, () -> System.out.println("phase done"));
 * for (int i = 0; i < 3; i++) {
 *     Go.go(() -> { computePhase(); barrier.await(); });
 * }
 * }</pre>
 *
 * <p>Thread-safe. The {@code await} forms block; the {@code Async} forms, {@link #reset()} and
 * the state queries never block.
 */
public final class Barrier {
    private final dev.conduit.sync.Barrier core;

    private Barrier(dev.conduit.sync.Barrier core) {
        this.core = core;
    }

    /**
     * A new barrier for {@code parties} callers, with no action. Never blocks.
     *
     * @param parties how many arrivals complete one round
     * @return a new barrier, its first round empty
     * @throws IllegalArgumentException if {@code parties} is not positive
     */
    public static Barrier create(int parties) {
        return new Barrier(new dev.conduit.sync.Barrier(parties, null));
    }

    /**
     * A new barrier for {@code parties} callers that runs {@code action} in the last arrival of
     * each round, before the round's waiters are released. Never blocks.
     *
     * @param parties how many arrivals complete one round
     * @param action what the last arrival of each round runs before the round's waiters are
     *     released
     * @return a new barrier, its first round empty
     * @throws NullPointerException if {@code action} is null
     * @throws IllegalArgumentException if {@code parties} is not positive
     */
    public static Barrier create(int parties, Runnable action) {
        Objects.requireNonNull(action, "action");
        return new Barrier(new dev.conduit.sync.Barrier(parties, action));
    }

    /**
     * The Java view of {@code core}: the same barrier, not a copy. Never blocks.
     *
     * @param core the core barrier to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static Barrier wrap(dev.conduit.sync.Barrier core) {
        return new Barrier(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core barrier behind this one, for Kotlin code. Never blocks.
     *
     * @return the core barrier behind this one
     */
    public dev.conduit.sync.Barrier unwrap() {
        return core;
    }

    /**
     * How many arrivals complete one round. Never blocks.
     *
     * @return the number of arrivals that complete one round
     */
    public int parties() {
        return core.getParties();
    }

    /**
     * How many parties are waiting in the current round (a snapshot). Never blocks.
     *
     * @return the number of parties waiting in the current round
     */
    public int waiting() {
        return core.getWaiting();
    }

    /**
     * Whether the barrier is broken (until {@link #reset()}). Never blocks.
     *
     * @return true if the barrier is broken
     */
    public boolean isBroken() {
        return core.isBroken();
    }

    /**
     * Breaks the current round (its waiters fail with {@link BrokenBarrierException}) and starts
     * a fresh one. Never blocks.
     */
    public void reset() {
        core.reset();
    }

    /**
     * Arrives and blocks until all parties have arrived.
     *
     * @return the arrival index: {@code parties() - 1} for the first to arrive, {@code 0} for
     *     the last (the one that ran the action)
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException if interrupted first; the barrier is then broken
     * @throws RuntimeException what the action throws, in the last arrival; the barrier is then
     *     broken
     */
    public int await() throws InterruptedException, BrokenBarrierException {
        return awaitUntimed(null);
    }

    /**
     * Arrives and blocks until all parties have arrived or {@code ctx} is done.
     *
     * @param ctx the context whose end gives up the wait, breaking the barrier
     * @return the arrival index, as {@link #await()}
     * @throws NullPointerException if {@code ctx} is null
     * @throws dev.conduit.context.ContextException {@code ctx}'s error: at once, without
     *     arriving, if it is done already; or if it becomes done while waiting, which breaks the
     *     barrier
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException if interrupted first; the barrier is then broken
     * @throws RuntimeException what the action throws, in the last arrival
     */
    public int await(Context ctx) throws InterruptedException, BrokenBarrierException {
        return awaitUntimed(Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Arrives and blocks until all parties have arrived or {@code timeout} passes (zero or
     * negative: does not wait), as {@link java.util.concurrent.CyclicBarrier#await(long,
     * java.util.concurrent.TimeUnit)}.
     *
     * @param timeout the most time to wait; zero or negative not to wait
     * @return the arrival index, as {@link #await()}
     * @throws NullPointerException if {@code timeout} is null
     * @throws TimeoutException if {@code timeout} passes first; the barrier is then broken
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting
     * @throws InterruptedException if interrupted first; the barrier is then broken
     * @throws RuntimeException what the action throws, in the last arrival
     */
    public int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return core.awaitBlocking(null, SuspendCalls.nanos(timeout));
        } catch (TimeoutException e) {
            throw new TimeoutException("barrier of " + parties() + " parties not complete within " + timeout);
        }
    }

    /**
     * Arrives without blocking; see {@link #awaitAsync(Context)}.
     *
     * @return a future that completes with the arrival index, as {@link #await()}
     */
    public CompletableFuture<Integer> awaitAsync() {
        return SuspendCalls.awaitAsync(core, Context.background());
    }

    /**
     * Arrives without blocking: the future completes with the arrival index once all parties
     * have arrived, or exceptionally as {@link #await(Context)} would throw. Cancelling the
     * future withdraws the arrival, which breaks the barrier for the round. Never blocks.
     *
     * @param ctx the context whose end gives up the wait, breaking the barrier
     * @return a future that completes with the arrival index, as {@link #await()}
     * @throws NullPointerException if {@code ctx} is null
     */
    public CompletableFuture<Integer> awaitAsync(Context ctx) {
        return SuspendCalls.awaitAsync(core, Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * {@code core.awaitBlocking} without a timeout, which therefore never throws
     * {@link TimeoutException} (the core method declares it for its timed form).
     */
    private int awaitUntimed(@Nullable Context ctx) throws InterruptedException, BrokenBarrierException {
        try {
            return core.awaitBlocking(ctx, Long.MAX_VALUE);
        } catch (TimeoutException impossible) {
            throw new AssertionError("an untimed barrier wait timed out", impossible);
        }
    }

    /** The parties, the waiting and whether the barrier is broken. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
