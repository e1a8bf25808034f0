package dev.conduit.java.pipeline;

import dev.conduit.java.internal.PipelineCalls;
import java.util.List;
import java.util.Objects;

/**
 * A work-stealing pool for Java: each worker has its own queue, {@link #submit} spreads items
 * over the queues round-robin ({@link #submitTo} picks one), and a worker whose queue is empty
 * steals from the back of another's, so uneven queues even out without a shared hot spot. At
 * most {@code capacity} items wait in all queues together; submitting blocks while they are
 * full.
 *
 * <p>Made by {@link Pipeline#workStealing(int, ItemHandler)}: its workers are stages of that
 * pipeline (so it has no {@code create}). {@link #wrap(dev.conduit.pipeline.WorkStealingPool)}
 * is the Java view of a Kotlin pool and {@link #unwrap()} the Kotlin pool behind this one.
 * Thread-safe: any number of threads may submit at once.
 *
 * @param <T> the item type; {@code null} items are refused with {@link NullPointerException}
 *     at the call
 */
public final class WorkStealingPool<T> {
    private final dev.conduit.pipeline.WorkStealingPool<T> pool;

    private WorkStealingPool(dev.conduit.pipeline.WorkStealingPool<T> pool) {
        this.pool = pool;
    }

    /**
     * The Java view of a Kotlin pool: the same pool. Never blocks.
     *
     * @param <T> the item type
     * @param pool the Kotlin pool to share
     * @return a Java view of {@code pool}
     * @throws NullPointerException if {@code pool} is null
     */
    public static <T> WorkStealingPool<T> wrap(dev.conduit.pipeline.WorkStealingPool<T> pool) {
        return new WorkStealingPool<>(Objects.requireNonNull(pool, "pool"));
    }

    /**
     * Queues {@code item} on the next worker's queue (round-robin), blocking while the pool's
     * capacity is used.
     *
     * @param item the item to queue
     * @throws IllegalStateException if the pool is closed
     * @throws InterruptedException if interrupted while blocked; the item was then not queued
     * @throws NullPointerException if {@code item} is null
     */
    public void submit(T item) throws InterruptedException {
        PipelineCalls.submit(pool, Objects.requireNonNull(item, "item"));
    }

    /**
     * Queues {@code item} on worker {@code worker}'s queue (other workers may still steal it),
     * blocking while the pool's capacity is used.
     *
     * @param worker the index of the worker whose queue takes the item, from 0
     * @param item the item to queue
     * @throws IllegalArgumentException if {@code worker} is not in 0 to {@code workers() - 1}
     * @throws IllegalStateException if the pool is closed
     * @throws InterruptedException if interrupted while blocked; the item was then not queued
     * @throws NullPointerException if {@code item} is null
     */
    public void submitTo(int worker, T item) throws InterruptedException {
        PipelineCalls.submitTo(pool, worker, Objects.requireNonNull(item, "item"));
    }

    /** Stops taking items; the workers finish the queued ones, then stop. Never blocks. */
    public void close() {
        pool.close();
    }

    /**
     * Blocks until the workers have stopped (after {@link #close()}, or when the pipeline is
     * cancelled).
     *
     * @throws InterruptedException if interrupted first
     */
    public void join() throws InterruptedException {
        PipelineCalls.join(pool);
    }

    /**
     * How many workers (and queues) there are. Never blocks.
     *
     * @return the number of workers
     */
    public int workers() {
        return pool.getWorkers();
    }

    /**
     * Items handled by each worker so far. Never blocks.
     *
     * @return the count of items each worker handled, indexed by worker
     */
    public List<Long> processed() {
        return pool.processed();
    }

    /**
     * Items each worker stole from another's queue so far. Never blocks.
     *
     * @return the count of items each worker stole, indexed by worker
     */
    public List<Long> stolen() {
        return pool.stolen();
    }

    /**
     * The Kotlin pool behind this view: the same instance every call. Never blocks.
     *
     * @return the Kotlin pool behind this view
     */
    public dev.conduit.pipeline.WorkStealingPool<T> unwrap() {
        return pool;
    }

    @Override
    public String toString() {
        return pool.toString();
    }
}
