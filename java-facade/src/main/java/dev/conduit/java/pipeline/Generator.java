package dev.conduit.java.pipeline;

import dev.conduit.java.chan.SendChannel;

/**
 * The body of a Java generator: sends items, blocking while the channel is full.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface Generator<T> {
    /**
     * Sends the items into {@code out}; the channel closes when this returns or throws. Runs on
     * a goroutine thread; interrupted when the pipeline is cancelled.
     *
     * @param out the channel to send the items into
     * @throws Exception a failure, which fails the pipeline
     */
    void generate(SendChannel<T> out) throws Exception;
}
