package dev.conduit.supervisor

import kotlin.time.Duration.Companion.nanoseconds

/**
 * Something a [Supervisor] did or saw, given to its listeners ([Supervisor.addListener]) in
 * order, on the supervisor's coroutine. Events are made only while a listener is registered.
 * Each names the [supervisor]; nested supervisors have listeners of their own. Durations are in
 * nanoseconds (plain for Java; `delayNanos.nanoseconds` in Kotlin).
 */
public sealed class SupervisorEvent {
    /** The name of the supervisor that reports it. */
    public abstract val supervisor: String

    /** The supervisor's run began; its children start next. */
    public class Started internal constructor(override val supervisor: String) : SupervisorEvent() {
        /** "name: started". */
        override fun toString(): String = "$supervisor: started"
    }

    /** Child [childId]'s run has begun; [restarts] is how many times it was restarted before, in this run. */
    public class ChildStarted internal constructor(
        override val supervisor: String,
        /** The child's id. */
        public val childId: String,
        /** Its restarts so far: 0 for the first start. */
        public val restarts: Int,
    ) : SupervisorEvent() {
        /** "name: child id started" (with the restart count, once restarted). */
        override fun toString(): String =
            "$supervisor: child $childId started" + (if (restarts > 0) " (restart $restarts)" else "")
    }

    /** Child [childId]'s run returned on its own. */
    public class ChildExited internal constructor(
        override val supervisor: String,
        /** The child's id. */
        public val childId: String,
    ) : SupervisorEvent() {
        /** "name: child id exited". */
        override fun toString(): String = "$supervisor: child $childId exited"
    }

    /** Child [childId]'s run threw [error]. */
    public class ChildFailed internal constructor(
        override val supervisor: String,
        /** The child's id. */
        public val childId: String,
        /** What it threw. */
        public val error: Throwable,
    ) : SupervisorEvent() {
        /** "name: child id failed: error". */
        override fun toString(): String = "$supervisor: child $childId failed: $error"
    }

    /** Child [childId]'s health check said unhealthy (or threw [error]); it is stopped, and that counts as a failure. */
    public class ChildUnhealthy internal constructor(
        override val supervisor: String,
        /** The child's id. */
        public val childId: String,
        /** What [SupervisedChild.health] threw, or `null` if it returned `false`. */
        public val error: Throwable?,
    ) : SupervisorEvent() {
        /** "name: child id unhealthy". */
        override fun toString(): String = "$supervisor: child $childId unhealthy" + (error?.let { ": $it" } ?: "")
    }

    /**
     * A restart is decided: [childIds] (in start order; more than one under
     * [RestartStrategy.ONE_FOR_ALL] and [RestartStrategy.REST_FOR_ONE]) start again after
     * [delayNanos], because [cause] ended. The others in the group were stopped first.
     */
    public class RestartScheduled internal constructor(
        override val supervisor: String,
        /** The child whose end caused the restart. */
        public val cause: String,
        /** The children that restart, in start order. */
        public val childIds: List<String>,
        /** The backoff before they start, in nanoseconds. */
        public val delayNanos: Long,
        /** Restarts of [cause] in the last period, this one included: the backoff's argument. */
        public val attempt: Int,
    ) : SupervisorEvent() {
        /** `name: restarting [ids] in delay (attempt n, after cause)`. */
        override fun toString(): String = "$supervisor: restarting $childIds in ${delayNanos.nanoseconds} (attempt $attempt, after $cause)"
    }

    /**
     * The supervisor stopped child [childId]: it ended within its shutdown timeout, or, if
     * [forced], only once its coroutine was cancelled.
     */
    public class ChildStopped internal constructor(
        override val supervisor: String,
        /** The child's id. */
        public val childId: String,
        /** Whether its coroutine had to be cancelled after its shutdown timeout. */
        @get:JvmName("isForced") public val forced: Boolean,
        /** What [SupervisedChild.shutdown] threw, or `null`. */
        public val shutdownError: Throwable?,
    ) : SupervisorEvent() {
        /** "name: child id stopped" (and how). */
        override fun toString(): String =
            "$supervisor: child $childId stopped" + (if (forced) " (forced)" else "") + (shutdownError?.let { ", shutdown threw $it" } ?: "")
    }

