package dev.conduit.pipeline

import dev.conduit.Clock
import dev.conduit.context.ContextException
import dev.conduit.context.withCancel
import dev.conduit.context.Context
import dev.conduit.sync.Semaphore
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/**
 * A bounded queue consumed by priority with aging: [receive] takes the item with the highest
 * *effective* priority, its priority (`0 until levels`, higher first) plus one for every
 * [agingStep] it has waited. So a stream of high-priority items cannot starve a low-priority
 * one forever: after `(high - low) * agingStep` it competes as an equal and then wins (ties go
 * to the item that waited longest). Within one priority, items leave in arrival order.
 *
 * At most [capacity] items wait; [send] suspends while full (backpressure) and [receive] while
 * empty. [close] stops sends; receivers drain what is queued and then get
 * `ClosedReceiveChannelException`.
 *
 * Thread-safe, for any number of producers and consumers. [trySend], [tryReceive] and [close]
 * never block; [send] and [receive] suspend.
 *
 * @param clock measures waiting time for aging; a virtual clock in tests.
 * @throws IllegalArgumentException if [levels] < 1, [capacity] < 1 or [agingStep] is not
 *   positive.
 */
public class PriorityChannel<T>(
    /** How many priorities there are: `0 until levels`, higher first. */
    public val levels: Int,
    /** How many items may wait. */
    public val capacity: Int,
    /** Waiting this long raises an item's effective priority by one. */
    public val agingStep: Duration,
    private val clock: Clock = Clock.system(),
) {
    init {
        require(levels >= 1) { "levels must be >= 1, but was $levels" }
        require(capacity >= 1) { "capacity must be >= 1, but was $capacity" }
        require(agingStep.isPositive()) { "agingStep must be > 0, but was $agingStep" }
    }

    private class Entry<T>(val item: T, val priority: Int, val enqueuedAt: Long)

    private val lock = Any()
    private val queues = List(levels) { ArrayDeque<Entry<T>>() }
    private val space = Semaphore(capacity.toLong())
    private val items = Semaphore(capacity.toLong()).also { it.tryAcquire(capacity.toLong()) } // starts empty
    private val closing = Context.background().withCancel()

    /** Set by [close] under [lock]; sends check it there. */
    private var closed = false
    private val stepNanos = agingStep.inWholeNanoseconds

    /** Items waiting now. Never blocks. */
    public val size: Int get() = synchronized(lock) { queues.sumOf { it.size } }

    /**
     * Queues [item] at [priority], suspending while [capacity] items wait.
     *
     * @throws IllegalArgumentException if [priority] is not in `0 until levels`.
     * @throws ClosedSendChannelException if the channel is closed (before or while waiting).
     */
    public suspend fun send(item: T, priority: Int) {
        checkPriority(priority)
        if (closing.err != null) throw sendOnClosed()
        try {
            space.acquire(closing)
        } catch (e: ContextException) {
            throw sendOnClosed()
        }
        enqueue(item, priority)
    }

    /**
     * Queues [item] at [priority] if there is room now. Never blocks. While another send is
     * half-way (it has taken room but not yet added its item) this may report "full" although
     * [tryReceive] would report "empty" (as kotlinx's `trySend`).
     *
     * @throws IllegalArgumentException if [priority] is not in `0 until levels`.
     * @throws ClosedSendChannelException if the channel is closed.
     */
    public fun trySend(item: T, priority: Int): Boolean {
        checkPriority(priority)
        if (closing.err != null) throw sendOnClosed()
        if (!space.tryAcquire()) return false
        enqueue(item, priority)
        return true
    }

    /**
     * Takes the item with the highest effective priority, suspending while none waits.
     *
     * @throws ClosedReceiveChannelException if the channel is closed and drained.
     */
    public suspend fun receive(): T {
        if (!items.tryAcquire()) {
            try {
                items.acquire(closing)
            } catch (e: ContextException) {
                // Closed. Every item sent before the close was counted under the lock the close
                // takes, so what is counted now is all there will be.
                if (!items.tryAcquire()) throw ClosedReceiveChannelException("receive from closed channel")
            }
        }
        return dequeue()
    }

    /**
     * Takes the item with the highest effective priority if one waits now. Never blocks. May
     * report "empty" while a send is half-way (see [trySend]).
     */
    public fun tryReceive(): T? = if (items.tryAcquire()) dequeue() else null

    /**
     * Stops sends; queued items can still be received, then receivers get
     * `ClosedReceiveChannelException`. Idempotent; never blocks.
     */
    public fun close() {
        synchronized(lock) { closed = true }
        closing.cancel()
    }

    /**
     * Adds the item and counts it, both under the lock [close] takes, so a send is either wholly
     * before the close (its item will be received) or after it (it fails, giving its room back).
     */
    private fun enqueue(item: T, priority: Int) {
        synchronized(lock) {
            if (!closed) {
                queues[priority].addLast(Entry(item, priority, clock.nanoTime()))
                items.release()
                return
            }
        }
        space.release()
        throw sendOnClosed()
    }

    private fun dequeue(): T {
        val entry = synchronized(lock) {
            val now = clock.nanoTime()
            var best: ArrayDeque<Entry<T>>? = null
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
            best!!.removeFirst()
        }
        space.release()
        return entry.item
    }

    private fun checkPriority(priority: Int) {
        require(priority in 0 until levels) { "priority must be in 0 until $levels, but was $priority" }
    }

    private fun sendOnClosed() = ClosedSendChannelException("send on closed channel")

    override fun toString(): String = "PriorityChannel(levels=$levels, size=$size/$capacity)"

    public companion object {
        /**
         * A [PriorityChannel] for Java, with a `java.time.Duration` aging step.
         *
         * @throws IllegalArgumentException as the constructor.
         */
        @JvmStatic
        @JvmOverloads
        public fun <T> create(levels: Int, capacity: Int, agingStep: java.time.Duration, clock: Clock = Clock.system()): PriorityChannel<T> =
            PriorityChannel(levels, capacity, agingStep.toKotlinDuration(), clock)
    }
}
