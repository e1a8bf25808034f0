package dev.conduit.sync

import dev.conduit.chan.Chan
import dev.conduit.chan.chan
import dev.conduit.chan.select
import dev.conduit.context.Context
import dev.conduit.context.asContext
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.job
import kotlinx.coroutines.withContext

/**
 * A mutual-exclusion lock built from a channel, the classic Go exercise done properly: the lock
 * is a one-slot channel, locking sends a token into it and unlocking takes the token out.
 *
 * Waiters get the lock in arrival order (the channel queues senders first come, first served).
 * Like Go's `sync.Mutex` it is not bound to an owner: any coroutine or thread may unlock it, and
 * it is not reentrant. Locking may be bounded by a [Context]; a waiter that gives up never holds
 * the lock afterwards (a select chooses atomically between the lock and the context).
 *
 * ```
 * val mu = Mutex()
 * mu.withLock { counter++ }
 * ```
 *
 * Thread-safe. [tryLock] and [unlock] never block; [lock] suspends.
 */
public class Mutex {
    private val token: Chan<Unit> = chan(1)

    /**
     * Takes the lock if it is free now. Never blocks. Like kotlinx's `trySend`, which it is, it
     * may fail while another `tryLock` or `lock` is half-way, even if that one then fails too.
     */
    public fun tryLock(): Boolean = token.trySend(Unit)

    /**
     * Suspends until the lock is taken, in arrival order, or [ctx] is done.
     *
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first; the lock
     *   is then not held.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; the lock
     *   is then not held.
     */
    public suspend fun lock(ctx: Context = Context.background()) {
        ctx.err?.let { throw it }
        if (tryLock()) return
        // The coroutine's own cancellation is a case of the select, which runs non-cancellably:
        // kotlinx's prompt cancellation could otherwise cancel a waiter after its send had
        // already put the token in, leaving the mutex locked by nobody.
        val job = currentCoroutineContext().job
        val cancelled = job.asContext()
        try {
            val outcome = withContext(NonCancellable) {
                select {
                    token.onSend(Unit) { LOCKED }
                    ctx.done.onReceiveOk { CONTEXT_DONE }
                    cancelled.done.onReceiveOk { CANCELLED }
                }
            }
            when (outcome) {
                LOCKED -> return
                CONTEXT_DONE -> throw ctx.err!!
                else -> {
                    job.ensureActive() // throws the job's own CancellationException
                    throw kotlinx.coroutines.CancellationException("cancelled while waiting for the lock")
                }
            }
        } finally {
            cancelled.cancel()
        }
    }

    /**
     * Releases the lock, handing it to the longest waiter if there is one. Never blocks.
     *
     * @throws IllegalStateException if the lock is not held (Go: "unlock of unlocked mutex").
     */
    public fun unlock() {
        checkNotNull(token.tryReceive()) { "unlock of unlocked mutex" }
    }

    /** Runs [action] holding the lock, and releases it however [action] ends. */
    public suspend inline fun <T> withLock(ctx: Context = Context.background(), action: () -> T): T {
        lock(ctx)
        try {
            return action()
        } finally {
            unlock()
        }
    }

    override fun toString(): String = "Mutex"

    private companion object {
        const val LOCKED = 0
        const val CONTEXT_DONE = 1
        const val CANCELLED = 2
    }
}
