package dev.conduit.ring

import dev.conduit.chan.Chan
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Received
import dev.conduit.chan.chan
import dev.conduit.chan.select

/**
 * A channel of [lanes] independent lanes (each a [Chan] of [capacityPerLane]) so that many
 * producers do not all contend on one channel's counters: a producer sends into the lane of its
 * key ([send] with a key), or of its thread ([send] without one), and receivers take from any
 * lane, starting at a different lane each time and waiting on all of them at once when all are
 * empty.
 *
 * ## Order
 * Items sent with the same key go through one lane and keep their order. Without a key, a
 * producer's items keep their order only while it stays on one thread (a coroutine may move
 * between threads). Across lanes there is no order.
 *
 * ## Memory placement
 * This is the practical JVM answer to NUMA: the JVM gives no way to pin memory to a node or a
 * thread to a core, so nothing here does. What striping does do is keep each lane's hot
 * counters written mostly by the threads that use that lane, so the cache lines bounce between
 * fewer cores; on a NUMA machine run with `-XX:+UseNUMA` so that each lane's buffers are
 * allocated (by first touch) near the threads that fill them.
 *
 * Thread-safe. [send] and [receive] suspend; the `try` forms and [close] never block.
 *
 * @throws IllegalArgumentException if [lanes] < 1 or [capacityPerLane] < 0.
 */
public class ShardedChan<T>(public val lanes: Int, public val capacityPerLane: Int) {
    init {
        require(lanes >= 1) { "lanes must be >= 1, but was $lanes" }
        require(capacityPerLane >= 0) { "capacityPerLane must be >= 0, but was $capacityPerLane" }
    }

    private val lane: List<Chan<T>> = List(lanes) { chan(capacityPerLane) }
    private var nextStart = 0 // racy on purpose: only spreads where receivers start looking

    /** The lanes, for use in `select` or pipelines (each closes when this channel closes). */
    public val laneChannels: List<ReceiveChan<T>> get() = lane

    private fun laneOf(key: Any?): Chan<T> =
        lane[Math.floorMod(key?.hashCode() ?: Thread.currentThread().id.toInt(), lanes)]

    /**
     * Sends [value] into the lane of [key] (or of the calling thread if [key] is null),
     * suspending while that lane is full.
     *
     * @throws kotlinx.coroutines.channels.ClosedSendChannelException if the channel is closed.
     */
    public suspend fun send(value: T, key: Any? = null) {
        laneOf(key).send(value)
    }

    /**
     * Sends [value] into its lane if there is room now. Never blocks.
     *
     * @throws kotlinx.coroutines.channels.ClosedSendChannelException if the channel is closed.
     */
    public fun trySend(value: T, key: Any? = null): Boolean = laneOf(key).trySend(value)

    /** Takes an item from some non-empty lane, if any has one now. Never blocks. */
    public fun tryReceive(): Received<T>? = scan(null)

    /**
     * Looks at every lane once, starting at a different one each call: the first item found,
     * "closed" if every lane is closed and drained, else null. Marks closed lanes in [closed].
     */
    private fun scan(closed: BooleanArray?): Received<T>? {
        val start = nextStart++
        var closedCount = 0
        var last: Received<T>? = null
        for (i in 0 until lanes) {
            val index = Math.floorMod(start + i, lanes)
            val r = lane[index].tryReceive() ?: continue
            if (r.ok) return r
            closed?.set(index, true)
            closedCount++
            last = r
        }
        return if (closedCount == lanes) last else null
    }

    /**
     * Receives an item from whichever lane has one, suspending while all are empty; "closed"
     * once every lane is closed and drained.
     */
    public suspend fun receiveOk(): Received<T> {
        val closed = BooleanArray(lanes)
        while (true) {
            scan(closed)?.let { return it }
            // All open lanes are empty: wait on them at once (closed lanes would fire forever).
            val r = select<Received<T>> {
                for (i in 0 until lanes) lane[i].onReceiveOk(enabled = !closed[i]) { it }
            }
            if (r.ok) return r
        }
    }

    /** Closes every lane; receivers drain what is buffered, then see "closed". */
    public fun close() {
        lane.forEach { it.close() }
    }

    override fun toString(): String = "ShardedChan(lanes=$lanes, capacityPerLane=$capacityPerLane)"
}
