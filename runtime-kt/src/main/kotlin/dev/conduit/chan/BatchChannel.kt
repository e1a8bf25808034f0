package dev.conduit.chan

import dev.conduit.chan.ClosedChannelException.Companion.sendOnClosed
import dev.conduit.Clock
import dev.conduit.chan.spi.ChannelGroup
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.WaitEntry
import dev.conduit.chan.spi.WaitQueue
import dev.conduit.chan.spi.diagnosticName
import dev.conduit.ring.MpmcRing
import dev.conduit.ring.RingBuffer
import dev.conduit.context.Context
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicBoolean
import java.util.function.Consumer
import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds

/**
 * A channel that moves items in batches: [send] adds an item to the batch being filled; a batch
 * goes to the receivers when it holds [batchSize] items, when [flush] is called, when
 * [maxLatency] has passed since its first item (so a slow trickle is not held back), or when
 * the channel closes. Receivers get whole [Batch]es, so the per-item cost of a channel hand-off
 * is paid once per batch.
 *
 * ## Backpressure, cancellation and loss
 * At most [capacity] batches wait for receivers; a [send] whose item would complete a batch
 * first waits for room (a slot), and only then adds its item. So a send cancelled while it
 * waits has added nothing, and every item whose [send] returned is delivered: a batch, once
 * taken, goes to the receivers at once, under the channel's lock, never through a suspension
 * that could be cancelled. A partial batch that [flush] or [maxLatency] sends waits for a slot
 * in the same way (producers keep filling it meanwhile).
 *
 * ## Pooling
 * Batches (the object and its array) come from a pool (a lock-free [MpmcRing]) that
 * [Batch.recycle] refills, so steady traffic allocates only what the items themselves need.
 *
 * ## Order
 * Batches leave in the order they were filled, so each producer's items arrive in the order it
 * sent them; items of different producers interleave.
 *
 * ## A channel of batches
 * A `BatchChannel` is the [ReceiveChan] of its batches: receive, iterate, use it as a [select]
 * case beside any other channel kind, from Java or in pipelines, as any channel. After [close]
 * the partial batch is delivered (even if [capacity] batches already wait), then receivers
 * see "closed". Senders waiting for room when it closes fail with [ClosedChannelException], as
 * Go's blocked senders panic.
 *
 * The latency flusher is a coroutine in [scope]; cancelling [scope] closes the channel (the
 * partial batch is delivered, then receivers see "closed"), so no receiver is left waiting.
 * [send], [flush] suspend; [close] never blocks.
 *
 * @param clock measures [maxLatency]; a virtual clock in tests (with [scope] on the test
 *   dispatcher).
 * @throws IllegalArgumentException if [batchSize] is not in 1..1,048,576 (each batch is an
 *   array of [batchSize] slots made up front, for the pool), [capacity] < 1 or [maxLatency] is
 *   not positive.
 */
