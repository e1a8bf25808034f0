package dev.conduit.sync

import dev.conduit.chan.spi.diagnosticName
import dev.conduit.context.Context
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong

/**
 * A reader/writer lock, Go's `sync.RWMutex`: any number of readers, or one writer.
 *
 * Built on the channel-signalled weighted [Semaphore] the way Go's `x/sync/semaphore` docs
 * suggest: a reader takes one permit, a writer takes all of them. Because the semaphore serves
 * waiters strictly in arrival order, a writer that is waiting holds back every reader that
 * arrives after it, so a steady stream of readers cannot starve writers (Go's rule: "if a
 * goroutine holds a RWMutex for reading and another goroutine might call Lock, no goroutine
 * should expect to be able to acquire a read lock until the initial read lock is released").
 * Readers queued behind a writer all enter together when it unlocks.
 *
 * Locking may be bounded by a [Context]; a waiter that gives up (context done, coroutine
 * cancelled) holds nothing afterwards, and the waiters behind it move up. A context done before
 * the lock is granted wins even at the very moment of the grant: the [Semaphore]'s rule.
 *
 * Like Go's, it is not bound to an owner and is not reentrant: a reader that asks for a
 * second read lock while a writer waits deadlocks, as in Go.
 *
 * ```
 * val rw = RWMutex()
 * rw.withRLock { cache[key] }
 * rw.withLock { cache[key] = value }
 * ```
 *
 * Thread-safe. [tryLock], [tryRLock], [unlock] and [rUnlock] never block; [lock] and [rLock]
 * suspend; [lockBlocking] and [rLockBlocking] block the calling thread; [lockFuture] and
 * [rLockFuture] never block.
 */
public class RWMutex {
    private val permits = Semaphore(MAX_READERS).also { it.diagnosticName = diagnosticName("RWMutex", this) }
    private val readers = AtomicLong()
    private val writing = AtomicBoolean()

    /** Read locks held now (a snapshot, for monitoring). */
    public val readersHeld: Long get() = readers.get()

    /** Whether the write lock is held now (a snapshot, for monitoring). */
    public val isWriteLocked: Boolean get() = writing.get()

    /** Takes the write lock if nobody holds or waits for the lock now. Never blocks. */
    public fun tryLock(): Boolean = permits.tryAcquire(MAX_READERS).also { if (it) writing.set(true) }

    /**
     * Suspends until the write lock is held, in arrival order, or [ctx] is done.
     *
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first; nothing
     *   is held then.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; nothing is
     *   held then.
     */
    public suspend fun lock(ctx: Context = Context.background()) {
        permits.acquire(ctx, MAX_READERS)
        writing.set(true)
    }

    /**
     * Blocks the calling thread until the write lock is held, in arrival order, [ctx] is done
     * (`null`: no context) or [timeoutNanos] passes (`Long.MAX_VALUE`: no timeout; zero or
     * less: only if free now); the thread parks in the lock's queue.
     *
     * @return `true` if the write lock is held, `false` if the timeout passed first (nothing
     *   held).
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first.
     * @throws InterruptedException if interrupted first; nothing is held then. Interrupted at the
     *   moment the lock is granted, it returns holding it, with the interrupt status set.
     */
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun lockBlocking(ctx: Context? = null, timeoutNanos: Long = Long.MAX_VALUE): Boolean {
        if (!permits.acquireBlocking(ctx, MAX_READERS, timeoutNanos)) return false
        writing.set(true)
        return true
    }

    /**
     * Blocks the calling thread until a read lock is held, [ctx] is done or [timeoutNanos]
     * passes; as [lockBlocking].
     *
     * @return `true` if a read lock is held, `false` if the timeout passed first.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first.
     * @throws InterruptedException if interrupted first; nothing is held then.
     */
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun rLockBlocking(ctx: Context? = null, timeoutNanos: Long = Long.MAX_VALUE): Boolean {
        if (!permits.acquireBlocking(ctx, 1, timeoutNanos)) return false
        readers.incrementAndGet()
        return true
    }

    /**
     * Takes the write lock without blocking the caller: the future completes once it is held,
     * or exceptionally with [Context.err] if [ctx] is done first (`null`: no context).
     * Cancelling it withdraws the request: `cancel` returns `true` only if the lock was not and
     * will not be granted to it; the same for every other way of ending it, or a stage derived
     * from it, from outside (see [dev.conduit.chan.spi.OperationFuture]). Never blocks.
     */
    @JvmOverloads
    public fun lockFuture(ctx: Context? = null): CompletableFuture<Void?> =
        permits.acquireFuture(ctx, MAX_READERS) { writing.set(true) }

    /** [lockFuture] for a read lock. Never blocks. */
    @JvmOverloads
    public fun rLockFuture(ctx: Context? = null): CompletableFuture<Void?> =
        permits.acquireFuture(ctx, 1) { readers.incrementAndGet() }

    /**
     * Releases the write lock; the readers queued next (or the next writer) enter. Never blocks.
     *
     * @throws IllegalStateException if the write lock is not held (Go: "Unlock of unlocked
     *   RWMutex").
     */
    public fun unlock() {
        check(writing.compareAndSet(true, false)) { "unlock of unlocked RWMutex" }
        permits.release(MAX_READERS)
    }

    /** Takes a read lock if no writer holds or waits for the lock now. Never blocks. */
    public fun tryRLock(): Boolean = permits.tryAcquire(1).also { if (it) readers.incrementAndGet() }

    /**
     * Suspends until a read lock is held or [ctx] is done. Waits while a writer holds the lock
     * or is queued ahead.
     *
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first; nothing
     *   is held then.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; nothing is
     *   held then.
     */
    public suspend fun rLock(ctx: Context = Context.background()) {
        permits.acquire(ctx, 1)
        readers.incrementAndGet()
    }

    /**
     * Releases one read lock; the last reader out lets a waiting writer in. Never blocks.
     *
     * @throws IllegalStateException if no read lock is held (Go: "RUnlock of unlocked RWMutex").
     */
    public fun rUnlock() {
        while (true) {
            val n = readers.get()
            check(n > 0) { "rUnlock of unlocked RWMutex" }
            if (readers.compareAndSet(n, n - 1)) break
        }
        permits.release(1)
    }

    /** Runs [action] holding the write lock and releases it however [action] ends. Suspends. */
    public suspend inline fun <T> withLock(ctx: Context = Context.background(), action: () -> T): T {
        lock(ctx)
        try {
            return action()
        } finally {
            unlock()
        }
    }

    /** Runs [action] holding a read lock and releases it however [action] ends. Suspends. */
    public suspend inline fun <T> withRLock(ctx: Context = Context.background(), action: () -> T): T {
        rLock(ctx)
        try {
            return action()
        } finally {
            rUnlock()
        }
    }

    /** How many lockers (readers and writers) are queued now, for tests and monitoring. */
    internal val waiting: Int get() = permits.waiting

    override fun toString(): String = "RWMutex(readers=${readers.get()}, writer=${writing.get()})"

    private companion object {
        /** Go's `rwmutexMaxReaders`: the most readers at once, and the writer's weight. */
        const val MAX_READERS = 1L shl 30
    }
}
