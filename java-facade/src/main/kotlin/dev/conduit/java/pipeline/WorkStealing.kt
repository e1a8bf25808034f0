package dev.conduit.java.pipeline

import dev.conduit.java.internal.Bridge
import dev.conduit.pipeline.WorkStealingPool
import kotlinx.coroutines.CoroutineScope

/**
 * A work-stealing pool for Java (see [WorkStealingPool]): per-worker queues, idle workers steal.
 * Made by [Pipeline.workStealing]; its workers are stages of that pipeline.
 */
public class WorkStealing<T : Any> internal constructor(scope: CoroutineScope, workers: Int, capacity: Int, handler: ItemHandler<T>) {
    private val pool = WorkStealingPool<T>(scope, workers, capacity) { worker, item -> blocking { handler.handle(worker, item) } }

    /**
     * Queues [item] round-robin, blocking while the pool's capacity is used.
     *
     * @throws IllegalStateException if the pool is closed
     * @throws InterruptedException if interrupted first (the item is not queued)
     */
    @Throws(InterruptedException::class)
    public fun submit(item: T) {
        Bridge.callBlocking { pool.submit(item) }
    }

    /**
     * Queues [item] on worker [worker]'s queue, blocking while the pool's capacity is used.
     *
     * @throws IllegalArgumentException if there is no such worker
     * @throws IllegalStateException if the pool is closed
     * @throws InterruptedException if interrupted first (the item is not queued)
     */
    @Throws(InterruptedException::class)
    public fun submitTo(worker: Int, item: T) {
        Bridge.callBlocking { pool.submitTo(worker, item) }
    }

    /** Stops taking items; workers finish the queued ones. Never blocks. */
    public fun close() {
        pool.close()
    }

    /**
     * Blocks until the workers have stopped (after [close]).
     *
     * @throws InterruptedException if interrupted first
     */
    @Throws(InterruptedException::class)
    public fun join() {
        Bridge.callBlocking { pool.join() }
    }

    /** Items handled by each worker so far. Never blocks. */
    public fun processed(): List<Long> = pool.processed()

    /** Items each worker stole so far. Never blocks. */
    public fun stolen(): List<Long> = pool.stolen()
}
