package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Chan
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch

/**
 * Go's bridge: flattens a channel of channels into one, reading each inner channel to its end
 * before the next, so order is kept. Closes when [channels] and the last inner channel have
 * closed, or this scope is cancelled. Never blocks.
 */
public fun <T> CoroutineScope.bridge(channels: ReceiveChan<ReceiveChan<T>>, capacity: Int = 0): ReceiveChan<T> {
    val out = Chan<T>(capacity)
    launch {
        try {
            for (inner in channels) {
                for (item in inner) out.send(item)
            }
        } finally {
            out.close()
        }
    }
    return out
}

/**
 * Fan-in (many-to-one): forwards the items of every one of [inputs] into one channel as they
 * arrive, and closes it once all have closed (or this scope is cancelled). Items of one input
 * keep their order; items of different inputs interleave. Never blocks.
 */
public fun <T> CoroutineScope.merge(inputs: List<ReceiveChan<T>>, capacity: Int = 0): ReceiveChan<T> {
    val out = Chan<T>(capacity)
    launch {
        try {
            coroutineScope {
                for (input in inputs) launch { for (item in input) out.send(item) }
            }
        } finally {
            out.close()
        }
    }
    return out
}

/** [merge] over the given channels. Never blocks. */
public fun <T> CoroutineScope.merge(vararg inputs: ReceiveChan<T>): ReceiveChan<T> = merge(inputs.asList())
