package dev.conduit.pool

/**
 * A [WorkerPool]'s totals and histograms, all read and written under the pool's lock: the pool
 * takes that lock for every submit, start and finish anyway, so plain fields cost nothing more,
 * where atomic counters beside it made each job pay for cache lines bouncing between the
 * submitting thread and the workers. [snapshot] therefore sees one consistent moment.
 */
internal class PoolCounters {
    var submitted = 0L
    var completed = 0L
    var failed = 0L
    var cancelled = 0L
    var rejected = 0L
    var shed = 0L
    var retried = 0L
    var timedOut = 0L
    val queueWait = LogHistogram()
    val runTime = LogHistogram()

    /** The counters as [PoolMetrics], with the pool's state now ([running], [queued], [byHealth]). */
    fun snapshot(running: Int, queued: List<Int>, byHealth: Map<WorkerHealth, Int>): PoolMetrics = PoolMetrics(
        submitted, running, queued, completed, failed, cancelled, rejected, shed, retried, timedOut,
        queueWait.percentile(0.5), queueWait.percentile(0.99), runTime.percentile(0.5), runTime.percentile(0.99), byHealth,
    )
}

/**
 * A histogram of non-negative nanosecond values in power-of-two buckets: [record] is one array
 * increment. Not thread-safe: its owner guards it (the pool's lock).
 */
internal class LogHistogram {
    private val buckets = LongArray(64)

    fun record(nanos: Long) {
        buckets[bucketOf(nanos)]++
    }

    /** The upper bound of the bucket holding the [q] quantile (0 if empty). */
    fun percentile(q: Double): Long {
        val total = buckets.sum()
        if (total == 0L) return 0
        val rank = Math.ceil(q * total).toLong().coerceAtLeast(1)
        var seen = 0L
        for (i in 0 until 64) {
            seen += buckets[i]
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
