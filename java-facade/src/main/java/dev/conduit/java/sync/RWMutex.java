package dev.conduit.java.sync;

import dev.conduit.context.Context;
import dev.conduit.java.internal.SuspendCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A reader/writer lock, Go's {@code sync.RWMutex}, for Java: any number of readers, or one
 * writer. The Java view of the core {@link dev.conduit.sync.RWMutex}: {@link #wrap} and
 * {@link #unwrap} share one lock between Java and Kotlin code.
 *
 * <p>Waiters are served in arrival order, so a waiting writer holds back the readers that
 * arrive after it: a stream of readers cannot starve writers. Readers queued behind a writer
 * all enter together when it unlocks. As in Go the lock has no owner and is not reentrant: a
 * reader asking for a second read lock while a writer waits deadlocks. A blocked lock call parks
 * the calling (virtual) thread; one that gives up (interrupted, timed out, its context done)
 * holds nothing afterwards, except that a thread interrupted at the very moment the lock was
 * granted returns holding it, with its interrupt status set again.
 *
 * <pre>{@code
 * RWMutex rw = RWMutex.create();
 * rw.withRLock(() -> show(cache.get(key)));
 * rw.withLock(() -> cache.put(key, value));
 * }</pre>
 *
 * <p>Thread-safe. {@code lock}, {@code rLock}, the {@code Duration} forms and the
 * {@code with} forms block; {@code tryLock()}, {@code tryRLock()}, {@code unlock},
 * {@code rUnlock}, the {@code Async} forms and the state queries never block.
 */
public final class RWMutex {
    private final dev.conduit.sync.RWMutex core;

    private RWMutex(dev.conduit.sync.RWMutex core) {
        this.core = core;
    }

    /** A new, unlocked reader/writer lock. Never blocks. */
    public static RWMutex create() {
        return new RWMutex(new dev.conduit.sync.RWMutex());
    }

    /**
     * The Java view of {@code core}: the same lock, not a copy. Never blocks.
     *
     * @throws NullPointerException if {@code core} is null
     */
    public static RWMutex wrap(dev.conduit.sync.RWMutex core) {
        return new RWMutex(Objects.requireNonNull(core, "core"));
    }

    /** The core lock behind this one, for Kotlin code. Never blocks. */
    public dev.conduit.sync.RWMutex unwrap() {
        return core;
    }

    /** How many read locks are held now (a snapshot). Never blocks. */
    public long readersHeld() {
        return core.getReadersHeld();
    }

    /** Whether the write lock is held now (a snapshot). Never blocks. */
    public boolean isWriteLocked() {
        return core.isWriteLocked();
    }

    // ---- write lock ----------------------------------------------------------------------

    /**
     * Blocks until the write lock is held, in arrival order.
     *
     * @throws InterruptedException if interrupted first; nothing is held then
     */
    public void lock() throws InterruptedException {
        core.lockBlocking(null, Long.MAX_VALUE);
    }

    /**
     * Blocks until the write lock is held, in arrival order, or {@code ctx} is done.
     *
     * @throws NullPointerException if {@code ctx} is null
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first; nothing is held then
     * @throws InterruptedException if interrupted first; nothing is held then
     */
    public void lock(Context ctx) throws InterruptedException {
        core.lockBlocking(Objects.requireNonNull(ctx, "ctx"), Long.MAX_VALUE);
    }

    /** Takes the write lock if nobody holds or waits for the lock now. Never blocks. */
    public boolean tryLock() {
        return core.tryLock();
    }

    /**
     * Blocks until the write lock is held or {@code timeout} passes (zero or negative: only if
     * free now).
     *
     * @return true if the write lock is held, false if the timeout passed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted first; nothing is held then
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return core.lockBlocking(null, SuspendCalls.nanos(timeout));
    }

    /** Takes the write lock without blocking; see {@link #lockAsync(Context)}. */
    public CompletableFuture<@Nullable Void> lockAsync() {
        return core.lockFuture(null);
    }

    /**
     * Takes the write lock without blocking: the future completes once it is held, or
     * exceptionally with {@code ctx}'s error if it is done first (at once if it is done
     * already). Cancelling the future withdraws the request; afterwards it holds nothing (a
     * grant that races the cancellation is given back at once). Never blocks.
     *
     * @throws NullPointerException if {@code ctx} is null
     */
    public CompletableFuture<@Nullable Void> lockAsync(Context ctx) {
        return core.lockFuture(Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Releases the write lock; the readers queued next (or the next writer) enter. Never blocks.
     *
     * @throws IllegalStateException if the write lock is not held
     */
    public void unlock() {
        core.unlock();
    }

    /**
     * Runs {@code action} holding the write lock (blocking until it is held) and releases it
     * however {@code action} ends.
     *
     * @throws NullPointerException if {@code action} is null
     * @throws X what {@code action} throws
     * @throws InterruptedException if interrupted while waiting for the lock ({@code action} did
     *     not run)
     */
    public <X extends Exception> void withLock(Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        lock();
        Mutex.runAndUnlock(action, this::unlock);
    }

    /**
     * Runs {@code action} holding the write lock, taken under {@code ctx}, and releases it
     * however {@code action} ends.
     *
     * @throws NullPointerException if an argument is null
     * @throws X what {@code action} throws
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done before the
     *     lock is held ({@code action} did not run)
     * @throws InterruptedException if interrupted while waiting for the lock ({@code action} did
     *     not run)
     */
    public <X extends Exception> void withLock(Context ctx, Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        lock(ctx);
        Mutex.runAndUnlock(action, this::unlock);
    }

    // ---- read lock -----------------------------------------------------------------------

    /**
     * Blocks until a read lock is held; waits while a writer holds the lock or is queued ahead.
     *
     * @throws InterruptedException if interrupted first; nothing is held then
     */
    public void rLock() throws InterruptedException {
        core.rLockBlocking(null, Long.MAX_VALUE);
    }

    /**
     * Blocks until a read lock is held or {@code ctx} is done; waits while a writer holds the
     * lock or is queued ahead.
     *
     * @throws NullPointerException if {@code ctx} is null
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first; nothing is held then
     * @throws InterruptedException if interrupted first; nothing is held then
     */
    public void rLock(Context ctx) throws InterruptedException {
        core.rLockBlocking(Objects.requireNonNull(ctx, "ctx"), Long.MAX_VALUE);
    }

    /** Takes a read lock if no writer holds or waits for the lock now. Never blocks. */
    public boolean tryRLock() {
        return core.tryRLock();
    }

    /**
     * Blocks until a read lock is held or {@code timeout} passes (zero or negative: only if
     * free now).
     *
     * @return true if a read lock is held, false if the timeout passed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if interrupted first; nothing is held then
     */
    public boolean tryRLock(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return core.rLockBlocking(null, SuspendCalls.nanos(timeout));
    }

    /** Takes a read lock without blocking; see {@link #rLockAsync(Context)}. */
    public CompletableFuture<@Nullable Void> rLockAsync() {
        return core.rLockFuture(null);
    }

    /**
     * Takes a read lock without blocking: as {@link #lockAsync(Context)}, for a read lock.
     * Never blocks.
     *
     * @throws NullPointerException if {@code ctx} is null
     */
    public CompletableFuture<@Nullable Void> rLockAsync(Context ctx) {
        return core.rLockFuture(Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Releases one read lock; the last reader out lets a waiting writer in. Never blocks.
     *
     * @throws IllegalStateException if no read lock is held
     */
    public void rUnlock() {
        core.rUnlock();
    }

    /**
     * Runs {@code action} holding a read lock (blocking until it is held) and releases it
     * however {@code action} ends.
     *
     * @throws NullPointerException if {@code action} is null
     * @throws X what {@code action} throws
     * @throws InterruptedException if interrupted while waiting for the lock ({@code action} did
     *     not run)
     */
    public <X extends Exception> void withRLock(Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        rLock();
        Mutex.runAndUnlock(action, this::rUnlock);
    }

    /**
     * Runs {@code action} holding a read lock, taken under {@code ctx}, and releases it however
     * {@code action} ends.
     *
     * @throws NullPointerException if an argument is null
     * @throws X what {@code action} throws
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done before the
     *     lock is held ({@code action} did not run)
     * @throws InterruptedException if interrupted while waiting for the lock ({@code action} did
     *     not run)
     */
    public <X extends Exception> void withRLock(Context ctx, Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        rLock(ctx);
        Mutex.runAndUnlock(action, this::rUnlock);
    }

    /** The readers and writer holding the lock now. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