public class BatchChannel<T>(
    scope: CoroutineScope,
    /** Items per full batch. */
    public val batchSize: Int,
    /** The longest a partial batch waits after its first item (before it waits for room). */
    public val maxLatency: Duration,
    /** How many batches may wait for receivers. */
    public val capacity: Int = 4,
    private val clock: Clock = Clock.system(),
) : ReceiveChan<Batch<T>>, ChannelGroup {
    init {
        require(batchSize in 1..MAX_BATCH) { "batchSize must be in 1..$MAX_BATCH, but was $batchSize" }
        require(capacity >= 1) { "capacity must be >= 1, but was $capacity" }
        require(maxLatency.isPositive()) { "maxLatency must be > 0, but was $maxLatency" }
    }

    /** Spare batches for reuse: enough for the waiting ones and a few in hand (at most 2^20). */
    private val pool: RingBuffer<Batch<*>> = MpmcRing(Integer.highestOneBit(minOf(capacity, 1 shl 19) + 2) shl 1)
    /** Wakes the latency flusher when a batch starts; signalled by senders after their lock is released. */
    private val batchStarted = ChanImpl<Unit>(1)

    /** Set (lock held) when a batch starts, until a sender passes it on to [batchStarted]. */
    private val started = AtomicBoolean()
    private val core = Core()
    private val parts = arrayOf<ChannelSource>(core)

    /** A request, waiting as a send would, to deliver partial batch [number] (any batch: [ANY]). */
    private class Flush(val number: Long)

    /**
     * The channel itself. Items join the current batch under this one lock, and a completed
     * batch goes to a waiting receiver or the buffer in the same step, so nothing is ever
     * between two places. An item (or a [Flush]) that needs room for a batch when the buffer
     * holds [capacity] of them is not applied: its sender waits in [senders] and is applied when
     * a receiver makes room. Receivers wait only while the buffer is empty, so "room" is exactly
     * "the buffer holds fewer than [capacity] batches".
     */
    private inner class Core : ChannelSource() {
        private val buffer = ArrayDeque<Batch<T>>()
        private val receivers = WaitQueue()
        private val senders = WaitQueue()
        private var closed = false
        private var current: Batch<T>? = null
        private var currentNumber = 0L
        private var currentStartedAt = 0L

        override fun pollReceive(): Any? {
            val batch = buffer.removeFirstOrNull() ?: return if (closed) Poll.CLOSED else Poll.NOT_READY
            admitSenders()
            return batch
        }

        override fun pollSend(element: Any?): Any? {
            if (closed) return Poll.CLOSED
            if (!fits(element)) return Poll.NOT_READY
            apply(element)
            return Poll.SENT
        }

        override fun enqueue(entry: WaitEntry) {
            if (entry.isSend) senders.add(entry) else receivers.add(entry)
        }

        override fun dequeue(entry: WaitEntry) {
            if (entry.isSend) senders.remove(entry) else receivers.remove(entry)
        }

        override fun waitName(): String = diagnosticName("BatchChannel", this@BatchChannel)

        override fun forEachQueued(action: Consumer<WaitEntry>) {
            receivers.forEach(action)
            senders.forEach(action)
        }

        private fun flushes(f: Flush): Boolean = current != null && (f.number == ANY || f.number == currentNumber)

        private fun completes(): Boolean = (current?.size ?: 0) + 1 == batchSize

        /** Whether [element] can be applied now: it hands over no batch, or there is room for one. */
        private fun fits(element: Any?): Boolean =
            buffer.size < capacity || !(if (element is Flush) flushes(element) else completes())

        /** Adds an item to the current batch, or carries out a [Flush]; [fits] holds. */
        private fun apply(element: Any?) {
            if (element is Flush) {
                if (flushes(element)) deliverCurrent()
                return
            }
            val batch = current ?: startBatch()
            batch.items[batch.size++] = element
            if (batch.size == batchSize) deliverCurrent()
        }

        /** Hands the current batch to the first waiting receiver, or else to the buffer. */
        private fun deliverCurrent() {
            val batch = current!!
            current = null
            if (receivers.claimFirst(batch) == null) buffer.addLast(batch)
        }

        /** Applies waiting senders' items, first come first served, while the first one fits. */
        private fun admitSenders() {
            while (true) {
                val first = senders.peek() ?: return
                if (!fits(first.element())) return
                senders.remove(first)
                // A claimed coroutine may run its sent() before this lock is released: the flag
                // that makes it wake the flusher must be up before the claim, not set by apply.
                if (current == null && first.element() !is Flush) started.set(true)
                if (first.claim(Poll.SENT)) apply(first.element())
            }
        }

        private fun startBatch(): Batch<T> {
            @Suppress("UNCHECKED_CAST")
            val batch = pool.poll() as Batch<T>? ?: Batch(arrayOfNulls(batchSize), pool)
            current = batch
            currentNumber++
            currentStartedAt = clock.nanoTime()
            started.set(true) // not batchStarted itself: waking the flusher must not run it under this lock
            return batch
        }

        /** The current partial batch's number and start time, or null if there is none. */
        fun pending(): Pair<Long, Long>? {
            lock()
            val p = if (current == null) null else currentNumber to currentStartedAt
            unlock()
            return p
        }

        /**
         * Closes: the partial batch is delivered (room or not), then receivers see "closed"
         * once the buffer is drained, and waiting senders fail. False if it was closed already.
         */
        fun closeIfOpen(): Boolean {
            lock()
            if (closed) {
                unlock()
                return false
            }
            closed = true
            if (current != null) deliverCurrent()
            if (buffer.isEmpty()) receivers.claimAll(Poll.CLOSED)
            senders.claimAll(Poll.CLOSED)
            unlock()
            return true
        }

        val len: Int
            get() {
                lock()
                val n = buffer.size
                unlock()
                return n
            }

        override fun toString(): String = this@BatchChannel.toString()
    }

    /**
     * Adds [item] to the current batch; if that fills it, hands the batch to the receivers. If
     * [item] would complete a batch while [capacity] batches wait, first suspends until a
     * receiver makes room; cancelled (or closed) while waiting, it has added nothing.
     *
     * @throws ClosedChannelException if the channel is or becomes closed first.
     */
    public suspend fun send(item: T) {
        sent(core.sendOrClosed(item))
    }

    /**
     * [send] for a Java thread: blocks (parks) until the item is added, at most [timeoutNanos],
     * or until [ctx] is done. An interrupt or timeout withdraws it: nothing was added.
     *
     * @return true if added, false if the timeout passed first
     * @throws ClosedChannelException if the channel is or becomes closed first
     * @throws InterruptedException if interrupted while waiting (nothing was added)
     * @throws dev.conduit.context.ContextException `ctx.err` if [ctx] is done first
     */
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun sendBlocking(item: T, timeoutNanos: Long = Long.MAX_VALUE, ctx: Context? = null): Boolean =
        sent(core.sendBlocking(item, timeoutNanos, ctx))

    /**
     * [send] as a future, for Java: completes when the item is added, or exceptionally with
     * [ClosedChannelException]. Cancelling it withdraws the send (nothing added) unless it had
     * completed. Never blocks.
     */
    public fun sendFuture(item: T): CompletableFuture<Void?> = core.sendFuture(item) { r -> sent(r); null }

    /** Finishes a send whose poll result is [r]: throws if closed, wakes the flusher for a new batch. */
    private fun sent(r: Any?): Boolean {
        // A close since the send was accepted has ended the flusher and took the partial batch
        // along, so a closed wake-up channel is nothing this send must report.
        if (started.get() && started.getAndSet(false)) batchStarted.trySendNow(Unit)
        if (r === Poll.CLOSED) throw sendOnClosed()
        return r === Poll.SENT
    }

    /**
     * Adds [item] if that needs no waiting (linearizable): false if it would complete a batch
     * while [capacity] batches wait. Never blocks.
     *
     * @throws ClosedChannelException if the channel is closed.
     */
    public fun trySend(item: T): Boolean = sent(core.trySendNow(item))

    /**
     * Sends the current partial batch now, if there is one, suspending while [capacity] batches
     * wait; cancelled while waiting, it sends nothing. Does nothing once closed ([close]
     * delivered the partial batch).
     */
    public suspend fun flush() {
        core.sendOrClosed(FLUSH_ANY)
    }

    /**
     * Receives the next batch, suspending while none is ready; recycle it when done.
     *
     * @throws ClosedChannelException once the channel is closed and every batch delivered.
     */
    override suspend fun receive(): Batch<T> = valueOrThrow(core.receiveOrClosed())

    override suspend fun receiveOk(): Received<Batch<T>> = received(core.receiveOrClosed())

    override fun tryReceive(): Received<Batch<T>>? {
        val r = core.tryReceiveNow()
        return if (r === Poll.NOT_READY) null else received(r)
    }

    override fun iterator(): ChanIterator<Batch<T>> = rawIterator { core.receiveOrClosed() }

    /** How many batches may wait; see [capacity]. */
    override val cap: Int get() = capacity

    /** How many batches are waiting for receivers now. */
    override val len: Int get() = core.len

    override fun receiveParts(): Array<out ChannelSource> = parts

    override fun sendPart(element: Any?): ChannelSource =
        throw UnsupportedOperationException("a BatchChannel is sent to item by item with send(item)")

    /** Receives the next batch as a list (copied; the batch is recycled). Suspends while none is ready. */
    public suspend fun receiveList(): List<T> {
        val batch = receive()
        return batch.toList().also { batch.recycle() }
    }

    /**
     * Closes the channel: the partial batch, if any, is delivered after the batches already
     * waiting (even if [capacity] of them wait), then receivers see the channel closed; senders
     * waiting for room fail with [ClosedChannelException]. Never blocks.
     *
     * @throws IllegalStateException if the channel is already closed, as for every channel.
     */
    public fun close() {
        if (!closeIfOpen()) throw closeOfClosed()
    }

    private fun closeIfOpen(): Boolean = core.closeIfOpen().also { if (it) batchStarted.close() }

    /**
     * Sends each partial batch [maxLatency] after its first item (waiting for room if need be),
     * unless it left earlier. Ends when the channel closes.
     */
    private suspend fun flushLate() {
        while (batchStarted.receiveOk().ok) {
            while (true) {
                val (number, startedAt) = core.pending() ?: break
                val left = maxLatency.inWholeNanoseconds - (clock.nanoTime() - startedAt)
                if (left > 0) delay(left.nanoseconds)
                if (core.sendOrClosed(Flush(number)) === Poll.CLOSED) return
            }
        }
    }

    override fun toString(): String = "BatchChannel(batchSize=$batchSize, maxLatency=$maxLatency, waiting=${core.len})"

    private companion object {
        const val ANY = -1L
        const val MAX_BATCH = 1 shl 20
        val FLUSH_ANY = Flush(ANY)
    }

    init {
        // Last, so the flusher (which may start running at once) sees every field initialised.
        // However the flusher ends (even cancelled before it started), the channel is closed then,
        // so receivers drain and see "closed" instead of waiting forever.
        scope.launch { flushLate() }.invokeOnCompletion { closeIfOpen() }
    }
}
