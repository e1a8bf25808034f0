package dev.conduit.sync

import dev.conduit.chan.ChanImpl
import dev.conduit.chan.spi.BlockedWaits
import dev.conduit.chan.spi.LockPurpose
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.WaitsOf
import dev.conduit.chan.spi.waitOwner
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import dev.conduit.context.contextDone
import kotlinx.coroutines.currentCoroutineContext
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicLong

/**
 * A mutual-exclusion lock built from a channel, the classic Go exercise done properly: the lock
 * is a one-slot channel, locking sends a token into it and unlocking takes the token out.
 *
 * Waiters get the lock in arrival order (the channel queues senders first come, first served),
 * whether they are coroutines, blocked threads or futures: they wait in the channel's one queue.
 * Like Go's `sync.Mutex` it is not bound to an owner: any coroutine or thread may unlock it, and
 * it is not reentrant. Locking may be bounded by a [Context].
 *
 * A waiter that gives up never holds the lock afterwards: if the lock was handed to a coroutine
 * at the moment it was cancelled, it unlocks again and throws `CancellationException` (kotlinx's
 * `Mutex` rule, so `withTimeout { mu.lock() }` cannot leak the lock); a thread interrupted at
 * that moment keeps the lock and returns with its interrupt status set. A context done before the
 * lock is handed over wins, even at the very moment of the hand-over: the lock goes on to the
 * next waiter and the locker fails with the context's error (Go's rule for
 * `semaphore.Acquire`, golang/go#63615), so a lock that returns saw its context not done.
 *
 * ```
 * val mu = Mutex()
 * mu.withLock { counter++ }
 * ```
 *
 * [lockAll] takes several mutexes in one global order (so that callers taking the same ones
 * never deadlock each other), and [LockOrder] checks the order of nested locks while it is on.
 *
 * Thread-safe. [tryLock], [tryLockOnThread] and [unlock] never block; [lock] suspends;
 * [lockBlocking] blocks.
 *
 * @param name what reports ([LockOrder], [toString]) call it; `null` for `Mutex#id`.
 */
public class Mutex @JvmOverloads constructor(public val name: String? = null) {
    private val token = ChanImpl<Unit>(1)

    /**
     * This mutex's place in the global order [lockAll] locks in: unique, fixed at creation,
     * increasing with creation order. Never blocks.
     */
    public val order: Long = nextOrder.getAndIncrement()

    /** Its name in diagnostics and who holds it, kept only while detection is on. */
    private val purpose: LockPurpose? = if (BlockedWaits.ON) BlockedWaits.name(token, LockPurpose(describe())) else null

    /** Gives the lock back when it was handed to a coroutine cancelled at that moment. */
    private val undoLate: (Any?) -> Unit = { unlock() }

    /**
     * Takes the lock if it is free now (linearizable). Never blocks. Called from a coroutine or
     * a thread alike, it cannot tell which, so diagnostics know no holder of a lock it took
     * (and [LockOrder] no order after it); a thread that is not running a coroutine calls
     * [tryLockOnThread] instead.
     */
    public fun tryLock(): Boolean = token.trySend(Unit)

    /**
     * [tryLock] for the calling thread (the Java facade's `tryLock` is this): the same
     * linearizable try, and the thread is then this lock's holder, as [lockBlocking] makes it:
     * in a lock-cycle report while detection is on, and in [LockOrder]'s record while it is on
     * (a try is not checked: it cannot deadlock). Code in a coroutine calls [tryLock] or [lock]:
     * a coroutine may suspend holding the lock and another run on its thread, so a thread is
     * recorded as a holder only if it is not one of kotlinx's shared pool (`Dispatchers.Default`,
     * `Dispatchers.IO`, where a cycle through such a lock is missed, never falsely reported); on
     * a thread of another dispatcher a coroutine must not call it. Never blocks.
     */
    public fun tryLockOnThread(): Boolean {
        if (!tryLock()) return false
        heldByThread()
        return true
    }

    /** Records the calling thread as the holder (see [holdingThread]) while detection or [LockOrder] is on. */
    private fun heldByThread() {
        if (purpose == null && !LockOrder.isEnabled) return
        val thread = holdingThread() ?: return
        if (purpose != null) purpose.holder = thread
        LockOrder.locked(this, thread)
    }

    /** Whether the lock is held now (a snapshot). Never blocks. */
    public val isLocked: Boolean get() = token.len == 1

    /**
     * Suspends until the lock is taken, in arrival order, or [ctx] is done.
     *
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done before the
     *   lock is handed over; the lock is then not held.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; the lock
     *   is then not held.
     * @throws LockOrderException (or whatever the [LockOrder] handler throws) if the checker is
     *   on and this lock would break the recorded order; the lock is then not held.
     */
    public suspend fun lock(ctx: Context = Context.background()) {
        ctx.err?.let { contextDone(it) }
        val caller = if (LockOrder.isEnabled) currentCoroutineContext().let { c ->
            LockOrder.coroutineCaller(c).also { LockOrder.beforeLock(this, it) { LockOrder.describeCoroutine(c) } }
        } else null
        take(ctx)
        if (purpose != null) purpose.holder = waitOwner(currentCoroutineContext())
        if (caller != null) LockOrder.locked(this, caller)
    }

