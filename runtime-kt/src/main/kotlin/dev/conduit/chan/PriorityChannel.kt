package dev.conduit.chan

import dev.conduit.chan.ClosedChannelException.Companion.sendOnClosed
import dev.conduit.Clock
import dev.conduit.chan.spi.ChannelGroup
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.WaitEntry
import java.util.concurrent.CompletableFuture
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/**
 * A bounded channel consumed by priority with aging: a receive takes the value with the highest
 * *effective* priority, its priority (`0 until levels`, higher first) plus one for every
 * [agingStep] it has waited in the buffer. So a stream of high-priority values cannot starve a
 * low-priority one forever: after `(high - low) * agingStep` it competes as an equal and then
 * wins (ties go to the value that waited longest). Within one priority, values leave in arrival
 * order.
 *
 * It is a [Chan] on Conduit's core: at most [capacity] values wait in the buffer; a send waits
 * while it is full (backpressure; waiting senders are served first come, first served) and a
 * receive while it is empty; the closed contract, `trySend`/`tryReceive` (linearizable), `len`,
 * select cases (beside any other channel kind), Java blocking calls and futures are those of
 * every channel. [send] with one argument and a select's `onSend` use [defaultPriority]; the
 * two-argument [send] and [trySend] take an explicit priority.
 *
 * Thread-safe, for any number of producers and consumers.
 *
 * @param clock measures waiting time for aging; a virtual clock in tests.
 * @throws IllegalArgumentException if [levels] is not in 1..65536 (each level is a queue, made
 *   here, so a huge count would run out of memory instead), [capacity] < 1, [agingStep] is not
 *   positive, or [defaultPriority] is not in `0 until levels`.
 */
