package dev.conduit.java.sync;

import dev.conduit.context.Context;
import dev.conduit.java.internal.SuspendCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A lock that can be taken and released, Go's {@code sync.Locker}, with the ways a Java caller
 * waits: blocking, under a {@link Context}, with a timeout, or as a {@link CompletableFuture}.
 * {@link Mutex} is one, {@link RWMutex} is one for its write lock, and
 * {@link RWMutex#rLocker()} is one for its read lock; the order in which waiters get the lock is
 * the one of the lock behind it.
 *
 * <p>Every way of waiting takes its place in the lock's one queue, beside coroutines waiting on
 * the same core lock. A caller that gives up (interrupted, timed out, its context done, its
 * future cancelled) does not hold the lock afterwards, except that a thread interrupted at the
 * very moment the lock was handed to it returns holding it, with its interrupt status set again.
 * As in Go the lock has no owner (any thread may unlock it) and is not reentrant.
 *
 * <p>Thread-safe. {@code lock}, {@code tryLock(Duration)} and {@code withLock} block;
 * {@code tryLock()}, {@code unlock} and the {@code Async} forms never block. Only Conduit's
 * locks implement this class.
 */
public abstract class Locker {
    Locker() {}

    /** Waits for the lock under {@code ctx} (null: none) for at most {@code nanos}; true if taken. */
    abstract boolean acquire(@Nullable Context ctx, long nanos) throws InterruptedException;

    /** A future that completes holding the lock, or with {@code ctx}'s error (null: none). */
    abstract CompletableFuture<@Nullable Void> acquireFuture(@Nullable Context ctx);

    /** Takes the lock if the lock behind this one would grant it now. */
    abstract boolean tryAcquire();

    /** Gives the lock back. */
    abstract void release();

    /**
     * Blocks until the lock is taken.
     *
     * @throws InterruptedException if interrupted first; the lock is then not held
     */
    public final void lock() throws InterruptedException {
        acquire(null, Long.MAX_VALUE);
    }

    /**
     * Blocks until the lock is taken or {@code ctx} is done.
     *
     * @param ctx the context whose end gives up the wait
     * @throws NullPointerException if {@code ctx} is null
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first; the lock is then not held
     * @throws InterruptedException if interrupted first; the lock is then not held
     */
    public final void lock(Context ctx) throws InterruptedException {
        acquire(Objects.requireNonNull(ctx, "ctx"), Long.MAX_VALUE);
    }

    /**
     * Takes the lock if it can be had now without waiting behind anyone. Never blocks.
     *
     * @return true if the lock is now held by the caller
     */
    public final boolean tryLock() {
        return tryAcquire();
    }

    /**
     * Blocks until the lock is taken or {@code timeout} passes (zero or negative: only if it can
     * be had now).
     *
     * @param timeout the most time to wait; zero or negative to take the lock only if it can be had
     *     now
     * @return true if the lock is held, false if the timeout passed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted first; the lock is then not held
     */
    public final boolean tryLock(Duration timeout) throws InterruptedException {
        return acquire(null, SuspendCalls.nanos(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * Takes the lock without blocking; see {@link #lockAsync(Context)}. Never blocks.
     *
     * @return a future that completes once the lock is held
     */
    public final CompletableFuture<@Nullable Void> lockAsync() {
        return acquireFuture(null);
    }

    /**
     * Takes the lock without blocking: the future completes once the lock is held, or
     * exceptionally with {@code ctx}'s error if it is done first (at once if it is done
     * already). Cancelling the future withdraws the request: {@code cancel} returns true only if
     * the lock was not and will not be handed to it; if it returns false, the lock is held and
     * the future completes. Ending it or a stage derived from it from outside in any other
     * way ({@code complete}, {@code orTimeout}, {@code thenApply(f).cancel(true)}, …)
     * withdraws it first in the same way, as for {@link dev.conduit.java.chan.ReceiveChannel#receiveAsync()}. Never blocks.
     *
     * @param ctx the context whose end withdraws the request
     * @return a future that completes once the lock is held, or exceptionally with {@code ctx}'s
     *     error
     * @throws NullPointerException if {@code ctx} is null
     */
    public final CompletableFuture<@Nullable Void> lockAsync(Context ctx) {
        return acquireFuture(Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Releases the lock, letting the next waiter in. Never blocks.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public final void unlock() {
        release();
    }

    /**
     * Runs {@code action} holding the lock (blocking until it is taken) and releases it however
     * {@code action} ends.
     *
     * @param <X> the checked exception {@code action} may throw
     * @param action the block to run holding the lock
     * @throws NullPointerException if {@code action} is null
     * @throws X what {@code action} throws
     * @throws InterruptedException if interrupted while waiting for the lock ({@code action} did
     *     not run)
     */
    public final <X extends Exception> void withLock(Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        lock();
        runAndUnlock(action);
    }

    /**
     * Runs {@code action} holding the lock, taken under {@code ctx}, and releases it however
     * {@code action} ends.
     *
     * @param <X> the checked exception {@code action} may throw
     * @param ctx the context whose end gives up waiting for the lock
     * @param action the block to run holding the lock
     * @throws NullPointerException if an argument is null
     * @throws X what {@code action} throws
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done before the
     *     lock is taken ({@code action} did not run)
     * @throws InterruptedException if interrupted while waiting for the lock ({@code action} did
     *     not run)
     */
    public final <X extends Exception> void withLock(Context ctx, Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        lock(ctx);
        runAndUnlock(action);
    }

    private <X extends Exception> void runAndUnlock(Action<X> action) throws X {
        try {
            action.run();
        } finally {
            release();
        }
    }
}
