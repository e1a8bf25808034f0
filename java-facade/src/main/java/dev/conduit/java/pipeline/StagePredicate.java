package dev.conduit.java.pipeline;

/**
 * A filter's test for Java: may block and may throw.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface StagePredicate<T> {
    /**
     * Whether {@code item} passes. Runs on a goroutine thread, so it may block; it is
     * interrupted when the pipeline is cancelled.
     *
     * @param item the item to test
     * @return true if {@code item} passes
     * @throws Exception a failure of this item, which fails the stage
     */
    boolean test(T item) throws Exception;
}
