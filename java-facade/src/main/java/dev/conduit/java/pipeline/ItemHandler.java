package dev.conduit.java.pipeline;

/**
 * The work of a Java pool worker, told which worker it is: may block and may throw.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface ItemHandler<T> {
    /**
     * Handles one item as worker {@code worker} (0 to {@code workers - 1}), on a goroutine
     * thread; interrupted when the pipeline is cancelled.
     *
     * @param worker the index of the worker handling the item, from 0
     * @param item the item to handle
     * @throws Exception a failure, which fails the pipeline
     */
    void handle(int worker, T item) throws Exception;
}
