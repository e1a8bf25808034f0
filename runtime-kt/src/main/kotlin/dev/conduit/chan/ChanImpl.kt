package dev.conduit.chan

import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.selects.SelectBuilder

/**
 * The one base of every channel, so that [select] can register clauses on any [SendChan] or
 * [ReceiveChan] it is given.
 */
internal sealed class BaseChan<T> : Chan<T> {
    /** Registers a receive clause that hands [block] a value or "closed". */
    internal abstract fun <R> SelectBuilder<R>.registerReceive(block: suspend (Received<T>) -> R)

    /** Registers a clause that sends [value] and then runs [block]. */
    internal abstract fun <R> SelectBuilder<R>.registerSend(value: T, block: suspend () -> R)
}

/**
 * Closes a channel made by [chan] unless it is closed already; either way it is closed when
 * this returns. For the runtime's own channels that several parties may close.
 */
internal fun SendChan<*>.closeIfOpen() {
    (this as ChanImpl<*>).closeIfOpen()
}

internal fun sendOnClosed(): ClosedSendChannelException = ClosedSendChannelException("send on closed channel")

internal fun receiveOnClosed(): ClosedReceiveChannelException =
    ClosedReceiveChannelException("receive from closed channel")

/**
 * A channel on a kotlinx [Channel]: rendezvous for capacity 0, array-buffered otherwise.
 *
 * Every suspending operation first tries its non-suspending form and otherwise *tail-calls*
 * the kotlinx operation, passing the caller's continuation straight through. That matters:
 * kotlinx reuses one cancellable continuation per coroutine only when the channel is called
 * from the coroutine's own frame; a wrapper frame of ours would cost three allocations per
 * suspension (measured: 387 vs 53 bytes per ping-pong round trip). So nothing is done after a
 * suspension: no exception mapping (kotlinx's own closed-channel exceptions are the API) and no
 * counting (`len` reads kotlinx's own counters, see [KotlinxCounters]).
 */
internal class ChanImpl<T>(override val cap: Int) : BaseChan<T>() {
    private val ch = Channel<T>(cap)

    override val len: Int get() = KotlinxCounters.buffered(ch, cap)

    override suspend fun send(value: T) {
        if (trySend(value)) return
        return ch.send(value)
    }

    override fun trySend(value: T): Boolean {
        val r = ch.trySend(value)
        if (r.isClosed) throw sendOnClosed()
        return r.isSuccess
    }

    override fun close() {
        check(ch.close()) { "close of closed channel" }
    }

    /**
     * Closes the channel unless it is closed already; either way it is closed when this returns.
     * For the runtime's own channels that several parties may close (a context's `done`).
     */
    internal fun closeIfOpen() {
        ch.close()
    }

    override suspend fun receive(): T {
        val r = ch.tryReceive()
        if (r.isSuccess) {
            @Suppress("UNCHECKED_CAST")
            return r.getOrNull() as T
        }
        if (r.isClosed) throw receiveOnClosed()
        return ch.receive()
    }

    override suspend fun receiveOk(): Received<T> {
        tryReceive()?.let { return it }
        return toReceived(ch.receiveCatching())
    }

    override fun tryReceive(): Received<T>? {
        val r = ch.tryReceive()
        return if (r.isFailure && !r.isClosed) null else toReceived(r)
    }

    private fun toReceived(r: ChannelResult<T>): Received<T> =
        if (r.isClosed) Received.closed() else Received.of(r.getOrThrow())

    override fun iterator(): ChanIterator<T> = Iter(ch.iterator())

    private class Iter<T>(private val it: ChannelIterator<T>) : ChanIterator<T> {
        override suspend fun hasNext(): Boolean = it.hasNext()

        override fun next(): T = it.next()
    }

    override fun <R> SelectBuilder<R>.registerReceive(block: suspend (Received<T>) -> R) {
        ch.onReceiveCatching { block(toReceived(it)) }
    }

    override fun <R> SelectBuilder<R>.registerSend(value: T, block: suspend () -> R) {
        ch.onSend(value) { block() }
    }

    override fun toString(): String = "Chan(cap=$cap, len=$len)"
}

/** Go's nil channel: every operation waits forever; select never picks its cases. */
internal object NilChan : BaseChan<Any?>() {
    override val cap: Int get() = 0
    override val len: Int get() = 0

    override suspend fun send(value: Any?): Unit = awaitCancellation()
    override fun trySend(value: Any?): Boolean = false
    override fun close(): Unit = throw IllegalStateException("close of nil channel")
    override suspend fun receive(): Any? = awaitCancellation()
    override suspend fun receiveOk(): Received<Any?> = awaitCancellation()
    override fun tryReceive(): Received<Any?>? = null

    override fun iterator(): ChanIterator<Any?> = object : ChanIterator<Any?> {
        override suspend fun hasNext(): Boolean = awaitCancellation()
        override fun next(): Any? = throw IllegalStateException("a nil channel has no values")
    }

    override fun <R> SelectBuilder<R>.registerReceive(block: suspend (Received<Any?>) -> R) = Unit
    override fun <R> SelectBuilder<R>.registerSend(value: Any?, block: suspend () -> R) = Unit

    override fun toString(): String = "Chan(nil)"
}
