package dev.conduit.java.internal

import dev.conduit.chan.Chan
import dev.conduit.chan.ClosedChannelException
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Received
import dev.conduit.chan.SendChan
import dev.conduit.chan.spi.ChannelGroup
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Selection
import dev.conduit.chan.spi.Poll
import dev.conduit.context.Context
import dev.conduit.java.chan.Channel
import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.java.chan.SendChannel
import java.time.Duration
import java.util.Optional
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeoutException
import java.util.stream.Stream
import java.util.stream.StreamSupport

/** A null element, refused by name at the call, never later on a receiver's thread. */
internal fun <T : Any> checkValue(value: T?): T = nonNull(value, "value")

/**
 * The one core channel behind a Kotlin channel object for receiving, or null for a group of
 * several (a sharded channel), which is received from through a one-case select.
 */
internal fun receiveSourceOf(chan: Any): ChannelSource? = when (chan) {
    is ChannelSource -> chan
    is ChannelGroup -> chan.receiveParts().singleOrNull()
    else -> throw IllegalArgumentException("$chan is not a Conduit channel kind (dev.conduit.chan.spi.ChannelSource or ChannelGroup)")
}

/** The core channel a send of [value] on [chan] goes to now. */
internal fun sendSourceOf(chan: Any, value: Any?): ChannelSource = when (chan) {
    is ChannelSource -> chan
    is ChannelGroup -> chan.sendPart(value)
    else -> throw IllegalArgumentException("$chan is not a Conduit channel kind (dev.conduit.chan.spi.ChannelSource or ChannelGroup)")
}

/** `Long.MAX_VALUE` nanoseconds for "no timeout"; a negative duration counts as zero. */
internal fun nanosOf(timeout: Duration): Long =
    if (timeout.isNegative) 0 else runCatching { timeout.toNanos() }.getOrDefault(Long.MAX_VALUE)

/** What a timed send that could not send in time throws. */
internal fun sendTimedOut(timeout: Duration): TimeoutException = TimeoutException("send timed out after $timeout")

/** What a timed receive that got nothing in time throws. */
private fun receiveTimedOut(timeout: Duration): TimeoutException = TimeoutException("receive timed out after $timeout")

/**
 * [map], made to throw [timedOut] of [timeout] for [Poll.NOT_READY] (what a timed future
 * operation ends with when its time passes); [map] itself when there is no timeout.
 */
private fun <R> timed(timeout: Duration?, timedOut: (Duration) -> TimeoutException, map: (Any?) -> R): (Any?) -> R =
    if (timeout == null) map else { r -> if (r === Poll.NOT_READY) throw timedOut(timeout) else map(r) }

/** [timeout] in nanoseconds, `Long.MAX_VALUE` for none (`null`). */
private fun nanosOrNone(timeout: Duration?): Long = if (timeout == null) Long.MAX_VALUE else nanosOf(timeout)

private fun sent(r: Any?): Void? = if (r === Poll.CLOSED) throw ClosedChannelException.sendOnClosed() else null

@Suppress("UNCHECKED_CAST")
private fun <T> valueOf(r: Any?): T = if (r === Poll.CLOSED) throw ClosedChannelException.receiveOnClosed() else r as T

@Suppress("UNCHECKED_CAST")
private fun <T> receivedOf(r: Any?): Received<T> = if (r === Poll.CLOSED) Received.closed() else Received.of(r as T)

/**
 * The sending half of the Java face of a Kotlin [SendChan], as default methods over [sendChan],
 * so that one object can be both halves ([ChannelAdapter]: a parked thread's channel costs one
 * facade object, not three). Blocking calls park the calling thread in the channel's own queue
 * ([ChannelSource.sendBlocking]); futures are the channel's own withdrawing futures
 * ([dev.conduit.chan.spi.OperationFuture]).
 */
internal interface SendFace<T : Any> : SendChannel<T> {
    /** The channel sent to. */
    val sendChan: SendChan<T>

    override fun send(value: T) {
        sent(sendSourceOf(sendChan, checkValue(value)).sendBlocking(value, Long.MAX_VALUE, null))
    }

    override fun send(value: T, timeout: Duration) {
        checkValue(value)
        val r = sendSourceOf(sendChan, value).sendBlocking(value, nanosOf(nonNull(timeout, "timeout")), null)
        if (r === Poll.NOT_READY) throw sendTimedOut(timeout)
        sent(r)
    }

    override fun send(ctx: Context, value: T) {
        nonNull(ctx, "ctx")
        checkValue(value)
        sent(sendSourceOf(sendChan, value).sendBlocking(value, Long.MAX_VALUE, ctx))
    }

    override fun trySend(value: T): Boolean = sendChan.trySend(checkValue(value))

    override fun sendAsync(value: T): CompletableFuture<Void?> = sendFuture(null, checkValue(value), null)

    override fun sendAsync(ctx: Context, value: T): CompletableFuture<Void?> {
        nonNull(ctx, "ctx")
        return sendFuture(ctx, checkValue(value), null)
    }

    override fun sendAsync(value: T, timeout: Duration): CompletableFuture<Void?> {
        checkValue(value)
        return sendFuture(null, value, nonNull(timeout, "timeout"))
    }

    override fun close(): Unit = sendChan.close()
}

/**
 * The one future send: until [ctx] is done (`null`: none) or [timeout] passes (`null`: none).
 * Its future withdraws the send however it is ended from outside (the core's `OperationFuture`).
 */
