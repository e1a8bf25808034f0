package dev.conduit.java.pipeline

import dev.conduit.pipeline.Scaling

/**
 * How a Java pipeline stage runs: immutable; each `with` method returns a changed copy.
 * `StageOptions.workers(4).ordered(false).capacity(16)`; `withWorkers(n)` changes the count of a
 * copy.
 */
public class StageOptions private constructor(
    /** Concurrent workers (the starting count when scaling). */
    public val workers: Int,
    /** Whether results leave in input order. */
    public val ordered: Boolean,
    /** The output channel's buffer. */
    public val capacity: Int,
    /** How the worker count adapts, or null for a fixed count. */
    public val scaling: Scaling?,
) {
    /** These options with [n] workers. */
    public fun withWorkers(n: Int): StageOptions = StageOptions(n, ordered, capacity, scaling)

    /** These options with ordered (or unordered) output. */
    public fun ordered(ordered: Boolean): StageOptions = StageOptions(workers, ordered, capacity, scaling)

    /** These options with an output buffer of [capacity]. */
    public fun capacity(capacity: Int): StageOptions = StageOptions(workers, ordered, capacity, scaling)

    /** These options with a scaling policy; workers start at its minimum. */
    public fun scaling(scaling: Scaling): StageOptions = StageOptions(scaling.min, ordered, capacity, scaling)

    override fun toString(): String = "StageOptions(workers=$workers, ordered=$ordered, capacity=$capacity, scaling=$scaling)"

    public companion object {
        /** One worker, ordered, rendezvous output. */
        @JvmStatic
        public fun defaults(): StageOptions = StageOptions(1, true, 0, null)

        /** [defaults] with [n] workers. */
        @JvmStatic
        public fun workers(n: Int): StageOptions = defaults().withWorkers(n)
    }
}
