package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.SpscChan
import dev.conduit.chan.SendChan
import dev.conduit.chan.Chan
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch

/**
 * A pipeline stage: starts coroutines in this scope that apply [transform] to each item of
 * [input] and send the results to the returned channel (buffer [capacity]), which closes once
 * [input] has closed and every item is through. The stage stops, and closes its output, when
 * this scope is cancelled; an exception from [transform] fails the stage, which cancels the
 * scope (use [fanOut] for per-item failure policies). Never blocks.
 *
 * ## Workers and order
 * [workers] coroutines run [transform] concurrently. With [ordered] (the default) results leave
 * in input order: each item gets a result slot in a queue of at most `workers` slots, so one
 * slow item holds back at most `workers` later ones. Unordered, results leave as they are
 * ready, with no slot queue (faster; use it when order does not matter).
 *
 * ## Backpressure
 * Everything between stages is bounded: a stage holds at most its workers' items, its result
 * slots and its output buffer, so a slow stage slows its producer instead of piling up items.
 *
 * ## Scaling
 * With [scaling], the worker count starts at [workers] and adapts between `scaling.min` and
 * `scaling.max` to the input backlog and worker utilisation, reporting each change (see
 * [Scaling]).
 *
 * @throws IllegalArgumentException if [workers] < 1, [capacity] < 0, [input] is a single-consumer
 *   [dev.conduit.chan.SpscChan] read by more than one worker (unordered), or [workers] is outside
 *   the scaling bounds.
 */
public fun <T, R> CoroutineScope.map(
    input: ReceiveChan<T>,
    workers: Int = 1,
    ordered: Boolean = true,
    capacity: Int = 0,
    scaling: Scaling? = null,
    transform: suspend (T) -> R,
): ReceiveChan<R> = stage(input, workers, ordered, capacity, scaling) { item, out -> out.emit(transform(item)) }

/**
 * A stage that passes on the items of [input] for which [predicate] holds. Workers, order,
 * backpressure, scaling, cancellation and failure as for [map]. Never blocks.
 */
public fun <T> CoroutineScope.filter(
    input: ReceiveChan<T>,
    workers: Int = 1,
    ordered: Boolean = true,
    capacity: Int = 0,
    scaling: Scaling? = null,
    predicate: suspend (T) -> Boolean,
): ReceiveChan<T> = stage(input, workers, ordered, capacity, scaling) { item, out -> if (predicate(item)) out.emit(item) }

/**
 * A stage that sends every item of the iterable [transform] returns for each input item, in
 * that iterable's order. Workers, order (the items of one input stay together when ordered),
 * backpressure, scaling, cancellation and failure as for [map]. Never blocks.
 */
public fun <T, R> CoroutineScope.flatMap(
    input: ReceiveChan<T>,
    workers: Int = 1,
    ordered: Boolean = true,
    capacity: Int = 0,
    scaling: Scaling? = null,
    transform: suspend (T) -> Iterable<R>,
): ReceiveChan<R> = stage(input, workers, ordered, capacity, scaling) { item, out -> for (r in transform(item)) out.emit(r) }

/** Where a stage body sends its results for one item. */
internal fun interface Emitter<in R> {
    suspend fun emit(value: R)
}

/** The one engine behind [map], [filter] and [flatMap]. */
internal fun <T, R> CoroutineScope.stage(
    input: ReceiveChan<T>,
    workers: Int,
    ordered: Boolean,
    capacity: Int,
    scaling: Scaling?,
    body: suspend (T, Emitter<R>) -> Unit,
): ReceiveChan<R> {
    require(workers >= 1) { "workers must be >= 1, but was $workers" }
    if (scaling != null) {
        require(workers in scaling.min..scaling.max) {
            "workers must be in ${scaling.min}..${scaling.max} (the scaling bounds), but was $workers"
        }
    }
    // An ordered stage reads its input in one coroutine; an unordered one in every worker.
    if (!ordered) requireSingleReaderOk(input, scaling?.max ?: workers, "a stage of $workers worker(s)")
    val out = Chan<R>(capacity)
    launch {
        try {
            if (ordered && (workers > 1 || scaling != null)) {
                runOrdered(input, out, workers, scaling ?: Scaling(workers, workers), body)
            } else {
                runWorkers(input, workers, scaling) { item -> body(item) { out.send(it) } }
            }
        } finally {
            out.close()
        }
    }
    return out
}

/**
 * Ordered fan-out: a dispatcher gives each item a result slot and queues the slots in input
 * order (at most `scaling.max` ahead of the output); workers fill the slots; this coroutine
 * empties them in order into [out]. A slot is a [CompletableDeferred], the lightest one-shot
 * hand-off kotlinx has. Each item takes four hand-offs instead of the unordered path's two,
 * which is what ordering costs (`StageBenchmark` in benchmarks/ measures it beside the unordered path).
 */
private suspend fun <T, R> CoroutineScope.runOrdered(
    input: ReceiveChan<T>,
    out: SendChan<R>,
    workers: Int,
    scaling: Scaling,
    body: suspend (T, Emitter<R>) -> Unit,
) {
    val slots = Chan<CompletableDeferred<List<R>>>(scaling.max)
    val jobs = Chan<Pair<T, CompletableDeferred<List<R>>>>(0)
    launch {
        try {
            for (item in input) {
                val slot = CompletableDeferred<List<R>>()
                slots.send(slot)
                jobs.send(item to slot)
            }
        } finally {
            jobs.close()
            slots.close()
        }
    }
    launch {
        runWorkers(jobs, workers, scaling.takeIf { it.max > it.min }) { (item, slot) ->
            val results = ArrayList<R>(1)
            body(item) { results.add(it) }
            slot.complete(results)
        }
    }
    for (slot in slots) {
        for (r in slot.await()) out.send(r)
    }
}

/**
 * Refuses to let [readers] coroutines receive from a single-consumer channel ([SpscChan]): its
 * ring would silently break.
 *
 * @throws IllegalArgumentException if [input] is an [SpscChan] and [readers] > 1.
 */
internal fun requireSingleReaderOk(input: ReceiveChan<*>, readers: Int, what: String) {
    require(readers <= 1 || input !is SpscChan<*>) {
        "$what would have up to $readers coroutines receive from $input, a single-consumer channel (spscChan): " +
            "use Chan(capacity) where several coroutines receive"
    }
}
