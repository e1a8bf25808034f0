package dev.conduit.java.internal

import dev.conduit.GoRuntime
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.SelectScope
import dev.conduit.chan.SendChan
import dev.conduit.chan.chan
import dev.conduit.chan.select
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.future.future
import kotlinx.coroutines.launch
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.concurrent.ExecutionException

/**
 * Runs Conduit selects for Java callers: as a future, or blocking the calling thread.
 *
 * Every operation is a select with one extra case, a receive on a private `abort` channel.
 * Cancelling (or interrupting) sends on `abort` with `trySend`, which succeeds only if the
 * select has not already chosen another case, because a select chooses atomically. So a
 * cancelled operation has certainly not happened, and an operation that happened is never
 * reported as cancelled: no value is lost or sent twice. (Cancelling a kotlinx coroutine
 * instead could drop a value already handed to it: kotlinx's prompt cancellation.)
 *
 * The select starts undispatched on the caller's thread and resumes on whichever thread
 * completes it, so the blocking path costs one park and one unpark, and no thread of its own.
 */
internal object Bridge {
    private val ABORTED = Any()

    /** Where bridge coroutines run: inline on whichever thread starts or resumes them. */
    private val scope = CoroutineScope(GoRuntime.scope.coroutineContext + Dispatchers.Unconfined)

    /**
     * The abort channel of a thread's blocking calls. A thread is blocked in at most one call,
     * and a finished select leaves no receiver behind on it, so one channel per thread serves
     * every call that thread makes, instead of one channel per call.
     */
    private val threadAbort = ThreadLocal.withInitial { chan<Unit>() }

    /** A select over [cases] as a future whose `cancel` withdraws it. Never blocks. */
    fun <R> async(biased: Boolean = false, cases: SelectScope<R>.() -> Unit): CompletableFuture<R> =
        asyncThen(biased, cases) { it }

    /**
     * A select over [cases] whose result [then] maps before the future completes (an exception
     * from [then] completes it exceptionally). Cancelling the future withdraws the select.
     */
    fun <R, V> asyncThen(biased: Boolean, cases: SelectScope<R>.() -> Unit, then: (R) -> V): CompletableFuture<V> {
        val abort = chan<Unit>()
        return start(AbortableFuture(abort), abort, biased, cases, then)
    }

    /**
     * Blocks the calling thread until a case of [cases] fires and returns its result; an
     * exception from the select is rethrown as it is.
     *
     * @throws InterruptedException if interrupted before a case fired; then none fires. If a
     *   case fired anyway, its result is returned with the interrupt status set again.
     */
    @Throws(InterruptedException::class)
    fun <R> await(biased: Boolean = false, cases: SelectScope<R>.() -> Unit): R {
        val abort = threadAbort.get()
        val future = start(CompletableFuture<R>(), abort, biased, cases) { it }
        return waitFor(future) { abort.trySend(Unit) }
    }

    /**
     * Blocks until [future] completes and returns its value, rethrowing its failure as it is.
     * If interrupted first, calls [withdraw]: `true` means the work was withdrawn and nothing
     * happened, so InterruptedException is thrown; `false` means it completed anyway, so its
     * result is returned with the interrupt status set again.
     */
    private fun <R> waitFor(future: CompletableFuture<R>, withdraw: () -> Boolean): R {
        try {
            return future.get()
        } catch (e: ExecutionException) {
            throw e.cause ?: e
        } catch (e: java.util.concurrent.CancellationException) {
            throw unwrap(e)
        } catch (e: InterruptedException) {
            if (withdraw()) throw e
            Thread.currentThread().interrupt()
            try {
                return future.join()
            } catch (c: CompletionException) {
                throw c.cause ?: c
            }
        }
    }

    /** Starts the select, undispatched on this thread, completing [future] with its outcome. */
    private fun <R, V> start(
        future: CompletableFuture<V>,
        abort: ReceiveChan<Unit>,
        biased: Boolean,
        cases: SelectScope<R>.() -> Unit,
        then: (R) -> V,
    ): CompletableFuture<V> {
        scope.launch(start = CoroutineStart.UNDISPATCHED) {
            try {
                val r = select<Any?>(biased) {
                    @Suppress("UNCHECKED_CAST")
                    (this as SelectScope<R>).cases()
                    abort.onReceive { ABORTED }
                }
                @Suppress("UNCHECKED_CAST")
                if (r !== ABORTED) future.complete(then(r as R))
            } catch (e: Throwable) {
                future.completeExceptionally(e)
            }
        }
        return future
    }

    /**
     * Runs a suspending [block] whose cancellation loses nothing (it gives back what it took)
     * as a future; cancelling the future cancels the block. Never blocks.
     */
    fun <R> call(block: suspend () -> R): CompletableFuture<R> =
        scope.future(start = CoroutineStart.UNDISPATCHED) { block() }

    /**
     * Runs [block] as [call] does and blocks the calling thread until it completes.
     *
     * @throws InterruptedException if interrupted first; the block is then cancelled. If it
     *   completed anyway, its result is returned with the interrupt status set again.
     */
    @Throws(InterruptedException::class)
    fun <R> callBlocking(block: suspend () -> R): R {
        val future = call(block)
        return waitFor(future) { future.cancel(true) }
    }

    /**
     * The cancellation a future reports: on JDK 17 `get()` throws the future's own
     * CancellationException (a context's error, say), on newer JDKs a new one whose cause it is.
     */
    private fun unwrap(e: java.util.concurrent.CancellationException): Throwable =
        (e.cause as? java.util.concurrent.CancellationException) ?: e

    private class AbortableFuture<R>(private val abort: SendChan<Unit>) : CompletableFuture<R>() {
        override fun cancel(mayInterruptIfRunning: Boolean): Boolean =
            !isDone && abort.trySend(Unit) && super.cancel(mayInterruptIfRunning)
    }
}
