package dev.conduit.java.sync;

import dev.conduit.context.Context;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A mutual-exclusion lock built from a one-slot channel, Go's {@code sync.Mutex}, for Java. The
 * Java view of the core {@link dev.conduit.sync.Mutex}: {@link #wrap} and {@link #unwrap} share
 * one lock between Java and Kotlin code. The ways to take it are those of every {@link Locker}.
 *
 * <p>Waiters get the lock in arrival order, whether they are coroutines, blocked threads or
 * futures: they wait in the lock's one queue, and {@code tryLock()} takes it only when it is
 * free. A blocked {@code lock} parks the calling (virtual) thread.
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
public final class Mutex extends Locker {
    private final dev.conduit.sync.Mutex core;

    private Mutex(dev.conduit.sync.Mutex core) {
        this.core = core;
    }

    /**
     * A new, unlocked mutex. Never blocks.
     *
     * @return a new mutex, unlocked
     */
    public static Mutex create() {
        return new Mutex(new dev.conduit.sync.Mutex());
    }

    /**
     * The Java view of {@code core}: the same lock, not a copy. Never blocks.
     *
     * @param core the core lock to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static Mutex wrap(dev.conduit.sync.Mutex core) {
        return new Mutex(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core lock behind this one, for Kotlin code. Never blocks.
     *
     * @return the core lock behind this one
     */
    public dev.conduit.sync.Mutex unwrap() {
        return core;
    }

    /**
     * Whether the lock is held now (a snapshot). Never blocks.
     *
     * @return true if some caller holds the lock now
     */
    public boolean isLocked() {
        return core.isLocked();
    }

    @Override
    boolean acquire(@Nullable Context ctx, long nanos) throws InterruptedException {
        return core.lockBlocking(ctx, nanos);
    }

    @Override
    CompletableFuture<@Nullable Void> acquireFuture(@Nullable Context ctx) {
        return core.lockFuture(ctx);
    }

    @Override
    boolean tryAcquire() {
        return core.tryLock();
    }

    /** Releases the core lock; throws "unlock of unlocked mutex" if it is not held. */
    @Override
    void release() {
        core.unlock();
    }

    /** A description that says whether the lock is held. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
