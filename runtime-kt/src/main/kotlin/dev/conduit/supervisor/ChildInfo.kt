package dev.conduit.supervisor

/** Where a supervised child is in its life, as [Supervisor.children] shows it. */
public enum class ChildState {
    /** Its coroutine is launched, its [SupervisedChild.run] not yet begun. */
    STARTING,

    /** Its [SupervisedChild.run] has begun and not ended. */
    RUNNING,

    /** The supervisor is stopping it (its context is cancelled; it has not ended yet). */
    STOPPING,

    /** It will be started again once its restart's backoff has passed. */
    RESTARTING,

    /** Not running, and not to be restarted: ended for good, stopped, or its supervisor is not running. */
    STOPPED,
}

/**
 * One child of a [Supervisor] at the moment of [Supervisor.children]: its [id], [state], restart
 * type, how many times it was restarted and its last failure. Immutable.
 */
public class ChildInfo internal constructor(
    /** The child's id. */
    public val id: String,
    /** Its state at the moment of the snapshot. */
    public val state: ChildState,
    /** Its restart type. */
    public val restart: RestartType,
    /** How many times it was restarted in this run of its supervisor. */
    public val restarts: Int,
    /** What its last failure threw, or `null` if it has not failed in this run. */
    public val lastFailure: Throwable?,
) {
    /** "id STATE restarts=N". */
    override fun toString(): String = "$id $state restarts=$restarts" + (lastFailure?.let { " lastFailure=$it" } ?: "")
}
