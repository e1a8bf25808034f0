package dev.conduit.java.sync;

import dev.conduit.context.Context;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A reader/writer lock, Go's {@code sync.RWMutex}, for Java: any number of readers, or one
 * writer. The Java view of the core {@link dev.conduit.sync.RWMutex}: {@link #wrap} and
 * {@link #unwrap} share one lock between Java and Kotlin code.
 *
 * <p>The RWMutex itself is the write lock, a {@link Locker} with every way of taking it;
 * {@link #rLocker()} is the read lock with the same ways ({@link #rLock()}, {@link #tryRLock()}
 * and {@link #rUnlock()} are there too, as in Go). Waiters are served in arrival order, so a
 * waiting writer holds back the readers that arrive after it: a stream of readers cannot starve
 * writers. Readers queued behind a writer all enter together when it unlocks. As in Go the lock
 * has no owner and is not reentrant: a reader asking for a second read lock while a writer waits
 * deadlocks.
 *
 * <pre>{@code
 * RWMutex rw = RWMutex.create();
 * rw.rLocker().withLock(() -> show(cache.get(key)));
 * rw.withLock(() -> cache.put(key, value));
 * }</pre>
 *
 * <p>Thread-safe. {@code lock}, {@code rLock}, the {@code Duration} forms and the
 * {@code with} forms block; {@code tryLock()}, {@code tryRLock()}, {@code unlock},
 * {@code rUnlock}, the {@code Async} forms and the state queries never block.
 */
public final class RWMutex extends Locker {
    private final dev.conduit.sync.RWMutex core;
    private final Locker reader = new ReadLocker();

    private RWMutex(dev.conduit.sync.RWMutex core) {
        this.core = core;
    }

    /**
     * A new, unlocked reader/writer lock. Never blocks.
     *
     * @return a new reader/writer lock, unlocked
     */
    public static RWMutex create() {
        return new RWMutex(new dev.conduit.sync.RWMutex());
    }

    /**
     * The Java view of {@code core}: the same lock, not a copy. Never blocks.
     *
     * @param core the core lock to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static RWMutex wrap(dev.conduit.sync.RWMutex core) {
        return new RWMutex(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core lock behind this one, for Kotlin code. Never blocks.
     *
     * @return the core lock behind this one
     */
    public dev.conduit.sync.RWMutex unwrap() {
        return core;
    }

    /**
     * How many read locks are held now (a snapshot). Never blocks.
     *
     * @return the number of read locks held now
     */
    public long readersHeld() {
        return core.getReadersHeld();
    }

    /**
     * Whether the write lock is held now (a snapshot). Never blocks.
     *
     * @return true if a writer holds the lock now
     */
    public boolean isWriteLocked() {
        return core.isWriteLocked();
    }

    /**
     * The read lock as a {@link Locker}, Go's {@code RLocker}: its {@code lock} forms take a
     * read lock (waiting while a writer holds the lock or is queued ahead), its {@code unlock}
     * releases one. The same object every time. Never blocks.
     *
     * @return the read side of this lock, the same object on every call
     */
    public Locker rLocker() {
        return reader;
    }

    /**
     * Blocks until a read lock is held; as {@code rLocker().lock()}.
     *
     * @throws InterruptedException if interrupted first; nothing is held then
     */
    public void rLock() throws InterruptedException {
        reader.lock();
    }

    /**
     * Takes a read lock if no writer holds or waits for the lock now. Never blocks.
     *
     * @return true if a read lock is now held by the caller
     */
    public boolean tryRLock() {
        return reader.tryLock();
    }

    /**
     * Releases one read lock; the last reader out lets a waiting writer in. Never blocks.
     *
     * @throws IllegalStateException if no read lock is held
     */
    public void rUnlock() {
        reader.unlock();
    }

    @Override
    boolean acquire(@Nullable Context ctx, long nanos) throws InterruptedException {
        return core.lockBlocking(ctx, nanos);
    }

    @Override
    CompletableFuture<@Nullable Void> acquireFuture(@Nullable Context ctx) {
        return core.lockFuture(ctx);
    }

    /** The write lock, if nobody holds or waits for the lock now. */
    @Override
    boolean tryAcquire() {
        return core.tryLock();
    }

    /** Releases the write lock; the readers queued next (or the next writer) enter. */
    @Override
    void release() {
        core.unlock();
    }

    /** The read side of the lock. */
    private final class ReadLocker extends Locker {
        @Override
        boolean acquire(@Nullable Context ctx, long nanos) throws InterruptedException {
            return core.rLockBlocking(ctx, nanos);
        }

        @Override
        CompletableFuture<@Nullable Void> acquireFuture(@Nullable Context ctx) {
            return core.rLockFuture(ctx);
        }

        @Override
        boolean tryAcquire() {
            return core.tryRLock();
        }

        @Override
        void release() {
            core.rUnlock();
        }

        @Override
        public String toString() {
            return "read lock of " + core;
        }
    }

    /** The readers and writer holding the lock now. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
