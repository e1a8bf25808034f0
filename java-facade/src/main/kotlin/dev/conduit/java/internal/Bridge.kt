package dev.conduit.java.internal

import dev.conduit.GoRuntime
import dev.conduit.chan.spi.OperationFuture
import kotlinx.coroutines.Job
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.atomic.AtomicBoolean

/**
 * Runs suspending Conduit APIs that have no blocking form of their own (wait groups, errgroups,
 * pipelines, rate limiters) for Java callers, as a future or blocking the calling thread.
 * Channels, select, locks and permits do not come here: they park the thread in the core's own
 * waiter queues.
 *
 * The block starts undispatched on the caller's thread and resumes on whichever thread
 * completes what it waits for, so the blocking path costs one park and one unpark, and no
 * thread of its own.
 */
internal object Bridge {
    /** Where bridge coroutines run: inline on whichever thread starts or resumes them. */
    private val scope = CoroutineScope(GoRuntime.scope.coroutineContext + Dispatchers.Unconfined)

    /**
     * Runs a suspending [block] as a future. The future is the core's
     * [OperationFuture][dev.conduit.chan.spi.OperationFuture], as the channels' and locks' are:
     * ending it, or a stage derived from it, from outside (`cancel`, `complete`, `orTimeout`, …)
     * first withdraws the call, which cancels the block (it then gives back whatever it had
     * taken, as every Conduit operation does), and succeeds only if the block had not ended yet;
     * once the block has ended, the future holds its result. Never blocks.
     */
    fun <R> call(block: suspend () -> R): CompletableFuture<R> {
        val decided = AtomicBoolean()
        lateinit var job: Job
        val future = OperationFuture<R> { decided.compareAndSet(false, true).also { if (it) job.cancel() } }
        job = scope.launch(start = CoroutineStart.UNDISPATCHED) {
            val outcome = try {
                Outcome(block(), null)
            } catch (e: Throwable) {
                Outcome(null, e)
            }
            if (!decided.compareAndSet(false, true)) return@launch
            @Suppress("UNCHECKED_CAST")
            if (outcome.failure == null) future.completeByOperation(outcome.value as R) else future.failByOperation(outcome.failure)
        }
        return future
    }

    /** What a bridged block ended with: its value, or what it threw. */
    private class Outcome(val value: Any?, val failure: Throwable?) {
        /** The value, or what was thrown, thrown again. */
        fun <R> get(): R {
            failure?.let { throw it }
            @Suppress("UNCHECKED_CAST")
            return value as R
        }
    }

    /**
     * Runs [block] and blocks the calling thread until it ends, returning its value or
     * rethrowing what it threw.
     *
     * @throws InterruptedException if interrupted while [block] runs: the block is cancelled,
     *   and this waits for it to end. If it had completed anyway (its result was in hand when
     *   the cancellation arrived), that result is returned with the interrupt status set again,
     *   so a completed operation is never reported as interrupted.
     */
    @Throws(InterruptedException::class)
    fun <R> callBlocking(block: suspend () -> R): R {
        val (job, ended) = launch(block)
        val outcome = try {
            ended.get()
        } catch (e: InterruptedException) {
            job.cancel()
            val late = awaitUninterruptibly(ended)
            if (late.failure is java.util.concurrent.CancellationException) throw e
            Thread.currentThread().interrupt()
            late
        } catch (e: ExecutionException) {
            throw e.cause ?: e
        }
        return outcome.get()
    }

    /**
     * Runs [block] and blocks the calling thread until it ends, returning its value or
     * rethrowing what it threw; an interrupt neither cancels [block] nor stops the wait, and is
     * kept as the thread's status. For the calls that must finish, such as closing a scope.
     */
    fun <R> callUninterruptibly(block: suspend () -> R): R = awaitUninterruptibly(launch(block).second).get()

    /** [block] started undispatched on this thread, and the future of its outcome. */
    private fun <R> launch(block: suspend () -> R): Pair<Job, CompletableFuture<Outcome>> {
        val ended = CompletableFuture<Outcome>()
        val job = scope.launch(start = CoroutineStart.UNDISPATCHED) {
            val outcome = try {
                Outcome(block(), null)
            } catch (e: Throwable) {
                Outcome(null, e)
            }
            ended.complete(outcome)
        }
        return job to ended
    }

    /** Waits for [f] ignoring interrupts (they are kept as the thread's status). */
    private fun <T> awaitUninterruptibly(f: CompletableFuture<T>): T {
        var interrupted = false
        try {
            while (true) {
                try {
                    return f.get()
                } catch (e: InterruptedException) {
                    interrupted = true
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt()
        }
    }
}
