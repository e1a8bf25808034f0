package dev.conduit.resilience

/**
 * A snapshot of a [CircuitBreaker]'s counts ([CircuitBreaker.metrics]): totals since the breaker
 * was made, and the rates of its current window. Immutable; a Java-friendly value (getters).
 */
public class CircuitBreakerMetrics internal constructor(
    /** The state when the snapshot was taken. */
    public val state: CircuitBreakerState,
    /** Calls that ended with an outcome that counted (successes and failures; not ignored ones). */
    public val calls: Long,
    /** Calls that counted as successes. */
    public val successfulCalls: Long,
    /** Calls that counted as failures (exceptions and failed results, timeouts included). */
    public val failedCalls: Long,
    /** Failed calls that were timeouts (a context deadline, or a `TimeoutException`). */
    public val timeouts: Long,
    /** Calls that took at least the slow-call duration, successful or not. */
    public val slowCalls: Long,
    /** Calls whose exception was ignored. */
    public val ignoredCalls: Long,
    /** Calls refused (open, forced open, half-open out of probes, or held back by the ramp-up). */
    public val notPermittedCalls: Long,
    /** Outcomes the current window holds (the half-open probes' while half-open). */
    public val bufferedCalls: Long,
    /** The current window's failure rate in percent; -1 while it holds fewer than the minimum calls. */
    public val failureRate: Float,
    /** The current window's slow-call rate in percent; -1 while it holds fewer than the minimum calls. */
    public val slowCallRate: Float,
) {
    /** Every figure, for logs. Never blocks. */
    override fun toString(): String =
        "CircuitBreakerMetrics(state=$state, calls=$calls, successful=$successfulCalls, failed=$failedCalls, " +
            "timeouts=$timeouts, slow=$slowCalls, ignored=$ignoredCalls, notPermitted=$notPermittedCalls, " +
            "buffered=$bufferedCalls, failureRate=$failureRate, slowCallRate=$slowCallRate)"
}