    private suspend fun take(ctx: Context) {
        if (tryLock()) return
        token.suspending(true, Unit, ctx, undoLate = undoLate)
        unlockIfDone(ctx)?.let { contextDone(it) }
    }

    /**
     * [Cond]'s re-lock after a wait, for [caller] (what [LockOrder.caller] said before the
     * wait): the caller held this mutex before, so its order is not checked again. It runs in a
     * scope that cannot be cancelled, with the waiting coroutine's job as [WaitsOf]: its wait,
     * and then the lock, are that coroutine's in diagnostics.
     */
    internal suspend fun relock(caller: Any?) {
        take(Context.background())
        if (purpose != null) purpose.holder = waitOwner(currentCoroutineContext())
        if (caller != null) LockOrder.locked(this, caller)
    }

    /** [relock] for a thread, [Cond.awaitBlocking]'s. */
    @Throws(InterruptedException::class)
    internal fun relockBlocking() {
        token.sendBlocking(Unit, Long.MAX_VALUE, null)
        heldByThread()
    }

    /**
     * Blocks the calling thread until the lock is taken, [ctx] is done (`null`: no context) or
     * [timeoutNanos] passes (`Long.MAX_VALUE`: no timeout). The thread parks in the lock's own
     * queue.
     *
     * @return `true` if the lock is held, `false` if the timeout passed first.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done before the
     *   lock is handed over; the lock is then not held.
     * @throws InterruptedException if interrupted first; the lock is then not held. Interrupted
     *   at the moment the lock is handed over, it returns `true` with the interrupt status set.
     */
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun lockBlocking(ctx: Context? = null, timeoutNanos: Long = Long.MAX_VALUE): Boolean {
        // A bounded wait cannot deadlock: only an unbounded one is an order to check.
        if (LockOrder.isEnabled && timeoutNanos == Long.MAX_VALUE) {
            holdingThread()?.let { LockOrder.beforeLock(this, it) { LockOrder.describeThread() } }
        }
        if (token.sendBlocking(Unit, timeoutNanos, ctx) !== Poll.SENT) return false
        unlockIfDone(ctx)?.let { throw it }
        heldByThread()
        return true
    }

    /**
     * The re-check after a hand-over: if [ctx] is done by now, it was done first or at the same
     * moment, so the lock goes on to the next waiter and the context's error is thrown.
     */
    private fun unlockIfDone(ctx: Context?): ContextException? {
        val err = ctx?.err ?: return null
        unlock()
        return err
    }

    /**
     * Locks without blocking the caller: the future completes once the lock is held, or
     * exceptionally with [Context.err] if [ctx] is done first (`null`: no context). Cancelling
     * it withdraws the request: `cancel` returns `true` only if the lock was not and will not be
     * handed to it; the same for every other way of ending it, or a stage derived from it, from
     * outside (see [dev.conduit.chan.spi.OperationFuture]).
     */
    @JvmOverloads
    public fun lockFuture(ctx: Context? = null): CompletableFuture<Void?> = token.future(true, Unit, ctx) { null }

    /**
     * Releases the lock, handing it to the longest waiter if there is one. Never blocks.
     *
     * @throws IllegalStateException if the lock is not held (Go: "unlock of unlocked mutex").
     */
    public fun unlock() {
        if (LockOrder.isEnabled) LockOrder.unlocked(this)
        if (purpose != null) purpose.holder = null
        check(token.tryReceiveNow() !== Poll.NOT_READY) { "unlock of unlocked mutex" }
    }

    /** Runs [action] holding the lock, and releases it however [action] ends. Suspends to lock. */
    public suspend inline fun <T> withLock(ctx: Context = Context.background(), action: () -> T): T {
        lock(ctx)
        try {
            return action()
        } finally {
            unlock()
        }
    }

    /** How many lockers are queued now, for tests and monitoring. */
    internal val waiting: Int get() = token.queuedWaiters().first

    /** Its name, or `Mutex#order`. */
    internal fun describe(): String = name?.let { "Mutex '$it'" } ?: "Mutex#$order"

    override fun toString(): String = "${describe()}(locked=$isLocked)"

    private companion object {
        private val nextOrder = AtomicLong()

        /** The class of kotlinx's shared pool threads (`Dispatchers.Default`, `Dispatchers.IO`). */
        private const val COROUTINE_WORKER = "kotlinx.coroutines.scheduling.CoroutineScheduler\$Worker"

        /**
         * The calling thread as a lock's holder for diagnostics and [LockOrder], or `null` on a
         * thread of kotlinx's shared pool: a coroutine there may suspend holding the lock and
         * another coroutine run on that thread, which would then look like the holder.
         */
        private fun holdingThread(): Thread? = Thread.currentThread().takeUnless { it.javaClass.name == COROUTINE_WORKER }
    }
}
