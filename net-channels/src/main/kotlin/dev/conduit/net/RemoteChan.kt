package dev.conduit.net

import dev.conduit.chan.Chan
import dev.conduit.chan.ChanIterator
import dev.conduit.chan.ClosedChannelException
import dev.conduit.chan.Received
import dev.conduit.chan.spi.ChannelGroup
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * A channel hosted by a [ChannelNode], seen from one [RemoteClient]: a [Chan], so `send`,
 * `receive`, `close`, iteration, `select` (beside local channels, send cases included, with the
 * same fairness), every pipeline and the Java facade (`Channel.wrap(remote)`) work on it as on a
 * local one. Made by [RemoteClient.chan].
 *
 * ## Semantics across the wire
 * - [send] returns once the node accepted the value: buffered, into the node's buffer (for a
 *   durable channel, on disk); unbuffered, taken by a receiver. While the buffer is full, it
 *   waits: the node grants a credit per free slot, so backpressure reaches the producer and
 *   memory stays bounded on both sides.
 * - Exactly once into the channel, in per-sender order: each send carries this channel
 *   object's producer id and the next sequence number; a send the node had not accepted when
 *   the connection broke is resent after reconnecting and the node drops duplicates.
 * - [receive] takes a value only when a receiver wants one: it pulls one and the node delivers
 *   one. The client acknowledges each value once handed to the application; a value delivered
 *   and not yet acknowledged when its client leaves goes back to the head of the channel.
 * - [close] reaches every client: waiting and later sends fail with [ClosedChannelException],
 *   receivers drain what is left and then see "closed".
 *
 * ## What differs from a local channel
 * - [trySend], [tryReceive] and a select's `default` see what this client holds: a credit
 *   (with [RemoteClientOptions.sendWindow] 0, only one that arrived for a send that waited) or
 *   a prefetched value ([RemoteClientOptions.prefetch]). "Not ready" may so mean "not here
 *   yet" while the node has room or values.
 * - A select's send case completes when the value is on its way with a credit (the node will
 *   accept it: the slot is reserved), not when the node confirmed; [send] waits for that.
 * - [len] and [close] ask the node and block for that round trip; [cap] is known locally.
 *
 * Thread-safe.
 */
public class RemoteChan<T> internal constructor(
    private val client: RemoteClient,
    private val core: RemoteChanCore,
) : Chan<T>, ChannelGroup {
    private val parts = arrayOf<ChannelSource>(core)

    /** The channel's name on the node. */
    public val name: String get() = core.name

    /** Whether the node keeps this channel in its log. */
    public val durable: Boolean get() = core.durable

    /**
     * Sends [value], suspending until the node accepted it (see the class documentation).
     * Cancelled before a credit was spent: not sent, the `CancellationException` is thrown;
     * cancelled after: sent (it will be accepted), and the cancellation takes effect at the
     * next suspension point.
     *
     * @throws ClosedChannelException if the channel is or becomes closed first.
     * @throws IllegalArgumentException if the encoded value is over the node's frame limit.
     */
    override suspend fun send(value: T) {
        if (core.sendOrClosed(value) === Poll.CLOSED) throw ClosedChannelException.sendOnClosed()
    }

    /**
     * Sends [value] if this client holds a credit now (see the class documentation). Never
     * blocks; does not wait for the node's acceptance.
     *
     * @throws ClosedChannelException if the channel is closed.
     * @throws IllegalArgumentException if the encoded value is over the node's frame limit.
     */
    override fun trySend(value: T): Boolean {
        val r = core.trySendNow(client.encoded(core, value))
        if (r === Poll.CLOSED) throw ClosedChannelException.sendOnClosed()
        return r === Poll.SENT
    }

    /**
     * Receives the next value, suspending until the node delivers one. Cancellation as for a
     * local channel: nothing taken, or the value returned.
     *
     * @throws ClosedChannelException if the channel is closed and drained.
     */
    @Suppress("UNCHECKED_CAST")
    override suspend fun receive(): T {
        val r = core.receiveOrClosed()
        if (r === Poll.CLOSED) throw ClosedChannelException.receiveOnClosed()
        return r as T
    }

    /** Receives the next value or "closed"; see [receive]. */
    @Suppress("UNCHECKED_CAST")
    override suspend fun receiveOk(): Received<T> {
        val r = core.receiveOrClosed()
        return if (r === Poll.CLOSED) Received.closed() else Received.of(r as T)
    }

    /** A value this client holds now (prefetched), "closed", or `null`. Never blocks. */
    @Suppress("UNCHECKED_CAST")
    override fun tryReceive(): Received<T>? {
        val r = core.tryReceiveNow()
        return when {
            r === Poll.NOT_READY -> null
            r === Poll.CLOSED -> Received.closed()
            else -> Received.of(r as T)
        }
    }

    override fun iterator(): ChanIterator<T> = object : ChanIterator<T> {
        private var next: Received<T>? = null

        override suspend fun hasNext(): Boolean {
            val r = receiveOk()
            next = r
            return r.ok
        }

        override fun next(): T {
            val r = next
            check(r != null && r.ok) { "next() without a hasNext() that returned true" }
            next = null
            return r.value
        }
    }

    /**
     * Closes the channel on the node, for every client; blocks for the node's answer (at most
     * [RemoteClientOptions.requestTimeout]).
     *
     * @throws IllegalStateException ("close of closed channel") if it was closed already, or if
     *   called on a Vert.x event-loop thread.
     * @throws RemoteChannelException if the node cannot be reached now (UNAVAILABLE).
     */
    override fun close() {
        checkNotOnEventLoop("RemoteChan.close")
        try {
            core.requestClose().get(client.options.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        } catch (e: ExecutionException) {
            val c = e.cause!!
            if (c is RemoteChannelException && c.code == "FAILED_PRECONDITION") throw IllegalStateException("close of closed channel '${core.name}'")
            throw c
        } catch (e: TimeoutException) {
            throw RemoteChannelException("UNAVAILABLE", "the node did not answer the close of '${core.name}' within ${client.options.requestTimeout}")
        }
    }

    /** The channel's capacity on the node. Never blocks. */
    override val cap: Int get() = core.capacity

    /**
     * How many values the node's buffer holds now (not counting values delivered and not yet
     * acknowledged). Blocks for one round trip to the node.
     *
     * @throws RemoteChannelException if the node cannot be reached now or does not answer in time.
     * @throws IllegalStateException if called on a Vert.x event-loop thread.
     */
    override val len: Int
        get() {
            checkNotOnEventLoop("RemoteChan.len")
            try {
                return client.queryLen(core).get(client.options.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            } catch (e: ExecutionException) {
                throw e.cause!!
            } catch (e: TimeoutException) {
                throw RemoteChannelException("UNAVAILABLE", "the node did not answer len of '${core.name}' within ${client.options.requestTimeout}")
            }
        }

    /** The channel a select case and the Java facade use. */
    override fun receiveParts(): Array<out ChannelSource> = parts

    /**
     * The channel a send of [element] goes to; encodes it first, so that a value its codec
     * cannot encode (or one over the frame limit) fails where the send or select case is made.
     */
    override fun sendPart(element: Any?): ChannelSource {
        core.validate(element)
        return core
    }

    /** What the channel holds now on this client (credits, pending sends, prefetched values), read without the lock. Never blocks. */
    override fun toString(): String = core.toString()
}
