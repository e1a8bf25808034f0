package dev.conduit.java.sync;

import dev.conduit.context.Context;
import dev.conduit.java.internal.SuspendCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A mutual-exclusion lock built from a one-slot channel, Go's {@code sync.Mutex}, for Java. The
 * Java view of the core {@link dev.conduit.sync.Mutex}: {@link #wrap} and {@link #unwrap} share
 * one lock between Java and Kotlin code.
 *
 * <p>Waiters get the lock in arrival order, whether they are coroutines, blocked threads or
 * futures: they wait in the lock's one queue. As in Go the lock has no owner (any thread may
 * unlock it) and is not reentrant. A blocked {@code lock} parks the calling (virtual) thread;
 * one that gives up (interrupted, timed out, its context done) does not hold the lock
 * afterwards, except that a thread interrupted at the very moment the lock was handed to it
 * returns holding it, with its interrupt status set again.
 *
 * <pre>{@code
 * Mutex mu = Mutex.create();
 * mu.withLock(() -> counter++);
 * }</pre>
 *
 * <p>Thread-safe. {@code lock}, {@code tryLock(Duration)} and {@code withLock} block;
 * {@code tryLock()}, {@code unlock}, the {@code Async} forms and {@link #isLocked()} never
 * block.
 */
public final class Mutex {
    private final dev.conduit.sync.Mutex core;

    private Mutex(dev.conduit.sync.Mutex core) {
        this.core = core;
    }

    /** A new, unlocked mutex. Never blocks. */
    public static Mutex create() {
        return new Mutex(new dev.conduit.sync.Mutex());
    }

    /**
     * The Java view of {@code core}: the same lock, not a copy. Never blocks.
     *
     * @throws NullPointerException if {@code core} is null
     */
    public static Mutex wrap(dev.conduit.sync.Mutex core) {
        return new Mutex(Objects.requireNonNull(core, "core"));
    }

    /** The core lock behind this one, for Kotlin code. Never blocks. */
    public dev.conduit.sync.Mutex unwrap() {
        return core;
    }

    /** Whether the lock is held now (a snapshot). Never blocks. */
    public boolean isLocked() {
        return core.isLocked();
    }

    /**
     * Blocks until the lock is taken, in arrival order.
     *
     * @throws InterruptedException if interrupted first; the lock is then not held
     */
    public void lock() throws InterruptedException {
        core.lockBlocking(null, Long.MAX_VALUE);
    }

    /**
     * Blocks until the lock is taken, in arrival order, or {@code ctx} is done.
     *
     * @throws NullPointerException if {@code ctx} is null
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first; the lock is then not held
     * @throws InterruptedException if interrupted first; the lock is then not held
     */
    public void lock(Context ctx) throws InterruptedException {
        core.lockBlocking(Objects.requireNonNull(ctx, "ctx"), Long.MAX_VALUE);
    }

    /** Takes the lock if it is free now. Never blocks. */
    public boolean tryLock() {
        return core.tryLock();
    }

    /**
     * Blocks until the lock is taken or {@code timeout} passes (zero or negative: only if free
     * now).
     *
     * @return true if the lock is held, false if the timeout passed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted first; the lock is then not held
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return core.lockBlocking(null, SuspendCalls.nanos(timeout));
    }

    /** Locks without blocking; see {@link #lockAsync(Context)}. */
    public CompletableFuture<@Nullable Void> lockAsync() {
        return core.lockFuture(null);
    }

    /**
     * Locks without blocking: the future completes once the lock is held, or exceptionally with
     * {@code ctx}'s error if it is done first (at once if it is done already). Cancelling the
     * future withdraws the request: {@code cancel} returns true only if the lock was not and
     * will not be handed to it. Never blocks.
     *
     * @throws NullPointerException if {@code ctx} is null
     */
    public CompletableFuture<@Nullable Void> lockAsync(Context ctx) {
        return core.lockFuture(Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Releases the lock, handing it to the longest waiter if there is one. Never blocks.
     *
     * @throws IllegalStateException if the lock is not held ("unlock of unlocked mutex")
     */
    public void unlock() {
        core.unlock();
    }

    /**
     * Runs {@code action} holding the lock (blocking until it is taken) and releases it however
     * {@code action} ends.
     *
     * @throws NullPointerException if {@code action} is null
     * @throws X what {@code action} throws
     * @throws InterruptedException if interrupted while waiting for the lock ({@code action} did
     *     not run)
     */
    public <X extends Exception> void withLock(Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        lock();
        runAndUnlock(action, this::unlock);
    }

    /**
     * Runs {@code action} holding the lock, taken under {@code ctx}, and releases it however
     * {@code action} ends.
     *
     * @throws NullPointerException if an argument is null
     * @throws X what {@code action} throws
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done before the
     *     lock is taken ({@code action} did not run)
     * @throws InterruptedException if interrupted while waiting for the lock ({@code action} did
     *     not run)
     */
    public <X extends Exception> void withLock(Context ctx, Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        lock(ctx);
        runAndUnlock(action, this::unlock);
    }

    /** Runs {@code action}, which holds a lock, then {@code unlock}, however it ends. */
    static <X extends Exception> void runAndUnlock(Action<X> action, Runnable unlock) throws X {
        try {
            action.run();
        } finally {
            unlock.run();
        }
    }

    /** Whether the lock is held. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
