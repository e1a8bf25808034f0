package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.SendChan
import dev.conduit.chan.Chan
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch

/**
 * Go's generator: starts a coroutine in this scope that runs [produce] with the send side of a
 * new channel of [capacity], and closes the channel when [produce] ends, however it ends. The
 * coroutine stops when this scope is cancelled. Never blocks.
 *
 * ```
 * val naturals = generate { var i = 0; while (true) send(i++) }
 * ```
 *
 * @return the receive side of the channel.
 * @throws IllegalArgumentException if [capacity] is negative.
 */
public fun <T> CoroutineScope.generate(capacity: Int = 0, produce: suspend SendChan<T>.() -> Unit): ReceiveChan<T> {
    val out = Chan<T>(capacity)
    launch {
        try {
            out.produce()
        } finally {
            out.close()
        }
    }
    return out
}

/** A generator that sends [items] in order and closes. Never blocks. See [generate]. */
public fun <T> CoroutineScope.generateFrom(items: Iterable<T>, capacity: Int = 0): ReceiveChan<T> =
    generate(capacity) { for (item in items) send(item) }
