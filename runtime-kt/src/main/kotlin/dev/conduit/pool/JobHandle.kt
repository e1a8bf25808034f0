package dev.conduit.pool

import dev.conduit.chan.spi.OperationFuture
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/**
 * The handle of one submitted [Job], `Deferred`-like: [await] its result, [cancel] it. A job
 * that is still queued is taken out of the queue by [cancel] and never runs; a running one is
 * cancelled (its coroutine, and on a goroutine thread its thread's interrupt). The handle
 * ends exactly once: with the job's value, its exception, a [JobTimeoutException], a
 * [WorkerLostException], a [JobRejectedException] (it never ran), or cancelled.
 *
 * [asCompletableFuture] is the same outcome as a `CompletableFuture`, whose own `cancel` (or
 * `complete`, `orTimeout`, …) withdraws the job the same way. Thread-safe.
 */
public class JobHandle<T> internal constructor(
    /** The job this handle is for. */
    public val job: Job<T>,
    private val pool: WorkerPool,
    internal val level: Int,
    internal val lane: Lane,
) {
    /** One of the states in the companion; written under the pool's lock. */
    @Volatile
    internal var state: Int = NEW

    /** The coroutine job of the running attempt, for cancelling it. */
    @Volatile
    internal var execution: kotlinx.coroutines.Job? = null

    /** When the cancellation of the running attempt was asked for ([NONE] if it was not), on the pool's clock. */
    @Volatile
    internal var cancelAskedAt: Long = NONE

    /** When it was queued, on the pool's clock; under the pool's lock. */
    internal var enqueuedAt: Long = 0

    /** How many times it started; under the pool's lock. */
    internal var attempts: Int = 0

    internal val future: OperationFuture<T> = OperationFuture { pool.withdraw(this) }

    /** Whether the handle has ended, in any way. Never blocks. */
    public val isDone: Boolean get() = future.isDone

    /** Whether it ended by [cancel] (or a shutdown cancelling it while it ran). Never blocks. */
    public val isCancelled: Boolean get() = future.isCancelled

    /**
     * Suspends until the job has ended and returns its value, or throws what it ended with
     * (a `CancellationException` if it was cancelled). Cancelling the awaiting coroutine stops
     * the wait only: the job goes on.
     */
    public suspend fun await(): T {
        if (future.isDone) return outcomeNow()
        return suspendCancellableCoroutine { c ->
            future.whenComplete { v, e -> if (e == null) c.resume(v) else c.resumeWithException(unwrap(e)) }
        }
    }

    private fun outcomeNow(): T = try {
        future.join()
    } catch (e: CompletionException) {
        throw unwrap(e)
    }

    /**
     * Cancels the job: a queued one is removed from the queue and never runs; a running one is
     * cancelled. Never blocks.
     *
     * @return `true` if this call cancelled it, `false` if it had already ended.
     */
    public fun cancel(): Boolean = future.cancel(false)

    /** The outcome as a `CompletableFuture`; ending it from outside withdraws the job as [cancel] does. Never blocks. */
    public fun asCompletableFuture(): CompletableFuture<T> = future

    override fun toString(): String = "JobHandle($job, ${if (isDone) "done" else "pending"})"

    internal companion object {
        const val NEW = 0
        const val QUEUED = 1
        const val RUNNING = 2
        /** Running, cancellation asked: its outcome is dropped, the future is already cancelled. */
        const val CANCELLING = 3
        /** Ended: completed, failed, cancelled while queued, or dropped unrun. */
        const val ENDED = 4
        const val NONE = Long.MIN_VALUE

        fun unwrap(e: Throwable): Throwable = if (e is CompletionException && e.cause != null) e.cause!! else e
    }
}