    /**
     * Child [childId] ignored its context's cancellation and then its coroutine's for
     * [waitedNanos] in all: it is abandoned, still running, and the supervisor goes on without it.
     */
    public class ChildAbandoned internal constructor(
        override val supervisor: String,
        /** The child's id. */
        public val childId: String,
        /** How long the supervisor waited for it, in nanoseconds: twice its shutdown timeout. */
        public val waitedNanos: Long,
    ) : SupervisorEvent() {
        /** "name: child id abandoned after waited". */
        override fun toString(): String = "$supervisor: child $childId ignored cancellation, abandoned after ${waitedNanos.nanoseconds}"
    }

    /**
     * More than [maxRestarts] restarts in [SupervisorConfig.period]: the supervisor gives up, stops
     * its children and fails with [error].
     */
    public class Escalated internal constructor(
        override val supervisor: String,
        /** The most restarts allowed in a period. */
        public val maxRestarts: Int,
        /** The intensity window, in nanoseconds. */
        public val periodNanos: Long,
        /** What the supervisor fails with; its cause is the last child failure, if any. */
        public val error: SupervisorFailedException,
    ) : SupervisorEvent() {
        /** "name: more than N restarts in period, giving up". */
        override fun toString(): String = "$supervisor: more than $maxRestarts restarts in ${periodNanos.nanoseconds}, giving up"
    }

    /** The supervisor is shutting down: it stops its children in reverse order; [error] is why, `null` if its context ended. */
    public class Stopping internal constructor(
        override val supervisor: String,
        /** Why it stops, or `null` for an ordinary shutdown. */
        public val error: Throwable?,
    ) : SupervisorEvent() {
        /** "name: stopping". */
        override fun toString(): String = "$supervisor: stopping" + (error?.let { " ($it)" } ?: "")
    }

    /** The supervisor's children are all stopped (or abandoned); its run returns, or throws [error]. */
    public class Stopped internal constructor(
        override val supervisor: String,
        /** What its run throws, or `null`. */
        public val error: Throwable?,
    ) : SupervisorEvent() {
        /** "name: stopped". */
        override fun toString(): String = "$supervisor: stopped" + (if (error != null) " (failed)" else "")
    }
}

/**
 * Receives a [Supervisor]'s events ([SupervisorEvent]), in order, on the supervisor's coroutine:
 * it must not block or suspend (hand the event to a channel if it must). What it throws goes to
 * [dev.conduit.GoRuntime.report] and does not disturb the supervisor.
 */
public fun interface SupervisorListener {
    /** Takes one event. Must not block. */
    public fun onEvent(event: SupervisorEvent)
}

/**
 * A [Supervisor] gave up: more than [SupervisorConfig.maxRestarts] restarts in
 * [SupervisorConfig.period]. Its children are stopped when this is thrown; [cause] is the last
 * child failure (`null` if the child that ended last had returned). A supervisor's supervisor
 * treats it as that child's failure.
 */
public class SupervisorFailedException internal constructor(
    /** The name of the supervisor that gave up. */
    public val supervisor: String,
    /** The child whose end exceeded the intensity. */
    public val childId: String,
    message: String,
    cause: Throwable?,
) : RuntimeException(message, cause)

/**
 * The failure a [Supervisor] records for child [childId] when its health check said unhealthy
 * ([SupervisorEvent.ChildUnhealthy]); [cause] is what [SupervisedChild.health] threw, or `null`
 * if it returned `false`. Seen in [ChildInfo.lastFailure] and as the cause of a
 * [SupervisorFailedException].
 */
public class ChildUnhealthyException internal constructor(
    /** The child's id. */
    public val childId: String,
    cause: Throwable?,
) : RuntimeException("child '$childId' reported unhealthy", cause)
