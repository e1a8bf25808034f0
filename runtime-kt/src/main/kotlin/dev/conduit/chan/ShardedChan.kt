package dev.conduit.chan

import dev.conduit.chan.ClosedChannelException.Companion.sendOnClosed
import dev.conduit.chan.spi.ChannelGroup
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.Selection
import dev.conduit.chan.spi.lockAllThen
import java.util.concurrent.CompletableFuture

/**
 * A channel of [lanes] independent lanes (each a channel of [capacityPerLane]) so that many
 * producers do not all contend on one channel's lock: a producer sends into the lane of its key
 * ([send] with a key) or of its thread ([send] without one), and receivers take from any lane,
 * starting at a different lane each time and waiting on all of them at once when all are empty.
 *
 * It is a [Chan]: a receive case in [select] waits on every lane and counts as one case for
 * fairness; a send case goes to the calling thread's lane; Java blocking calls, futures and
 * pipelines work on it as on any channel.
 *
 * ## Order
 * Values sent with the same key go through one lane and keep their order. Without a key, a
 * producer's values keep their order only while it stays on one thread (a coroutine may move
 * between threads). Across lanes there is no order.
 *
 * ## Closing and snapshots
 * [close] closes every lane at once (all their locks held), so receivers see "closed" only when
 * every lane is closed and drained. [tryReceive] and [len] look at all lanes in one locked
 * snapshot, so they are linearizable like a single channel's.
 *
 * ## Memory placement
 * The JVM gives no way to pin memory to a NUMA node or a thread to a core, so nothing here
 * does. What striping does is keep each lane's lock written mostly by the threads that use that
 * lane; on a NUMA machine run with `-XX:+UseNUMA` so each lane's buffer is allocated near the
 * threads that fill it.
 *
 * Thread-safe. [send] and [receive] suspend; the `try` forms, [len] and [close] never block.
 *
 * @throws IllegalArgumentException if [lanes] is not in 1..65536 (each lane is a channel, made
 *   here, so a huge count would run out of memory instead) or [capacityPerLane] < 0.
 */
public class ShardedChan<T>(public val lanes: Int, public val capacityPerLane: Int) : Chan<T>, ChannelGroup {
    init {
        require(lanes in 1..MAX_LANES) { "lanes must be in 1..$MAX_LANES, but was $lanes" }
        require(capacityPerLane >= 0) { "capacityPerLane must be >= 0, but was $capacityPerLane" }
    }

    private val lane: Array<ChanImpl<T>> = Array(lanes) { ChanImpl(capacityPerLane) }

    /** The lanes, each a channel of its own (each closes when this channel closes). */
    public val laneChannels: List<ReceiveChan<T>> get() = lane.toList()

    private fun laneOf(key: Any?): ChanImpl<T> =
        lane[Math.floorMod(key?.hashCode() ?: Thread.currentThread().id.toInt(), lanes)]

    /**
     * Sends [value] into the lane of [key] (or of the calling thread if [key] is null),
     * suspending while that lane is full. Cancellation as for [SendChan.send].
     *
     * @throws ClosedChannelException if the channel is or becomes closed first.
     */
    public suspend fun send(value: T, key: Any?) {
        laneOf(key).send(value)
    }

    override suspend fun send(value: T): Unit = laneOf(null).send(value)

    /**
     * Sends [value] into the lane of [key] (null: the calling thread's), blocking the calling
     * thread while that lane is full or until [ctx] is done (`null`: no context).
     *
     * @throws ClosedChannelException if the channel is or becomes closed first.
     * @throws dev.conduit.context.ContextException [dev.conduit.context.Context.err] if [ctx] is
     *   done first; the value was not sent.
     * @throws InterruptedException if interrupted first; the value was not sent.
     */
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun sendBlocking(value: T, key: Any? = null, ctx: dev.conduit.context.Context? = null) {
        sendBlocking(value, key, Long.MAX_VALUE, ctx)
    }

