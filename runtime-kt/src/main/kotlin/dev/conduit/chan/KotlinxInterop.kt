package dev.conduit.chan

import dev.conduit.GoRuntime
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.launch
import kotlinx.coroutines.channels.ReceiveChannel as KotlinxReceiveChannel
import kotlinx.coroutines.channels.SendChannel as KotlinxSendChannel

/*
 * Interop with kotlinx.coroutines channels, for code written against them (and everything built
 * on them, such as `produce` and Flow's `produceIn`/`consumeAsFlow`).
 *
 * A Conduit channel cannot itself be a kotlinx `Channel`: kotlinx's `ChannelResult` and select
 * clauses can only be made with its internal API. So each adapter is a real kotlinx channel
 * (rendezvous) joined to the Conduit channel by a pump coroutine in the given scope, and the
 * kotlinx side throws kotlinx's own exceptions (`ClosedSendChannelException`,
 * `ClosedReceiveChannelException`). Closing travels both ways: when the source closes, the pump
 * closes the target. The pump holds at most one value between the two sides (taken from one,
 * not yet taken by the other); if the target can no longer take it (cancelled or closed), that
 * value goes to `onUndelivered` and is never silently dropped. Cancelling the scope stops the
 * pump the same way.
 */

/** The default for `onUndelivered`: reported to [GoRuntime]'s uncaught-exception handler. */
private fun <T> reportUndelivered(value: T) {
    GoRuntime.report(IllegalStateException("a value taken by a channel adapter was not delivered: $value"))
}

/**
 * The one pump behind every adapter: a coroutine in this scope hands each value [values]
 * produces to [deliver]. A value [deliver] fails on goes to [onUndelivered]; if the failure
 * means the target takes no more ([targetGone]) the pump stops, otherwise it rethrows. [done]
 * runs last, however the pump ended, told whether every value was delivered.
 */
private fun <T> CoroutineScope.pump(
    values: suspend (suspend (T) -> Unit) -> Unit,
    deliver: suspend (T) -> Unit,
    onUndelivered: ((T) -> Unit)?,
    targetGone: (Throwable) -> Boolean,
    done: (Boolean) -> Unit,
) {
    launch {
        var complete = false
        try {
            values { v ->
                try {
                    deliver(v)
                } catch (e: Throwable) {
                    onUndelivered?.invoke(v)
                    if (targetGone(e)) throw TargetGone
                    throw e
                }
            }
            complete = true
        } catch (e: TargetGone) {
            // the target was closed or cancelled: stop
        } finally {
            done(complete)
        }
    }
}

/** Stops a pump whose target takes no more values (thrown and caught inside the pump only). */
private object TargetGone : RuntimeException("the adapter's target takes no more values", null, false, false)

/**
 * This channel's values as a kotlinx [KotlinxReceiveChannel], fed by a pump coroutine in
 * [scope]: closing this channel closes the kotlinx one (after the last value), cancelling the
 * kotlinx one stops the pump. Never blocks.
 *
 * @param onUndelivered gets the one value the pump had taken when the kotlinx channel was
 *   cancelled; by default reported to [GoRuntime]'s handler.
 */
public fun <T> ReceiveChan<T>.asKotlinxChannel(
    scope: CoroutineScope,
    onUndelivered: (T) -> Unit = ::reportUndelivered,
): KotlinxReceiveChannel<T> {
    val source = this
    // kotlinx itself hands a value its send could not deliver to onUndeliveredElement.
    val target = Channel<T>(Channel.RENDEZVOUS, onUndeliveredElement = onUndelivered)
    scope.pump({ each -> for (v in source) each(v) }, target::send, null, { it is ClosedSendChannelException }) { target.close() }
    return target
}

/**
 * A kotlinx [KotlinxSendChannel] whose values a pump coroutine in [scope] sends on to this
 * channel: closing the kotlinx channel closes this one. Never blocks.
 *
 * @param onUndelivered gets a value the pump had taken when this channel turned out closed; by
 *   default reported to [GoRuntime]'s handler. The kotlinx channel is then cancelled, so its
 *   senders fail from then on.
 */
public fun <T> SendChan<T>.asKotlinxSendChannel(
    scope: CoroutineScope,
    onUndelivered: (T) -> Unit = ::reportUndelivered,
): KotlinxSendChannel<T> {
    val target = this
    val source = Channel<T>(Channel.RENDEZVOUS, onUndeliveredElement = onUndelivered)
    scope.pump({ each -> for (v in source) each(v) }, target::send, onUndelivered, { it is ClosedChannelException }) { complete ->
        if (complete) target.close()
        source.cancel()
    }
    return source
}

/**
 * This kotlinx channel's values as a Conduit [ReceiveChan] (rendezvous), fed by a pump
 * coroutine in [scope]: it works in Conduit's `select`, pipelines and the Java facade. Closing
 * the kotlinx channel closes the Conduit one after the last value. Never blocks.
 *
 * @param onUndelivered gets a value the pump had taken when the scope was cancelled; by default
 *   reported to [GoRuntime]'s handler.
 */
public fun <T> KotlinxReceiveChannel<T>.asChan(
    scope: CoroutineScope,
    onUndelivered: (T) -> Unit = ::reportUndelivered,
): ReceiveChan<T> {
    val source = this
    val target = Chan<T>()
    scope.pump({ each -> for (v in source) each(v) }, target::send, onUndelivered, { false }) { target.closeIfOpen() }
    return target
}

/**
 * A Conduit [SendChan] (rendezvous) whose values a pump coroutine in [scope] sends on to this
 * kotlinx channel: it works in Conduit's `select`, pipelines and the Java facade. Closing the
 * Conduit channel closes the kotlinx one. Never blocks.
 *
 * @param onUndelivered gets a value the pump had taken when the kotlinx channel turned out
 *   closed; by default reported to [GoRuntime]'s handler. The Conduit channel is then closed.
 */
public fun <T> KotlinxSendChannel<T>.asSendChan(
    scope: CoroutineScope,
    onUndelivered: (T) -> Unit = ::reportUndelivered,
): SendChan<T> {
    val target = this
    val source = Chan<T>()
    scope.pump({ each -> for (v in source) each(v) }, target::send, onUndelivered, { it is ClosedSendChannelException }) { complete ->
        if (complete) target.close()
        source.closeIfOpen()
    }
    return source
}
