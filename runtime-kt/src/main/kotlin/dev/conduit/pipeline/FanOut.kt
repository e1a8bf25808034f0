package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import java.util.concurrent.ConcurrentLinkedQueue
import kotlin.coroutines.cancellation.CancellationException

/**
 * A running [fanOut]: its [results] channel, and [await] for how it ended.
 */
public class FanOut<T, R> internal constructor(
    /** Each successful result; closes when the fan-out ends, however it ends. */
    public val results: ReceiveChan<R>,
    private val job: Job,
    private val failed: ConcurrentLinkedQueue<ItemFailure<T>>,
) {
    /** The inputs that failed so far. Never blocks. */
    public fun failures(): List<ItemFailure<T>> = failed.toList()

    /**
     * Suspends until every worker has ended (read [results] meanwhile, or the workers wait for
     * you). Returns normally if no input failed.
     *
     * @throws FanOutException listing every failed input with its cause.
     */
    public suspend fun await() {
        job.join()
        if (failed.isNotEmpty()) throw FanOutException(failed.toList())
    }

    /** Stops the fan-out: workers are cancelled and [results] closes. Never blocks. */
    public fun cancel() {
        job.cancel()
    }
}

/**
 * Fan-out / fan-in with a failure policy: [workers] coroutines apply [transform] to the items
 * of [input], and the successful results arrive on [FanOut.results] (in input order if
 * [ordered]). A failing item is handled by [policy]:
 * - [FailurePolicy.FailFast]: the first failure cancels every worker and closes the results;
 * - [FailurePolicy.CollectAll]: the failure is recorded and everything else goes on;
 * - [FailurePolicy.Retry]: the item is tried again, then handled by its `then` policy.
 *
 * [FanOut.await] then throws a [FanOutException] listing every failed input with its cause.
 * A failure never fails this scope, and the fan-out stops when this scope is cancelled.
 * Backpressure as for [map]. Never blocks.
 *
 * ```
 * val fan = fanOut(urls, workers = 8, policy = FailurePolicy.CollectAll) { fetch(it) }
 * for (page in fan.results) index(page)
 * fan.await() // FanOutException: "2 input(s) failed: a.example: timeout ...; ..."
 * ```
 *
 * @throws IllegalArgumentException if [workers] < 1 or [capacity] < 0.
 */
public fun <T, R> CoroutineScope.fanOut(
    input: ReceiveChan<T>,
    workers: Int,
    policy: FailurePolicy = FailurePolicy.FailFast,
    ordered: Boolean = false,
    capacity: Int = 0,
    transform: suspend (T) -> R,
): FanOut<T, R> {
    val job = Job(coroutineContext[Job])
    val failed = ConcurrentLinkedQueue<ItemFailure<T>>()
    val retries = (policy as? FailurePolicy.Retry)?.times ?: 0
    val onFinalFailure = (policy as? FailurePolicy.Retry)?.then ?: policy
    val results = CoroutineScope(coroutineContext + job).stage<T, R>(input, workers, ordered, capacity, null) { item, out ->
        var attempt = 0
        while (true) {
            attempt++
            val result = try {
                Result.success(transform(item))
            } catch (e: CancellationException) {
                throw e
            } catch (e: Throwable) {
                Result.failure(e)
            }
            if (result.isSuccess) {
                out.emit(result.getOrThrow())
                break
            }
            if (attempt <= retries) {
                (policy as FailurePolicy.Retry).backoff.takeIf { it.isPositive() }?.let { delay(it) }
                continue
            }
            failed.add(ItemFailure(item, result.exceptionOrNull()!!, attempt))
            if (onFinalFailure == FailurePolicy.FailFast) job.cancel()
            break
        }
    }
    job.complete()
    return FanOut(results, job, failed)
}
