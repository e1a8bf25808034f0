package dev.conduit.pool

/**
 * A snapshot of a [WorkerPool]'s counters ([WorkerPool.metrics]): totals since the pool was
 * made, and the state at the moment of the snapshot. Durations are in nanoseconds; percentiles
 * come from a log-2 histogram, so each is the upper bound of its power-of-two bucket (within 2x).
 */
public class PoolMetrics internal constructor(
    /** Jobs accepted by a submit. */
    public val submitted: Long,
    /** Jobs running now. */
    public val running: Int,
    /** Jobs waiting now, per priority (index = priority). */
    public val queuedByPriority: List<Int>,
    /** Jobs that ended with a value. */
    public val completed: Long,
    /** Jobs that ended with an exception (timeouts and lost workers included). */
    public val failed: Long,
    /** Jobs cancelled through their handle. */
    public val cancelled: Long,
    /** Jobs refused at submit (shed ones included) or dropped unrun by a shutdown. */
    public val rejected: Long,
    /** Sheddable jobs refused because the queue was at [WorkerPoolConfig.shedThreshold]. */
    public val shed: Long,
    /** Jobs run again after their worker died. */
    public val retried: Long,
    /** Jobs cancelled for outliving their timeout. */
    public val timedOut: Long,
    /** Median time from submit to start, ns. */
    public val queueWaitP50Nanos: Long,
    /** 99th percentile time from submit to start, ns. */
    public val queueWaitP99Nanos: Long,
    /** Median run time, ns. */
    public val runTimeP50Nanos: Long,
    /** 99th percentile run time, ns. */
    public val runTimeP99Nanos: Long,
    /** Workers now, by health. */
    public val workersByHealth: Map<WorkerHealth, Int>,
) {
    /** Jobs waiting now, all priorities. */
    public val queued: Int get() = queuedByPriority.sum()

    override fun toString(): String =
        "PoolMetrics(submitted=$submitted, running=$running, queued=$queuedByPriority, completed=$completed, failed=$failed, " +
            "cancelled=$cancelled, rejected=$rejected, shed=$shed, retried=$retried, timedOut=$timedOut, " +
            "wait p50/p99=$queueWaitP50Nanos/$queueWaitP99Nanos ns, run p50/p99=$runTimeP50Nanos/$runTimeP99Nanos ns, workers=$workersByHealth)"
}
