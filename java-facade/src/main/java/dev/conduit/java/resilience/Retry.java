package dev.conduit.java.resilience;

import dev.conduit.context.Context;
import dev.conduit.java.internal.RetryCalls;
import dev.conduit.resilience.RetryMetrics;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Calls Java work again when it fails, as its {@link RetryConfig} says, for Java. The Java view
 * of the core {@link dev.conduit.resilience.Retry} ({@link #wrap}, {@link #unwrap}).
 *
 * <pre>{@code
 * Retry retry = Retry.create(RetryConfig.builder().maxAttempts(3).fixedBackoff(Duration.ofMillis(100)).build());
 * String page = retry.call(ctx, c -> http.get(url, c));     // throws IOException as http.get does
 * }</pre>
 *
 * <p>When it stops: a result the result predicate does not retry is returned; a failure the
 * failure predicate does not retry is rethrown at once, as it was thrown; when the attempts run
 * out, the last failure itself is rethrown (or the last result returned). If the budget refuses
 * a retry, or the next backoff would end at or after {@code ctx}'s deadline, it fails at once
 * (without sleeping) with {@link dev.conduit.resilience.RetryAbortedException}, whose cause is
 * the last failure. A context done before an attempt or during a backoff ends the call with its
 * error; once it is done no further attempt runs.
 *
 * <p>The work runs on a goroutine thread; backoffs sleep on {@code ctx}'s clock. Thread-safe:
 * one {@code Retry} serves any number of concurrent calls. {@code call} blocks;
 * {@code callAsync} and the rest never block.
 */
public final class Retry {
    private final dev.conduit.resilience.Retry core;

    private Retry(dev.conduit.resilience.Retry core) {
        this.core = core;
    }

    /**
     * A retry with the default config ({@link RetryConfig#defaults()}). Never blocks.
     *
     * @return the new retry
     */
    public static Retry create() {
        return create(RetryConfig.defaults());
    }

    /**
     * A retry with {@code config}. Never blocks.
     *
     * @param config how to retry
     * @return the new retry
     * @throws NullPointerException if {@code config} is null
     */
    public static Retry create(RetryConfig config) {
        return new Retry(new dev.conduit.resilience.Retry(Objects.requireNonNull(config, "config").unwrap()));
    }

    /**
     * The Java view of {@code core}: the same retry (and counters), not a copy. Never blocks.
     *
     * @param core the Kotlin retry
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static Retry wrap(dev.conduit.resilience.Retry core) {
        return new Retry(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core retry behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin retry this view shares
     */
    public dev.conduit.resilience.Retry unwrap() {
        return core;
    }

    /**
     * The config it retries by. Never blocks.
     *
     * @return the config
     */
    public RetryConfig config() {
        return RetryConfig.wrap(core.getConfig());
    }

    /**
     * Runs {@code call}, retrying as the config says, blocking until it succeeds or gives up.
     * Each attempt gets {@code ctx} itself.
     *
     * @param <T> the result type
     * @param <E> the checked exception the call may throw
     * @param ctx bounds the call: no attempt starts, and no backoff runs, past its end
     * @param call the work
     * @return the call's result
     * @throws E what the last attempt threw, as it threw it, when that ends the call
     * @throws dev.conduit.resilience.RetryAbortedException if the budget or {@code ctx}'s
     *     deadline forbids a retry
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done before an attempt or during a backoff
     * @throws InterruptedException if interrupted: the running attempt is interrupted and has ended
     * @throws NullPointerException if {@code ctx} or {@code call} is null
     */
    public <T extends @Nullable Object, E extends Exception> T call(Context ctx, CheckedCall<T, E> call) throws E, InterruptedException {
        return RetryCalls.call(core, Objects.requireNonNull(ctx, "ctx"), Objects.requireNonNull(call, "call"));
    }

    /**
     * Runs {@code call} as {@link #call(Context, CheckedCall)} without blocking: the future
     * completes with the result, or exceptionally with what {@code call} would throw.
     * Cancelling it cancels the call (the running attempt is interrupted, no retry follows).
     * Never blocks.
     *
     * @param <T> the result type
     * @param <E> the checked exception the call may throw
     * @param ctx bounds the call
     * @param call the work
     * @return a future of the call's result
     * @throws NullPointerException if {@code ctx} or {@code call} is null
     */
    public <T extends @Nullable Object, E extends Exception> CompletableFuture<T> callAsync(Context ctx, CheckedCall<T, E> call) {
        return RetryCalls.callAsync(core, Objects.requireNonNull(ctx, "ctx"), Objects.requireNonNull(call, "call"));
    }

    /**
     * The counters so far: calls, attempts, retries, retries refused by the budget and by the
     * deadline. Never blocks.
     *
     * @return a snapshot of the counters
     */
    public RetryMetrics metrics() {
        return core.metrics();
    }

    /** The config. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
