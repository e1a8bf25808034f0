package dev.conduit.resilience

import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds

/**
 * Something a [CircuitBreaker] did, given to its listeners ([CircuitBreaker.addListener]) on the
 * thread that caused it. Events are made only while a listener is registered: with none, the
 * breaker allocates nothing for them. A [CallEvent]'s duration is in nanoseconds, as the caller
 * measured it, and also as a `Duration`.
 */
public sealed class CircuitBreakerEvent {
    /** The breaker's name. */
    public abstract val breakerName: String

    /**
     * An event about one call that ran ([Success], [Error], [FailedResult], [IgnoredError],
     * [SlowCall]): it carries how long the call took.
     */
    public sealed class CallEvent : CircuitBreakerEvent() {
        /** How long the call took, in nanoseconds, as the caller measured it. */
        public abstract val durationNanos: Long

        /** How long the call took. Java reads it as `getDuration()`, a `java.time.Duration`. */
        @get:JvmSynthetic
        public val duration: Duration get() = durationNanos.nanoseconds

        /** [duration] as a `java.time.Duration` (Java's `getDuration()`); allocates it. Never blocks. */
        @JvmName("getDuration")
        public fun durationAsJava(): java.time.Duration = java.time.Duration.ofNanos(durationNanos)
    }

    /** The breaker moved from [from] to [to]. */
    public class StateTransition internal constructor(
        override val breakerName: String,
        /** The state before. */
        public val from: CircuitBreakerState,
        /** The state after. */
        public val to: CircuitBreakerState,
    ) : CircuitBreakerEvent() {
        /** "name: FROM -> TO". */
        override fun toString(): String = "$breakerName: $from -> $to"
    }

    /** A call succeeded (its exception or result did not count as a failure). */
    public class Success internal constructor(
        override val breakerName: String,
        override val durationNanos: Long,
    ) : CallEvent() {
        /** "name: success in N ns". */
        override fun toString(): String = "$breakerName: success in $durationNanos ns"
    }

    /** A call failed: it threw [error], which counts as a failure. */
    public class Error internal constructor(
        override val breakerName: String,
        override val durationNanos: Long,
        /** What the call threw. */
        public val error: Throwable,
        /** Whether it was a timeout (a context deadline, or a `TimeoutException`). */
        @get:JvmName("isTimeout") public val timeout: Boolean,
    ) : CallEvent() {
        /** "name: error ... in N ns". */
        override fun toString(): String = "$breakerName: ${if (timeout) "timeout" else "error"} $error in $durationNanos ns"
    }

    /** A call returned [result], which counts as a failure ([CircuitBreakerConfig.recordResult]). */
    public class FailedResult internal constructor(
        override val breakerName: String,
        override val durationNanos: Long,
        /** What the call returned. */
        public val result: Any?,
    ) : CallEvent() {
        /** "name: failed result ... in N ns". */
        override fun toString(): String = "$breakerName: failed result $result in $durationNanos ns"
    }

    /** A call threw [error], which counts as nothing ([CircuitBreakerConfig.ignoreException]). */
    public class IgnoredError internal constructor(
        override val breakerName: String,
        override val durationNanos: Long,
        /** What the call threw. */
        public val error: Throwable,
    ) : CallEvent() {
        /** "name: ignored ...". */
        override fun toString(): String = "$breakerName: ignored $error"
    }

    /** A call took at least [CircuitBreakerConfig.slowCallDuration]; given besides its success or error. */
    public class SlowCall internal constructor(
        override val breakerName: String,
        override val durationNanos: Long,
    ) : CallEvent() {
        /** "name: slow call of N ns". */
        override fun toString(): String = "$breakerName: slow call of $durationNanos ns"
    }

    /** A call was refused: the breaker was in [state]. */
    public class NotPermitted internal constructor(
        override val breakerName: String,
        /** The state that refused it. */
        public val state: CircuitBreakerState,
    ) : CircuitBreakerEvent() {
        /** "name: not permitted (STATE)". */
        override fun toString(): String = "$breakerName: not permitted ($state)"
    }
}

/**
 * Receives a [CircuitBreaker]'s events; a Java functional interface. It runs on the thread that
 * caused the event, inside the breaker's call path, so it should be quick and must not block.
 * What it throws goes to that thread's uncaught-exception handler; the call goes on.
 */
public fun interface CircuitBreakerListener {
    /** Handles one event. */
    public fun onEvent(event: CircuitBreakerEvent)
}
