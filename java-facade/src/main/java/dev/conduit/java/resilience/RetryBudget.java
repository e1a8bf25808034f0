package dev.conduit.java.resilience;

import dev.conduit.Clock;
import dev.conduit.java.internal.RetryCalls;
import java.time.Duration;
import java.util.Objects;

/**
 * A limit on retries shared by every {@link Retry} (and every call) it is given to, as
 * Finagle's {@code RetryBudget} and gRPC's retry throttling, for Java. The Java view of the core
 * {@link dev.conduit.resilience.RetryBudget} ({@link #wrap}, {@link #unwrap}).
 *
 * <p>The rule: over the last {@code window} (counted in 10 slots of {@code window / 10}), a retry
 * is allowed if and only if {@code retries + 1 <= minRetriesPerWindow + percent / 100 * calls},
 * where {@code calls} are the first attempts recorded and {@code retries} the retries allowed in
 * that window. A refused retry is counted in {@link #rejected()}, not as a retry.
 *
 * <pre>{@code
 * RetryBudget budget = RetryBudget.create(20.0, 10, Duration.ofSeconds(10));   // 20 % of calls + 10 per 10 s
 * RetryConfig config = RetryConfig.builder().budget(budget).build();
 * }</pre>
 *
 * <p>Thread-safe; nothing here blocks.
 */
public final class RetryBudget {
    private final dev.conduit.resilience.RetryBudget core;

    private RetryBudget(dev.conduit.resilience.RetryBudget core) {
        this.core = core;
    }

    /**
     * A budget of {@code percent} of the calls plus {@code minRetriesPerWindow} retries per
     * {@code window}, on the system clock. Never blocks.
     *
     * @param percent the share of calls that may be retried, in [0, 100]
     * @param minRetriesPerWindow the retries always allowed per window, 0 or more
     * @param window the window's length, at least 10 ns
     * @return the new budget
     * @throws NullPointerException if {@code window} is null
     * @throws IllegalArgumentException if a value is out of range
     */
    public static RetryBudget create(double percent, int minRetriesPerWindow, Duration window) {
        return create(percent, minRetriesPerWindow, window, Clock.system());
    }

    /**
     * A budget as {@link #create(double, int, Duration)}, counting time on {@code clock} (a
     * virtual clock in tests). Never blocks.
     *
     * @param percent the share of calls that may be retried, in [0, 100]
     * @param minRetriesPerWindow the retries always allowed per window, 0 or more
     * @param window the window's length, at least 10 ns
     * @param clock the time source
     * @return the new budget
     * @throws NullPointerException if {@code window} or {@code clock} is null
     * @throws IllegalArgumentException if a value is out of range
     */
    public static RetryBudget create(double percent, int minRetriesPerWindow, Duration window, Clock clock) {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(clock, "clock");
        return new RetryBudget(RetryCalls.budget(percent, minRetriesPerWindow, window, clock));
    }

    /**
     * The Java view of {@code core}: the same budget, not a copy. Never blocks.
     *
     * @param core the Kotlin budget
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static RetryBudget wrap(dev.conduit.resilience.RetryBudget core) {
        return new RetryBudget(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core budget behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin budget this view shares
     */
    public dev.conduit.resilience.RetryBudget unwrap() {
        return core;
    }

    /** Counts a first attempt, for callers that retry by hand. Never blocks. */
    public void recordCall() {
        core.recordCall();
    }

    /**
     * Takes one retry if the rule allows it now, for callers that retry by hand. Never blocks.
     *
     * @return true if the retry may go ahead (it is counted), false if the budget is spent
     */
    public boolean tryRetry() {
        return core.tryRetry();
    }

    /**
     * How many retries the budget would allow now. Never blocks.
     *
     * @return the retries available, 0 or more
     */
    public long available() {
        return core.available();
    }

    /**
     * How many retries the budget has refused since it was made. Never blocks.
     *
     * @return the refusals so far
     */
    public long rejected() {
        return core.getRejected();
    }

    /**
     * The window's length. Never blocks.
     *
     * @return the window
     */
    public Duration window() {
        return RetryCalls.window(core);
    }

    /** The rule's settings and what is available now. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
