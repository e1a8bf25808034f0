package dev.conduit.pool

/** A worker's health, as [WorkerPool.workers] shows it. */
public enum class WorkerHealth {
    /** Running and idle (no job). */
    HEALTHY,

    /** Running at least one job. */
    BUSY,

    /** Its job ignored cancellation past [WorkerPoolConfig.stuckGrace]: abandoned and replaced, shown until that job returns. */
    STUCK,

    /** It crashed (its job threw an `Error`) and is being replaced. */
    RESTARTING,
}

/** One worker as seen at a moment: its [id], [profile], [health] and how many jobs it is [running]. */
public class WorkerInfo(
    /** The worker's number, unique in its pool. */
    public val id: Int,
    /** What the worker can do. */
    public val profile: WorkerProfile,
    /** Its health at the moment of the snapshot. */
    public val health: WorkerHealth,
    /** How many jobs it was running. */
    public val running: Int,
) {
    override fun toString(): String = "worker $id $health running=$running $profile"
}

/** A change in the number of workers: [from] and [to] counting live (not stuck) workers, and why. */
public class ScaleEvent(
    /** Live workers before. */
    public val from: Int,
    /** Live workers after. */
    public val to: Int,
    /** Why the pool scaled. */
    public val reason: Reason,
    /** Jobs queued when the decision was made. */
    public val queued: Int,
) {
    /** Why the pool scaled. */
    public enum class Reason {
        /** The queue was deeper than [WorkerPoolConfig.scaleUpQueueDepth] with the slots busy enough. */
        QUEUE_DEPTH,

        /** A worker was idle for [WorkerPoolConfig.keepAlive]. */
        IDLE,

        /** [WorkerPool.scale] was called. */
        MANUAL,

        /** A crashed or stuck worker was replaced. */
        REPLACED,

        /** The pool shut down. */
        SHUTDOWN,
    }

    override fun toString(): String = "scale $from -> $to ($reason, queued=$queued)"
}

/** A worker's health changed to [health] (to [WorkerHealth.STUCK] or [WorkerHealth.RESTARTING]). */
public class WorkerHealthEvent(
    /** The worker's number. */
    public val workerId: Int,
    /** Its new health. */
    public val health: WorkerHealth,
) {
    override fun toString(): String = "worker $workerId -> $health"
}

/**
 * Receives a [WorkerPool]'s decisions, on the thread that made them (a worker's, the pool's
 * check, or the caller of [WorkerPool.scale]); must not block. Both methods default to doing
 * nothing. The pool makes no event object while no listener is registered.
 */
public interface WorkerPoolListener {
    /** The pool scaled. */
    public fun onScale(event: ScaleEvent) {}

    /** A worker's health changed. */
    public fun onHealth(event: WorkerHealthEvent) {}
}
