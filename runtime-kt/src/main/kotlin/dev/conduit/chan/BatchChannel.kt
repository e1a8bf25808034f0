package dev.conduit.chan

import dev.conduit.Clock
import dev.conduit.chan.spi.ChannelGroup
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.ring.MpmcRing
import dev.conduit.ring.RingBuffer
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds

/**
 * A channel that moves items in batches: [send] adds an item to the batch being filled; a batch
 * goes to the receivers when it holds [batchSize] items, when [flush] is called, when
 * [maxLatency] has passed since its first item (so a slow trickle is not held back), or when
 * the channel closes. Receivers get whole [Batch]es, so the per-item cost of a channel hand-off
 * is paid once per batch.
 *
 * ## Backpressure
 * At most [capacity] full batches wait for receivers; a [send] that completes a batch suspends
 * while they are all waiting.
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
 * the partial batch is delivered, then receivers see "closed".
 *
 * The latency flusher is a coroutine in [scope]; cancelling [scope] stops it (close the
 * channel first to deliver what is pending). [send], [flush] suspend; [close] never blocks.
 *
 * @param clock measures [maxLatency]; a virtual clock in tests (with [scope] on the test
 *   dispatcher).
 * @throws IllegalArgumentException if [batchSize] < 1, [capacity] < 1 or [maxLatency] is not
 *   positive.
 */
public class BatchChannel<T>(
    scope: CoroutineScope,
    /** Items per full batch. */
    public val batchSize: Int,
    /** The longest a partial batch waits after its first item. */
    public val maxLatency: Duration,
    /** How many full batches may wait for receivers. */
    public val capacity: Int = 4,
    private val clock: Clock = Clock.system(),
) : ReceiveChan<Batch<T>>, ChannelGroup {
    init {
        require(batchSize >= 1) { "batchSize must be >= 1, but was $batchSize" }
        require(capacity >= 1) { "capacity must be >= 1, but was $capacity" }
        require(maxLatency.isPositive()) { "maxLatency must be > 0, but was $maxLatency" }
    }

    private val lock = Any()
    private val full = ChanImpl<Batch<T>>(capacity)
    private val parts = arrayOf<ChannelSource>(full)
    private val pool: RingBuffer<Batch<*>> = MpmcRing(Integer.highestOneBit(capacity + 2) shl 1)
    private val batchStarted: Chan<Unit> = Chan(1)

    // Guarded by lock.
    private var current: Batch<T>? = null
    private var currentNumber = 0L
    private var currentStartedAt = 0L
    private var closed = false

    init {
        scope.launch { flushLate() }
    }

    /**
     * Adds [item] to the current batch; if that fills it, hands the batch to the receivers,
     * suspending while [capacity] full batches already wait.
     *
     * @throws ClosedChannelException if the channel is closed.
     */
    public suspend fun send(item: T) {
        val ready = synchronized(lock) {
            if (closed) throw sendOnClosed()
            val batch = current ?: startBatch()
            batch.items[batch.size] = item
            batch.size++
            if (batch.size == batchSize) takeCurrent() else null
        }
        if (ready != null) deliver(ready)
    }

    /** Sends the current partial batch now, if it holds anything. Suspends as [send] may. */
    public suspend fun flush() {
        val partial = synchronized(lock) { current?.let { takeCurrent() } }
        if (partial != null) deliver(partial)
    }

    /**
     * Hands a batch taken under the lock to the receivers, after the batch taken before it (so
     * batches leave in the order they were taken, and each producer's items in the order sent);
     * [close] waits for it. A deliverer that is cancelled still lets the next one go.
     */
    private suspend fun deliver(taken: Taken<T>) {
        try {
            if (!taken.previous.isCompleted) taken.previous.await()
            full.send(taken.batch)
        } finally {
            taken.delivered.complete(Unit)
            inFlight.done()
        }
    }

    /** A batch taken out to deliver: wait for [previous] (the batch before), then complete [delivered]. */
    private class Taken<T>(val batch: Batch<T>, val previous: CompletableDeferred<Unit>, val delivered: CompletableDeferred<Unit>)

    /** Completed when the last batch taken so far has been delivered. Guarded by lock. */
    private var lastDelivered = CompletableDeferred(Unit)

    /**
     * Receives the next batch, suspending while none is ready; recycle it when done.
     *
     * @throws ClosedChannelException once the channel is closed and every batch delivered.
     */
    override suspend fun receive(): Batch<T> = full.receive()

    override suspend fun receiveOk(): Received<Batch<T>> = full.receiveOk()

    override fun tryReceive(): Received<Batch<T>>? = full.tryReceive()

    override fun iterator(): ChanIterator<Batch<T>> = full.iterator()

    /** How many full batches the channel holds; see [capacity]. */
    override val cap: Int get() = capacity

    /** How many batches are waiting for receivers now. */
    override val len: Int get() = full.len

    override fun receiveParts(): Array<out ChannelSource> = parts

    override fun sendPart(element: Any?): ChannelSource =
        throw UnsupportedOperationException("a BatchChannel is sent to item by item with send(item)")

    /** Receives the next batch as a list (copied; the batch is recycled). Suspends while none is ready. */
    public suspend fun receiveList(): List<T> {
        val batch = full.receive()
        return batch.toList().also { batch.recycle() }
    }

    /**
     * Closes the channel: the partial batch, if any, is delivered after the full ones already
     * waiting, then receivers see the channel closed. Never blocks (a partial batch that does not
     * fit is delivered by a coroutine of the channel's scope).
     */
    public fun close() {
        synchronized(lock) {
            if (closed) return
            closed = true
            if (current != null) closing = takeCurrent()
        }
        batchStarted.close() // the flusher delivers `closing`, waits for batches in flight, closes
    }

    /** The partial batch [close] took, for the flusher to deliver. */
    @Volatile
    private var closing: Taken<T>? = null

    /** Batches taken under the lock and not yet handed over; [close] waits for them. */
    private val inFlight = dev.conduit.sync.WaitGroup()

    private fun startBatch(): Batch<T> {
        @Suppress("UNCHECKED_CAST")
        val batch = pool.poll() as Batch<T>? ?: Batch(arrayOfNulls(batchSize), pool)
        current = batch
        currentNumber++
        currentStartedAt = clock.nanoTime()
        batchStarted.trySend(Unit)
        return batch
    }

    /**
     * Takes the current batch out (under the lock), counting it as in flight until delivered and
     * giving it the next turn to be delivered.
     */
    private fun takeCurrent(): Taken<T> {
        val batch = current!!
        current = null
        inFlight.add(1)
        val delivered = CompletableDeferred<Unit>()
        val taken = Taken(batch, lastDelivered, delivered)
        lastDelivered = delivered
        return taken
    }

    /** Sends each partial batch [maxLatency] after its first item, unless it left earlier. */
    private suspend fun flushLate() {
        try {
            while (batchStarted.receiveOk().ok) {
                while (true) {
                    val (number, startedAt) = synchronized(lock) { if (current == null) null else currentNumber to currentStartedAt } ?: break
                    val waited = clock.nanoTime() - startedAt
                    val left = maxLatency.inWholeNanoseconds - waited
                    if (left > 0) delay(left.nanoseconds)
                    val late = synchronized(lock) { if (current != null && currentNumber == number) takeCurrent() else null }
                    if (late != null) deliver(late)
                }
            }
            closing?.let { deliver(it) }
            inFlight.wait()
            full.close()
        } finally {
            closing = null
        }
    }

    override fun toString(): String = "BatchChannel(batchSize=$batchSize, maxLatency=$maxLatency, waiting=${full.len})"
}
