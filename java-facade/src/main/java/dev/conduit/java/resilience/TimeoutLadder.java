package dev.conduit.java.resilience;

import dev.conduit.context.Context;
import dev.conduit.java.internal.RetryCalls;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Runs attempts of a call with escalating timeouts, for Java: the first attempt gets the first
 * rung's timeout, and when it times out the next starts with the next rung's, and so on. With a
 * hedge bound, an attempt that has not answered within it gets the next rung started alongside,
 * and whichever answers first wins. The Java view of the core
 * {@link dev.conduit.resilience.TimeoutLadder} ({@link #wrap}, {@link #unwrap}).
 *
 * <pre>{@code
 * TimeoutLadder ladder = TimeoutLadder.create(List.of(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(1)));
 * Quote q = ladder.run(ctx, (c, attempt) -> pricing.quote(sku, c));
 * }</pre>
 *
 * <p>Each attempt runs on a goroutine thread of its own under a context derived from the
 * caller's with its rung's timeout. When that passes, or the attempt loses to another, it is
 * really cancelled: its context ends and its thread is interrupted, so blocking code that takes
 * the context or obeys interrupts stops. The next rung starts when the latest attempt times out,
 * fails with a failure the {@code nextRungOn} predicate accepts (by default none: a failure is
 * rethrown at once, as it was thrown, and the other attempts cancelled), or has run past the
 * hedge bound. After the last rung the run fails with
 * {@link dev.conduit.resilience.LadderExhaustedException}, which carries every attempt's failure
 * (a {@code java.util.concurrent.TimeoutException} for one that timed out). A run returns only
 * once every attempt it started has ended.
 *
 * <p>{@link #nextTimeout()} and {@link #reset()} keep one shared, atomic position for callers
 * that step through the rungs by hand; {@code run} keeps its own per call.
 *
 * <p>Thread-safe. {@code run} blocks; {@code runAsync} and the rest never block.
 */
public final class TimeoutLadder {
    private final dev.conduit.resilience.TimeoutLadder core;

    private TimeoutLadder(dev.conduit.resilience.TimeoutLadder core) {
        this.core = core;
    }

    /**
     * A ladder with these rungs, without hedging; a failure goes straight to the caller. Never blocks.
     *
     * @param timeouts the rungs' timeouts, strictly increasing, each positive
     * @return the new ladder
     * @throws NullPointerException if {@code timeouts} or one of them is null
     * @throws IllegalArgumentException if {@code timeouts} is empty or not increasing, or a rung is not positive
     */
    public static TimeoutLadder create(List<Duration> timeouts) {
        return create(timeouts, null, e -> false);
    }

    /**
     * A ladder with these rungs that starts the next rung alongside an attempt that has run
     * {@code hedgeAfter} without answering. Never blocks.
     *
     * @param timeouts the rungs' timeouts, strictly increasing, each positive
     * @param hedgeAfter the latency after which the next rung starts alongside; null never hedges
     * @return the new ladder
     * @throws NullPointerException if {@code timeouts} or one of them is null
     * @throws IllegalArgumentException if {@code timeouts} is empty or not increasing, a rung is
     *     not positive, or {@code hedgeAfter} is not positive
     */
    public static TimeoutLadder create(List<Duration> timeouts, @Nullable Duration hedgeAfter) {
        return create(timeouts, hedgeAfter, e -> false);
    }

    /**
     * A ladder as {@link #create(List, Duration)} whose attempts that fail with a failure
     * {@code nextRungOn} accepts go on to the next rung (as a timed-out one does) instead of
     * failing the run. Never blocks.
     *
     * @param timeouts the rungs' timeouts, strictly increasing, each positive
     * @param hedgeAfter the latency after which the next rung starts alongside; null never hedges
     * @param nextRungOn which failures go to the next rung
     * @return the new ladder
     * @throws NullPointerException if {@code timeouts}, one of them or {@code nextRungOn} is null
     * @throws IllegalArgumentException if {@code timeouts} is empty or not increasing, a rung is
     *     not positive, or {@code hedgeAfter} is not positive
     */
    public static TimeoutLadder create(List<Duration> timeouts, @Nullable Duration hedgeAfter, Predicate<? super Throwable> nextRungOn) {
        Objects.requireNonNull(timeouts, "timeouts");
        for (int i = 0; i < timeouts.size(); i++) Objects.requireNonNull(timeouts.get(i), "timeouts[" + i + "]");
        Objects.requireNonNull(nextRungOn, "nextRungOn");
        return new TimeoutLadder(RetryCalls.ladder(timeouts, hedgeAfter, nextRungOn));
    }

    /**
     * The Java view of {@code core}: the same ladder, not a copy. Never blocks.
     *
     * @param core the Kotlin ladder
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static TimeoutLadder wrap(dev.conduit.resilience.TimeoutLadder core) {
        return new TimeoutLadder(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core ladder behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin ladder this view shares
     */
    public dev.conduit.resilience.TimeoutLadder unwrap() {
        return core;
    }

    /**
     * The rungs' timeouts, in order. Never blocks.
     *
     * @return an unmodifiable list of the timeouts
     */
    public List<Duration> timeouts() {
        return List.copyOf(RetryCalls.timeouts(core));
    }

    /**
     * The hedge bound, if the ladder hedges. Never blocks.
     *
     * @return the latency after which the next rung starts alongside, or empty
     */
    public Optional<Duration> hedgeAfter() {
        return Optional.ofNullable(RetryCalls.hedgeAfter(core));
    }

    /**
     * The next rung's timeout for a caller stepping by hand, moving the shared position on by
     * one; empty once every rung has been given out (until {@link #reset()}). Atomic:
     * concurrent callers each get a different rung. Never blocks.
     *
     * @return the next timeout, or empty after the last rung
     */
    public Optional<Duration> nextTimeout() {
        return Optional.ofNullable(RetryCalls.nextTimeout(core));
    }

    /** Moves the shared position of {@link #nextTimeout()} back to the first rung. Atomic; never blocks. */
    public void reset() {
        core.reset();
    }

    /**
     * Runs {@code call} with escalating timeouts, blocking until an attempt answers, the rungs
     * run out or {@code ctx} is done.
     *
     * @param <T> the result type
     * @param <E> the checked exception the call may throw
     * @param ctx bounds the whole run; each attempt gets a child of it
     * @param call one attempt, given its context and number (from 1)
     * @return the first answer
     * @throws E what an attempt threw, as it threw it, when the {@code nextRungOn} predicate does not accept it
     * @throws dev.conduit.resilience.LadderExhaustedException if no attempt answered in time
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is done first
     * @throws InterruptedException if interrupted: every attempt is cancelled and has ended
     * @throws NullPointerException if {@code ctx} or {@code call} is null
     */
    public <T extends @Nullable Object, E extends Exception> T run(Context ctx, LadderCall<T, E> call) throws E, InterruptedException {
        return RetryCalls.run(core, Objects.requireNonNull(ctx, "ctx"), Objects.requireNonNull(call, "call"));
    }

    /**
     * Runs {@code call} as {@link #run(Context, LadderCall)} without blocking: the future
     * completes with the first answer, or exceptionally with what {@code run} would throw.
     * Cancelling it cancels every attempt. Never blocks.
     *
     * @param <T> the result type
     * @param <E> the checked exception the call may throw
     * @param ctx bounds the whole run; each attempt gets a child of it
     * @param call one attempt, given its context and number (from 1)
     * @return a future of the first answer
     * @throws NullPointerException if {@code ctx} or {@code call} is null
     */
    public <T extends @Nullable Object, E extends Exception> CompletableFuture<T> runAsync(Context ctx, LadderCall<T, E> call) {
        return RetryCalls.runAsync(core, Objects.requireNonNull(ctx, "ctx"), Objects.requireNonNull(call, "call"));
    }

    /** The rungs and the hedge bound. Never blocks. */
    @Override
    public String toString() {
        return "TimeoutLadder(timeouts=" + timeouts() + ", hedgeAfter=" + hedgeAfter().map(Duration::toString).orElse("none") + ")";
    }
}
