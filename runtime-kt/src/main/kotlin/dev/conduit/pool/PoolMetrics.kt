package dev.conduit.pool

import java.util.concurrent.atomic.AtomicLongArray

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

/**
 * A lock-free histogram of non-negative nanosecond values in power-of-two buckets: [record] is
 * one atomic increment, [percentile] reads the 64 counters (a moment's view, not a consistent
 * cut, which is fine for monitoring).
 */
internal class LogHistogram {
    private val buckets = AtomicLongArray(64)

    fun record(nanos: Long) {
        buckets.getAndIncrement(bucketOf(nanos))
    }

    /** The upper bound of the bucket holding the [q] quantile (0 if empty). */
    fun percentile(q: Double): Long {
        var total = 0L
        for (i in 0 until 64) total += buckets.get(i)
        if (total == 0L) return 0
        val rank = Math.ceil(q * total).toLong().coerceAtLeast(1)
        var seen = 0L
        for (i in 0 until 64) {
            seen += buckets.get(i)
            if (seen >= rank) return upperBound(i)
        }
        return upperBound(63)
    }

    companion object {
        /** Bucket 0 holds 0 and 1; bucket i holds `[2^i, 2^(i+1))`. */
        fun bucketOf(nanos: Long): Int = if (nanos <= 1) 0 else 63 - java.lang.Long.numberOfLeadingZeros(nanos)

        fun upperBound(bucket: Int): Long = if (bucket >= 62) Long.MAX_VALUE else (1L shl (bucket + 1)) - 1
    }
}
