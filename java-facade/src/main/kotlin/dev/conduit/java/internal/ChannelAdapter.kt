package dev.conduit.java.internal

import dev.conduit.chan.Chan
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Received
import dev.conduit.chan.SendChan
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
import kotlin.time.toKotlinDuration

private fun <T : Any> checkValue(value: T?): T = value ?: throw NullPointerException("value must not be null")

/** The Java face of a Kotlin [SendChan]; every call goes straight to [chan]. */
internal class SendAdapter<T : Any>(private val chan: SendChan<T>) : SendChannel<T> {
    override fun send(value: T) {
        if (chan.trySend(checkValue(value))) return
        Bridge.await { chan.onSend(value) {} }
    }

    override fun send(value: T, timeout: Duration) {
        if (chan.trySend(checkValue(value))) return
        val sent = Bridge.await {
            chan.onSend(value) { true }
            onTimeout(timeout.toKotlinDuration()) { false }
        }
        if (!sent) throw TimeoutException("send timed out after $timeout")
    }

    override fun send(value: T, ctx: Context) {
        checkValue(value)
        ctx.err?.let { throw it }
        if (chan.trySend(value)) return
        val sent = Bridge.await {
            chan.onSend(value) { true }
            ctx.done.onReceiveOk { false }
        }
        if (!sent) throw ctx.err!!
    }

    override fun trySend(value: T): Boolean = chan.trySend(checkValue(value))

    override fun sendAsync(value: T): CompletableFuture<Void?> {
        checkValue(value)
        return Bridge.async { chan.onSend(value) { null } }
    }

    override fun close(): Unit = chan.close()
    override fun len(): Int = chan.len
    override fun cap(): Int = chan.cap
    override fun asChan(): SendChan<T> = chan
    override fun toString(): String = chan.toString()
}

/** The Java face of a Kotlin [ReceiveChan]; every call goes straight to [chan]. */
internal class ReceiveAdapter<T : Any>(private val chan: ReceiveChan<T>) : ReceiveChannel<T> {
    override fun receive(): T = receiveOk().value

    override fun receive(timeout: Duration): T {
        chan.tryReceive()?.let { return it.value }
        val r = Bridge.await {
            chan.onReceiveOk { it }
            onTimeout(timeout.toKotlinDuration()) { null }
        }
        return (r ?: throw TimeoutException("receive timed out after $timeout")).value
    }

    override fun receive(ctx: Context): T {
        ctx.err?.let { throw it }
        chan.tryReceive()?.let { return it.value }
        val r = Bridge.await {
            chan.onReceiveOk { it }
            ctx.done.onReceiveOk { null }
        }
        return (r ?: throw ctx.err!!).value
    }

    override fun receiveOk(): Received<T> =
        chan.tryReceive() ?: Bridge.await { chan.onReceiveOk { it } }

    override fun tryReceive(): Optional<T> {
        val r = chan.tryReceive()
        return if (r != null && r.ok) Optional.ofNullable(r.value) else Optional.empty()
    }

    override fun receiveAsync(): CompletableFuture<T> = Bridge.async { chan.onReceive { it } }

    override fun receiveOkAsync(): CompletableFuture<Received<T>> = Bridge.async { chan.onReceiveOk { it } }

    override fun iterator(): MutableIterator<T> = BlockingIterator(this)

    override fun stream(): Stream<T> = StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED or Spliterator.NONNULL),
        false,
    )

    override fun len(): Int = chan.len
    override fun cap(): Int = chan.cap
    override fun asChan(): ReceiveChan<T> = chan
    override fun toString(): String = chan.toString()
}

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

/** The Java face of a Kotlin [Chan]: both adapters over the same channel. */
internal class ChannelAdapter<T : Any>(private val chan: Chan<T>) :
    Channel<T>,
    SendChannel<T> by SendAdapter(chan),
    ReceiveChannel<T> by ReceiveAdapter(chan) {
    override fun len(): Int = chan.len
    override fun cap(): Int = chan.cap
    override fun asChan(): Chan<T> = chan
    override fun toString(): String = chan.toString()
}
