package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Chan
import dev.conduit.chan.select
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch

/**
 * Go's tee: sends every item of [input] to both returned channels (each with buffer
 * [capacity]), to whichever is ready first, and takes the next item only once both have it; so
 * the slower reader sets the pace for both. Both close when [input] closes or this scope is
 * cancelled. Never blocks.
 *
 * @return the two outputs, as `val (a, b) = tee(input)`.
 * @throws IllegalArgumentException if [capacity] is negative.
 */
public fun <T> CoroutineScope.tee(input: ReceiveChan<T>, capacity: Int = 0): Pair<ReceiveChan<T>, ReceiveChan<T>> {
    val first = Chan<T>(capacity)
    val second = Chan<T>(capacity)
    launch {
        try {
            for (item in input) {
                var toFirst = true
                var toSecond = true
                while (toFirst || toSecond) {
                    select {
                        first.onSend(item, enabled = toFirst) { toFirst = false }
                        second.onSend(item, enabled = toSecond) { toSecond = false }
                    }
                }
            }
        } finally {
            first.close()
            second.close()
        }
    }
    return first to second
}
