package dev.conduit.java.pipeline;

/**
 * A stage's transform for Java: may block and may throw.
 *
 * @param <T> the input item type
 * @param <R> the result type
 */
@FunctionalInterface
public interface StageFunction<T, R> {
    /**
     * Turns one item into its result, which must not be null (a null result fails the stage
     * with {@link NullPointerException}). Runs on a goroutine thread (virtual on JDK 21+), so it
     * may block; it is interrupted when the pipeline is cancelled.
     *
     * @param item the item to transform
     * @return the item's result, not null
     * @throws Exception a failure of this item (see the stage or fan-out for what follows)
     */
    R apply(T item) throws Exception;
}