private fun <T : Any> SendFace<T>.sendFuture(ctx: Context?, value: T, timeout: Duration?): CompletableFuture<Void?> =
    sendSourceOf(sendChan, value).sendFuture(ctx, value, nanosOrNone(timeout), timed(timeout, ::sendTimedOut, ::sent))

/** The Java face of a Kotlin [SendChan] that is only sent to; see [SendFace]. */
internal class SendAdapter<T : Any>(override val sendChan: SendChan<T>) : SendFace<T> {
    init {
        sendSourceOf(sendChan, null)
    }

    override fun len(): Int = sendChan.len
    override fun cap(): Int = sendChan.cap
    override fun unwrap(): SendChan<T> = sendChan
    override fun toString(): String = sendChan.toString()
}

/** The Java face of a Kotlin [ReceiveChan]; see [SendFace]. */
internal open class ReceiveAdapter<T : Any>(private val chan: ReceiveChan<T>) : ReceiveChannel<T> {
    private val source = receiveSourceOf(chan)

    /** A receive blocking the calling thread: a value, `Poll.CLOSED`, or `Poll.NOT_READY` on timeout. */
    private fun receiveBlocking(timeoutNanos: Long, ctx: Context?): Any? {
        if (source != null) return source.receiveBlocking(timeoutNanos, ctx)
        val s = Selection().also { it.receive(chan) }
        return if (s.selectBlocking(false, timeoutNanos, ctx) == Selection.TIMED_OUT) Poll.NOT_READY else s.result
    }

    /**
     * The one future receive: until [ctx] is done (`null`: none) or [timeout] passes (`null`:
     * none). Its future withdraws the receive however it is ended from outside (the core's
     * `OperationFuture`).
     */
    private fun <R> receiveFuture(ctx: Context?, timeout: Duration?, map: (Any?) -> R): CompletableFuture<R> {
        val then = timed(timeout, ::receiveTimedOut, map)
        if (source != null) return source.receiveFuture(ctx, nanosOrNone(timeout), then)
        val s = Selection().also { it.receive(chan) }
        return s.selectFuture(false, nanosOrNone(timeout), ctx) { chosen -> then(if (chosen == Selection.TIMED_OUT) Poll.NOT_READY else s.result) }
    }

    override fun receive(): T = valueOf(receiveBlocking(Long.MAX_VALUE, null))

    override fun receive(timeout: Duration): T {
        val r = receiveBlocking(nanosOf(nonNull(timeout, "timeout")), null)
        if (r === Poll.NOT_READY) throw receiveTimedOut(timeout)
        return valueOf(r)
    }

    override fun receive(ctx: Context): T = valueOf(receiveBlocking(Long.MAX_VALUE, nonNull(ctx, "ctx")))

    override fun receiveOk(): Received<T> = receivedOf(receiveBlocking(Long.MAX_VALUE, null))

    override fun tryReceive(): Optional<T> {
        val r = chan.tryReceive()
        return if (r == null || !r.ok) Optional.empty() else Optional.of(r.value)
    }

    override fun tryReceiveOk(): Received<T>? = chan.tryReceive()

    override fun receiveAsync(): CompletableFuture<T> = receiveFuture(null, null, ::valueOf)

    override fun receiveAsync(timeout: Duration): CompletableFuture<T> = receiveFuture(null, nonNull(timeout, "timeout"), ::valueOf)

    override fun receiveAsync(ctx: Context): CompletableFuture<T> = receiveFuture(nonNull(ctx, "ctx"), null, ::valueOf)

    override fun receiveOkAsync(): CompletableFuture<Received<T>> = receiveFuture(null, null, ::receivedOf)

    override fun iterator(): MutableIterator<T> = BlockingIterator(this)

    override fun stream(): Stream<T> = StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED or Spliterator.NONNULL),
        false,
    )

    override fun len(): Int = chan.len
    override fun cap(): Int = chan.cap
    override fun unwrap(): ReceiveChan<T> = chan
    override fun toString(): String = chan.toString()
}

/**
 * Java passes nulls the Kotlin types cannot see: refuse them by name, at the boundary, with the
 * message `Objects.requireNonNull(value, name)` gives, as the facade's Java code does.
 */
internal fun <T> nonNull(value: T?, name: String): T = value ?: throw NullPointerException(name)

/** Blocks in [hasNext]; an interrupt there ends it with a CancellationException. */
private class BlockingIterator<T : Any>(private val source: ReceiveChannel<T>) : MutableIterator<T> {
    private var pending: Received<T>? = null

    override fun hasNext(): Boolean {
        val p = pending ?: try {
            source.receiveOk().also { pending = it }
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            throw java.util.concurrent.CancellationException("interrupted while waiting for the next value")
                .apply { initCause(e) }
        }
        return p.ok
    }

    override fun next(): T {
        if (!hasNext()) throw NoSuchElementException("the channel is closed and drained")
        val p = pending!!
        pending = null
        return p.value
    }

    override fun remove(): Unit = throw UnsupportedOperationException("a channel iterator cannot remove")
}

/** The Java face of a Kotlin [Chan]: both halves over the same channel, in one object. */
internal class ChannelAdapter<T : Any>(private val chan: Chan<T>) : ReceiveAdapter<T>(chan), Channel<T>, SendFace<T> {
    override val sendChan: SendChan<T> get() = chan

    override fun len(): Int = chan.len
    override fun cap(): Int = chan.cap
    override fun unwrap(): Chan<T> = chan
    override fun toString(): String = chan.toString()
}
