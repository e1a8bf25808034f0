package dev.conduit.java.pipeline;

/**
 * The work of a Java consumer: may block and may throw.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface ItemConsumer<T> {
    /**
     * Handles one item, on a goroutine thread; interrupted when the pipeline is cancelled.
     *
     * @param item the item to handle
     * @throws Exception a failure, which fails the pipeline
     */
    void accept(T item) throws Exception;
}
