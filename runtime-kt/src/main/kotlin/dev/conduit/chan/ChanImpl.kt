package dev.conduit.chan

import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.selects.SelectBuilder
import java.util.concurrent.atomic.AtomicLongArray

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

private fun sendOnClosed() = ClosedChanException("send on closed channel")
private fun receiveOnClosed() = ClosedChanException("receive from closed channel")

/**
 * A channel on a kotlinx [Channel]: rendezvous for capacity 0, array-buffered otherwise.
 * Adds Go's errors for closed channels and `len` on top.
 */
internal class ChanImpl<T>(override val cap: Int) : BaseChan<T>() {
    private val ch = Channel<T>(cap)

    /**
     * Completed sends at [SENT] and completed receives at [RECEIVED], 128 bytes apart so that a
     * producer and a consumer do not write the same cache line. Null for an unbuffered
     * channel, whose `len` is always 0.
     */
    private val counts: AtomicLongArray? = if (cap == 0) null else AtomicLongArray(COUNTS_SIZE)

    override val len: Int
        get() {
            val c = counts ?: return 0
            val received = c.get(RECEIVED)
            val n = c.get(SENT) - received
            return n.coerceIn(0L, cap.toLong()).toInt()
        }

    private fun sent() {
        counts?.getAndIncrement(SENT)
    }

    private fun received() {
        counts?.getAndIncrement(RECEIVED)
    }

    override suspend fun send(value: T) {
        try {
            ch.send(value)
        } catch (e: ClosedSendChannelException) {
            throw sendOnClosed()
        }
        sent()
    }

    override fun trySend(value: T): Boolean {
        val r = ch.trySend(value)
        if (r.isSuccess) {
            sent()
            return true
        }
        if (r.isClosed) throw sendOnClosed()
        return false
    }

    override fun close() {
        if (!ch.close()) throw ClosedChanException("close of closed channel")
    }

    override suspend fun receive(): T {
        val v = try {
            ch.receive()
        } catch (e: ClosedReceiveChannelException) {
            throw receiveOnClosed()
        }
        received()
        return v
    }

    override suspend fun receiveOk(): Received<T> = toReceived(ch.receiveCatching())

    override fun tryReceive(): Received<T>? {
        val r = ch.tryReceive()
        return if (r.isFailure && !r.isClosed) null else toReceived(r)
    }

    private fun toReceived(r: ChannelResult<T>): Received<T> {
        if (r.isClosed) return Received.closed()
        received()
        return Received.of(r.getOrThrow())
    }

    override fun iterator(): ChanIterator<T> = Iter(ch.iterator())

    private inner class Iter(private val it: ChannelIterator<T>) : ChanIterator<T> {
        override suspend fun hasNext(): Boolean = it.hasNext()

        override fun next(): T = it.next().also { received() }
    }

    override fun <R> SelectBuilder<R>.registerReceive(block: suspend (Received<T>) -> R) {
        ch.onReceiveCatching { block(toReceived(it)) }
    }

    override fun <R> SelectBuilder<R>.registerSend(value: T, block: suspend () -> R) {
        ch.onSend(value) {
            sent()
            block()
        }
    }

    override fun toString(): String = "Chan(cap=$cap, len=$len)"

    private companion object {
        const val SENT = 0
        const val RECEIVED = 16
        const val COUNTS_SIZE = 17
    }
}

/** Go's nil channel: every operation waits forever; select never picks its cases. */
internal object NilChan : BaseChan<Any?>() {
    override val cap: Int get() = 0
    override val len: Int get() = 0

    override suspend fun send(value: Any?): Unit = awaitCancellation()
    override fun trySend(value: Any?): Boolean = false
    override fun close(): Unit = throw ClosedChanException("close of nil channel")
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
