package dev.conduit.java.pipeline;

import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.internal.PipelineCalls;
import dev.conduit.pipeline.FanOutException;
import dev.conduit.pipeline.ItemFailure;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A running fan-out for Java: its results, failures and outcome. Made by
 * {@link Pipeline#fanOut(ReceiveChannel, int, dev.conduit.pipeline.FailurePolicy, StageFunction)}
 * (it exists only as part of a pipeline, so it has no {@code create});
 * {@link #wrap(dev.conduit.pipeline.FanOut)} is the Java view of a Kotlin fan-out and
 * {@link #unwrap()} the Kotlin fan-out behind this one. Thread-safe.
 *
 * @param <T> the input item type
 * @param <R> the result type
 */
public final class FanOut<T, R> {
    private final dev.conduit.pipeline.FanOut<T, R> fan;
    private final ReceiveChannel<R> results;

    private FanOut(dev.conduit.pipeline.FanOut<T, R> fan) {
        this.fan = fan;
        this.results = ReceiveChannel.wrap(fan.getResults());
    }

    /**
     * The Java view of a Kotlin fan-out: the same fan-out. Never blocks.
     *
     * @param <T> the input item type
     * @param <R> the result type
     * @param fan the Kotlin fan-out to share
     * @return a Java view of {@code fan}
     * @throws NullPointerException if {@code fan} is null
     */
    public static <T, R> FanOut<T, R> wrap(dev.conduit.pipeline.FanOut<T, R> fan) {
        return new FanOut<>(Objects.requireNonNull(fan, "fan"));
    }

    /**
     * Each successful result; closes when the fan-out ends, however it ends. Never blocks.
     *
     * @return the channel of successful results
     */
    public ReceiveChannel<R> results() {
        return results;
    }

    /**
     * The inputs that failed so far, each with its last error. Never blocks.
     *
     * @return the failed inputs so far
     */
    public List<ItemFailure<T>> failures() {
        return fan.failures();
    }

    /**
     * Blocks until every worker has ended (drain {@link #results()} meanwhile, or the workers
     * wait for you); returns normally if no input failed.
     *
     * @throws FanOutException listing every failed input with its cause
     * @throws InterruptedException if interrupted first (the fan-out keeps running)
     */
    public void await() throws FanOutException, InterruptedException {
        PipelineCalls.await(fan);
    }

    /**
     * Completes when every worker has ended: normally, or exceptionally with a
     * {@link FanOutException} listing every failed input. Cancelling the future stops waiting,
     * not the fan-out. Never blocks.
     *
     * @return a future that completes when every worker has ended, or exceptionally with a {@link
     *     FanOutException}
     */
    public CompletableFuture<@Nullable Void> awaitAsync() {
        return PipelineCalls.awaitAsync(fan);
    }

    /** Stops the fan-out: workers are cancelled and {@link #results()} closes. Never blocks. */
    public void cancel() {
        fan.cancel();
    }

    /**
     * The Kotlin fan-out behind this view: the same instance every call. Never blocks.
     *
     * @return the Kotlin fan-out behind this view
     */
    public dev.conduit.pipeline.FanOut<T, R> unwrap() {
        return fan;
    }

    @Override
    public String toString() {
        return fan.toString();
    }
}