public class PriorityChannel<T> @JvmOverloads constructor(
    /** How many priorities there are: `0 until levels`, higher first. */
    public val levels: Int,
    /** How many values may wait. */
    public val capacity: Int,
    /** Waiting this long raises a value's effective priority by one. */
    public val agingStep: Duration,
    private val clock: Clock = Clock.system(),
    /** The priority of a one-argument [send], [trySend] and a select's send case. */
    public val defaultPriority: Int = 0,
) : Chan<T>, ChannelGroup {
    init {
        require(levels in 1..MAX_LEVELS) { "levels must be in 1..$MAX_LEVELS, but was $levels" }
        require(capacity >= 1) { "capacity must be >= 1, but was $capacity" }
        require(agingStep.isPositive()) { "agingStep must be > 0, but was $agingStep" }
        require(defaultPriority in 0 until levels) { "defaultPriority must be in 0 until $levels, but was $defaultPriority" }
    }

    private val stepNanos = agingStep.inWholeNanoseconds
    private val core = Core()
    private val parts = arrayOf<ChannelSource>(core)

    /** A value on its way through the buffer, with its priority and (once buffered) arrival time. */
    private class Item(val value: Any?, val priority: Int) {
        var enqueuedAt = 0L
    }

    /** The channel: the core's channel whose buffer is a queue per level, read by aging priority. */
    private inner class Core : ChanImpl<Any?>(capacity) {
        private val queues = List(levels) { ArrayDeque<Item>() }

        private fun item(element: Any?): Item = element as? Item ?: Item(element, defaultPriority)

        override fun pollSend(element: Any?): Any? = super.pollSend(item(element))

        override fun pollReceive(): Any? = unwrap(super.pollReceive())

        override fun completeClaimed(entry: WaitEntry): Any? = unwrap(super.completeClaimed(entry))

        private fun unwrap(r: Any?): Any? = if (r is Item) r.value else r

        override fun store(element: Any?) {
            val item = item(element)
            item.enqueuedAt = clock.nanoTime()
            queues[item.priority].addLast(item)
        }

        override fun retrieve(): Any? {
            val now = clock.nanoTime()
            var best: ArrayDeque<Item>? = null
            var bestScore = Long.MIN_VALUE
            var bestAt = Long.MAX_VALUE
            for (queue in queues) {
                val head = queue.firstOrNull() ?: continue
                val score = head.priority + (now - head.enqueuedAt) / stepNanos
                if (score > bestScore || (score == bestScore && head.enqueuedAt < bestAt)) {
                    best = queue
                    bestScore = score
                    bestAt = head.enqueuedAt
                }
            }
            return best!!.removeFirst()
        }

        override fun toString(): String = this@PriorityChannel.toString()
    }

    private fun checkPriority(priority: Int) {
        require(priority in 0 until levels) { "priority must be in 0 until $levels, but was $priority" }
    }

    /**
     * Sends [value] at [priority], suspending while [capacity] values wait. Cancellation as for
     * [SendChan.send].
     *
     * @throws IllegalArgumentException if [priority] is not in `0 until levels`.
     * @throws ClosedChannelException if the channel is or becomes closed first.
     */
    public suspend fun send(value: T, priority: Int) {
        checkPriority(priority)
        if (core.sendOrClosed(Item(value, priority)) === Poll.CLOSED) throw sendOnClosed()
    }

    /**
     * Sends [value] at [priority] if there is room now (linearizable). Never blocks.
     *
     * @throws IllegalArgumentException if [priority] is not in `0 until levels`.
     * @throws ClosedChannelException if the channel is closed.
     */
    public fun trySend(value: T, priority: Int): Boolean {
        checkPriority(priority)
        val r = core.trySendNow(Item(value, priority))
        if (r === Poll.CLOSED) throw sendOnClosed()
        return r === Poll.SENT
    }

    /**
     * Sends [value] at [priority], blocking the calling thread while [capacity] values wait or
     * until [ctx] is done (`null`: no context); the thread parks in the channel's queue.
     *
     * @throws IllegalArgumentException if [priority] is not in `0 until levels`.
     * @throws ClosedChannelException if the channel is or becomes closed first.
     * @throws dev.conduit.context.ContextException [dev.conduit.context.Context.err] if [ctx] is
     *   done first; the value was not sent.
     * @throws InterruptedException if interrupted first; the value was not sent.
     */
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun sendBlocking(value: T, priority: Int = defaultPriority, ctx: dev.conduit.context.Context? = null) {
        sendBlocking(value, priority, Long.MAX_VALUE, ctx)
    }

    /**
     * Sends [value] at [priority], blocking the calling thread at most [timeoutNanos]
     * nanoseconds (`Long.MAX_VALUE`: no limit; zero or negative: only if there is room now) or
     * until [ctx] is done (`null`: no context); the thread parks in the channel's queue. The
     * blocking form the Java facade's timed send uses.
     *
     * @return `true` if sent, `false` if the time ran out first (the value was not sent).
     * @throws IllegalArgumentException if [priority] is not in `0 until levels`.
     * @throws ClosedChannelException if the channel is or becomes closed first.
     * @throws dev.conduit.context.ContextException [dev.conduit.context.Context.err] if [ctx] is
     *   done first; the value was not sent.
     * @throws InterruptedException if interrupted first; the value was not sent.
     */
    @Throws(InterruptedException::class)
    public fun sendBlocking(value: T, priority: Int, timeoutNanos: Long, ctx: dev.conduit.context.Context?): Boolean {
        checkPriority(priority)
        val r = core.sendBlocking(Item(value, priority), timeoutNanos, ctx)
        if (r === Poll.CLOSED) throw sendOnClosed()
        return r !== Poll.NOT_READY
    }

    /**
     * Sends [value] at [priority] without blocking the caller: the future completes when the
     * value is sent, or exceptionally with [ClosedChannelException]. Cancelling the future
     * withdraws the send: `cancel` returns `true` only if the value was not and will not be
     * sent. Never blocks; the Java facade's async send.
     *
     * @throws IllegalArgumentException if [priority] is not in `0 until levels`.
     */
    public fun sendFuture(value: T, priority: Int): CompletableFuture<Void?> {
        checkPriority(priority)
        return core.sendFuture(Item(value, priority)) { r -> if (r === Poll.CLOSED) throw sendOnClosed() else null }
    }

    override suspend fun send(value: T): Unit = send(value, defaultPriority)

    override fun trySend(value: T): Boolean = trySend(value, defaultPriority)

    @Suppress("UNCHECKED_CAST")
    override suspend fun receive(): T = core.receive() as T

    @Suppress("UNCHECKED_CAST")
    override suspend fun receiveOk(): Received<T> = core.receiveOk() as Received<T>

    @Suppress("UNCHECKED_CAST")
    override fun tryReceive(): Received<T>? = core.tryReceive() as Received<T>?

    @Suppress("UNCHECKED_CAST")
    override fun iterator(): ChanIterator<T> = core.iterator() as ChanIterator<T>

    /** Stops sends; senders waiting now fail; queued values can still be received, then "closed". */
    override fun close(): Unit = core.close()

    override val cap: Int get() = capacity
    override val len: Int get() = core.len

    /** The channel select cases and the Java facade use. */
    override fun receiveParts(): Array<out ChannelSource> = parts

    override fun sendPart(element: Any?): ChannelSource = core

    override fun toString(): String = "PriorityChannel(levels=$levels, len=$len/$capacity)"

    public companion object {
        /** The most priority levels a priority channel may have. */
        private const val MAX_LEVELS = 1 shl 16

        /**
         * A [PriorityChannel] for Java, with a `java.time.Duration` aging step. Never blocks.
         *
         * @throws IllegalArgumentException as the constructor.
         */
        @JvmStatic
        @JvmOverloads
        public fun <T> create(levels: Int, capacity: Int, agingStep: java.time.Duration, clock: Clock = Clock.system()): PriorityChannel<T> =
            PriorityChannel(levels, capacity, agingStep.toKotlinDuration(), clock)
    }
}
