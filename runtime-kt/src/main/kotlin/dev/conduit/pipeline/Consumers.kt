package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

/**
 * One-to-many consumption: [consumers] coroutines share [input], each item going to exactly
 * one of them (whichever is free: Go's workers ranging over one channel). The returned job
 * completes when [input] has closed and every item is handled; an exception from [handle]
 * fails it and this scope. Never blocks.
 *
 * @throws IllegalArgumentException if [consumers] < 1, or [input] is a single-consumer
 *   [dev.conduit.chan.SpscChan] and [consumers] > 1.
 */
public fun <T> CoroutineScope.consume(input: ReceiveChan<T>, consumers: Int, handle: suspend (T) -> Unit): Job {
    require(consumers >= 1) { "consumers must be >= 1, but was $consumers" }
    requireSingleReaderOk(input, consumers, "consume with $consumers consumers")
    return launch { runWorkers(input, consumers, null, handle) }
}
