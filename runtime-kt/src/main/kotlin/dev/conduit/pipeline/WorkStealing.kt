package dev.conduit.pipeline

import dev.conduit.chan.Chan
import dev.conduit.chan.closeIfOpen
import dev.conduit.sync.Semaphore
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.util.concurrent.ConcurrentLinkedDeque
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLongArray

/**
 * Many-to-many producer–consumer with work stealing: each of [workers] coroutines has its own
 * queue; [submit] spreads items over the queues round-robin (or [submitTo] puts one on a chosen
 * worker's queue); a worker takes from the front of its own queue and, when that is empty,
 * steals from the back of another's, so uneven queues even out without a shared hot spot.
 *
 * At most [capacity] items wait in all queues together; [submit] suspends while they are full
 * (backpressure). Idle workers suspend on a channel; they never spin. [close] lets the workers
 * finish every queued item and stop; [join] waits for that. The workers are children of
 * [scope]: cancelling it stops them, and an exception from [handle] fails it.
 *
 * [processed] and [stolen] count, per worker, the items handled and how many of those it
 * stole, so the stealing is observable.
 *
 * Thread-safe: any number of producers may submit at once.
 *
 * @throws IllegalArgumentException if [workers] is not in 1..65,536 (each worker is a coroutine
 *   with its own queue and counters, made up front) or [capacity] < 1.
 */
public class WorkStealingPool<T>(
    scope: CoroutineScope,
    /** How many workers (and queues) there are. */
    public val workers: Int,
    /** How many items may wait in all queues together. */
    public val capacity: Int = 1024,
    private val handle: suspend (worker: Int, item: T) -> Unit,
) {
    init {
        require(workers in 1..MAX_WORKERS) { "workers must be in 1..$MAX_WORKERS, but was $workers" }
        require(capacity >= 1) { "capacity must be >= 1, but was $capacity" }
    }

    private val queues = List(workers) { ConcurrentLinkedDeque<T>() }
    private val space = Semaphore(capacity.toLong())
    private val wake = Chan<Unit>(workers)
    private val next = AtomicInteger()
    private val processedCounts = AtomicLongArray(workers)
    private val stolenCounts = AtomicLongArray(workers)

    /** Orders submissions against [close], so no item is queued after the workers may stop. */
    private val lock = Any()

    @Volatile
    private var closed = false

    private val job: Job = scope.launch {
        coroutineScope { repeat(workers) { w -> launch { work(w) } } }
    }

    /**
     * Queues [item] on the next worker's queue (round-robin), suspending while [capacity] items
     * wait.
     *
     * @throws IllegalStateException if the pool is closed.
     */
    public suspend fun submit(item: T) {
        submitTo(Math.floorMod(next.getAndIncrement(), workers), item)
    }

    /**
     * Queues [item] on worker [worker]'s queue (other workers may still steal it), suspending
     * while [capacity] items wait.
     *
     * @throws IllegalArgumentException if [worker] is not in `0 until workers`.
     * @throws IllegalStateException if the pool is closed.
     */
    public suspend fun submitTo(worker: Int, item: T) {
        require(worker in 0 until workers) { "worker must be in 0 until $workers, but was $worker" }
        check(!closed) { "submit to closed pool" }
        space.acquire()
        synchronized(lock) {
            if (closed) {
                space.release()
                throw IllegalStateException("submit to closed pool")
            }
            queues[worker].addLast(item)
            wake.trySend(Unit) // a full wake buffer already promises enough wake-ups
        }
    }

    /** Items handled by each worker so far. Never blocks. */
    public fun processed(): List<Long> = List(workers) { processedCounts[it] }

    /** Items each worker stole from another's queue so far. Never blocks. */
    public fun stolen(): List<Long> = List(workers) { stolenCounts[it] }

    /** Stops taking submissions; the workers finish what is queued, then stop. Never blocks. */
    public fun close() {
        synchronized(lock) {
            closed = true
            wake.closeIfOpen()
        }
    }

    /** Suspends until the workers have stopped (after [close], or when the scope is cancelled). */
    public suspend fun join() {
        job.join()
    }

    private suspend fun work(me: Int) {
        while (true) {
            val own = queues[me].pollFirst()
            val item = own ?: steal(me)
            if (item == null) {
                if (!wake.receiveOk().ok && queues.all { it.isEmpty() }) return
                continue
            }
            space.release()
            if (own == null) stolenCounts.incrementAndGet(me)
            handle(me, item)
            processedCounts.incrementAndGet(me)
        }
    }

    /** Takes the newest item of the first other worker (starting after [me]) that has one. */
    private fun steal(me: Int): T? {
        for (i in 1 until workers) {
            queues[(me + i) % workers].pollLast()?.let { return it }
        }
        return null
    }

    override fun toString(): String = "WorkStealingPool(workers=$workers, processed=${processed()}, stolen=${stolen()})"

    private companion object {
        const val MAX_WORKERS = 1 shl 16
    }
}