    /**
     * Sends [value] into the lane of [key] (null: the calling thread's), blocking the calling
     * thread at most [timeoutNanos] nanoseconds (`Long.MAX_VALUE`: no limit; zero or negative:
     * only if that lane has room now) or until [ctx] is done (`null`: no context). The blocking
     * form the Java facade's timed keyed send uses.
     *
     * @return `true` if sent, `false` if the time ran out first (the value was not sent).
     * @throws ClosedChannelException if the channel is or becomes closed first.
     * @throws dev.conduit.context.ContextException [dev.conduit.context.Context.err] if [ctx] is
     *   done first; the value was not sent.
     * @throws InterruptedException if interrupted first; the value was not sent.
     */
    @Throws(InterruptedException::class)
    public fun sendBlocking(value: T, key: Any?, timeoutNanos: Long, ctx: dev.conduit.context.Context?): Boolean {
        val r = laneOf(key).sendBlocking(value, timeoutNanos, ctx)
        if (r === Poll.CLOSED) throw sendOnClosed()
        return r !== Poll.NOT_READY
    }

    /**
     * Sends [value] into the lane of [key] (null: the calling thread's) without blocking the
     * caller: the future completes when the value is sent, or exceptionally with
     * [ClosedChannelException]. Cancelling the future withdraws the send: `cancel` returns
     * `true` only if the value was not and will not be sent. Never blocks; the Java facade's
     * async keyed send.
     */
    public fun sendFuture(value: T, key: Any?): CompletableFuture<Void?> =
        laneOf(key).sendFuture(value) { r -> if (r === Poll.CLOSED) throw sendOnClosed() else null }

    /**
     * Sends [value] into its lane if there is room now. Never blocks.
     *
     * @throws ClosedChannelException if the channel is closed.
     */
    public fun trySend(value: T, key: Any?): Boolean = laneOf(key).trySend(value)

    override fun trySend(value: T): Boolean = laneOf(null).trySend(value)

    /** One receive over all lanes: a value from any of them, or "closed" once all are closed and drained. */
    private fun oneCase(): Selection = Selection().also { it.receive(this) }

    override fun tryReceive(): Received<T>? {
        val s = oneCase()
        if (s.selectBlocking(true, 0, null) == Selection.DEFAULT) return null
        return received(s.result)
    }

    override suspend fun receiveOk(): Received<T> = received(receiveRaw())

    override suspend fun receive(): T = valueOrThrow(receiveRaw())

    private suspend fun receiveRaw(): Any? {
        // Fast path: some lane has a value now.
        val start = Math.floorMod(Thread.currentThread().id.toInt() + System.nanoTime().toInt(), lanes)
        for (i in 0 until lanes) {
            val r = lane[(start + i) % lanes].tryReceiveNow()
            if (r !== Poll.NOT_READY && r !== Poll.CLOSED) return r
        }
        val s = oneCase()
        s.select(false)
        return s.result
    }

    override fun iterator(): ChanIterator<T> = rawIterator { receiveRaw() }

    /**
     * Closes every lane at once: senders waiting on any lane fail; receivers drain what is
     * buffered, then see "closed". Never blocks.
     *
     * @throws IllegalStateException ("close of closed channel") if already closed.
     */
    override fun close() {
        var first = false
        lockAllThen(lane) { if ((it as ChanImpl<*>).markClosedLocked()) first = true }
        if (!first) throw closeOfClosed()
    }

    override val cap: Int get() = if (capacityPerLane == 0) 0 else (lanes.toLong() * capacityPerLane).coerceAtMost(Int.MAX_VALUE.toLong()).toInt()

    /** Values buffered in all lanes, in one locked snapshot. */
    override val len: Int
        get() {
            var n = 0L
            lockAllThen(lane) { n += (it as ChanImpl<*>).lenLocked() }
            return n.coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
        }

    override fun receiveParts(): Array<out ChannelSource> = lane

    override fun sendPart(element: Any?): ChannelSource = laneOf(null)

    override fun toString(): String = "ShardedChan(lanes=$lanes, capacityPerLane=$capacityPerLane)"

    private companion object {
        /** The most lanes a sharded channel may have. */
        private const val MAX_LANES = 1 shl 16
    }
}
