package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Received
import dev.conduit.chan.Chan
import dev.conduit.chan.select
import dev.conduit.context.Context
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch

/**
 * Go's or-done channel: forwards the items of [input] until [input] closes or [done] is
 * closed (or yields a value), whichever comes first, then closes the returned channel. Lets a
 * consumer range over a channel it does not own and still stop on cancellation:
 * `for (v in orDone(ctx.done, input))`. Also stops when this scope is cancelled. Never blocks.
 */
public fun <T> CoroutineScope.orDone(done: ReceiveChan<*>, input: ReceiveChan<T>): ReceiveChan<T> {
    val out = Chan<T>()
    launch {
        try {
            while (true) {
                val next = select<Received<T>?> {
                    done.onReceiveOk { null }
                    input.onReceiveOk { it }
                }
                if (next == null || !next.ok) break
                val sent = select {
                    out.onSend(next.value) { true }
                    done.onReceiveOk { false }
                }
                if (!sent) break
            }
        } finally {
            out.close()
        }
    }
    return out
}

/** [orDone] on a context: forwards until [input] closes or [ctx] is done. Never blocks. */
public fun <T> CoroutineScope.orDone(ctx: Context, input: ReceiveChan<T>): ReceiveChan<T> = orDone(ctx.done, input)

/**
 * Forwards the first [n] items of [input], then closes the returned channel (also when [input]
 * closes sooner or this scope is cancelled). It stops reading [input] but does not stop the
 * stage feeding it: run the pipeline in [pipeline] (or cancel its scope) so that stage is
 * stopped too. Never blocks.
 *
 * @throws IllegalArgumentException if [n] is negative.
 */
public fun <T> CoroutineScope.take(input: ReceiveChan<T>, n: Int): ReceiveChan<T> {
    require(n >= 0) { "n must be >= 0, but was $n" }
    val out = Chan<T>()
    launch {
        try {
            repeat(n) {
                val next = input.receiveOk()
                if (!next.ok) return@launch
                out.send(next.value)
            }
        } finally {
            out.close()
        }
    }
    return out
}
