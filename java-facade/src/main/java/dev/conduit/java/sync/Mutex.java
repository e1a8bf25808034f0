package dev.conduit.java.sync;

import dev.conduit.context.Context;
import java.util.ArrayList;
import java.util.List;
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
 * <p>{@link #lockAll(Mutex...)} takes several in one global order; {@link dev.conduit.sync.LockOrder}
 * checks the order of nested locks while it is on (a thread is the caller): then an unbounded
 * {@code lock} that would break the recorded order throws what the checker's handler throws
 * ({@link dev.conduit.sync.LockOrderException} for {@code LockOrder.THROW}), without locking.
 * The thread that took it, with any of these calls, is its holder in deadlock reports and in the
 * checker's record, unless it is a thread of kotlinx's shared pool (where Kotlin code holding the
 * lock may suspend and other code run on the thread: nothing is recorded there).
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
     * A new, unlocked mutex called {@code name} in reports ({@link dev.conduit.sync.LockOrder}
     * violations, {@link #toString()}). Never blocks.
     *
     * @param name what reports call it
     * @return a new mutex, unlocked
     * @throws NullPointerException if {@code name} is null
     */
    public static Mutex create(String name) {
        return new Mutex(new dev.conduit.sync.Mutex(Objects.requireNonNull(name, "name")));
    }

    /**
     * Locks every one of {@code mutexes} in one global order (their creation order), whatever
     * order they are given in, so that threads locking overlapping sets this way never deadlock
     * one another. Blocks; if interrupted, none of them is held.
     *
     * @param mutexes the mutexes to lock, each once
     * @throws NullPointerException if {@code mutexes} or one of them is null
     * @throws IllegalArgumentException if a mutex is given twice; nothing is locked then
     * @throws InterruptedException if interrupted while waiting; none is held then
     */
    public static void lockAll(Mutex... mutexes) throws InterruptedException {
        dev.conduit.sync.LockAllKt.lockAllBlocking(cores(mutexes), null);
    }

    /**
     * {@link #lockAll(Mutex...)} bounded by {@code ctx}: if {@code ctx} is done first, none is
     * held. Blocks.
     *
     * @param ctx when to give up
     * @param mutexes the mutexes to lock, each once
     * @throws NullPointerException if an argument or one of the mutexes is null
     * @throws IllegalArgumentException if a mutex is given twice; nothing is locked then
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done first
     * @throws InterruptedException if interrupted while waiting; none is held then
     */
    public static void lockAll(Context ctx, Mutex... mutexes) throws InterruptedException {
        dev.conduit.sync.LockAllKt.lockAllBlocking(cores(mutexes), Objects.requireNonNull(ctx, "ctx"));
    }

    /**
     * Unlocks every one of {@code mutexes}, in the reverse of the order {@link #lockAll} took them
     * in. Never blocks.
     *
     * @param mutexes the mutexes to unlock
     * @throws NullPointerException if {@code mutexes} or one of them is null
     * @throws IllegalStateException if one is not locked (the others are still unlocked)
     */
    public static void unlockAll(Mutex... mutexes) {
        dev.conduit.sync.LockAllKt.unlockAll(cores(mutexes).toArray(new dev.conduit.sync.Mutex[0]));
    }

    private static List<dev.conduit.sync.Mutex> cores(Mutex[] mutexes) {
        Objects.requireNonNull(mutexes, "mutexes");
        List<dev.conduit.sync.Mutex> cores = new ArrayList<>(mutexes.length);
        for (Mutex m : mutexes) cores.add(Objects.requireNonNull(m, "mutexes[i]").core);
        return cores;
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
        return core.tryLockOnThread();
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
