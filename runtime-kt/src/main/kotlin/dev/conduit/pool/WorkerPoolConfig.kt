package dev.conduit.pool

import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration

/**
 * What a kind of worker can do: the capabilities ([tags]) a [Job.requires] is matched against,
 * and its [capacity], how many jobs one such worker runs at once (its weight in load balancing:
 * a worker's load is its running jobs over its capacity).
 *
 * @throws IllegalArgumentException if [capacity] is below 1 or a tag is blank.
 */
public class WorkerProfile(tags: Set<String> = emptySet(), public val capacity: Int = 1) {
    /** The capabilities this kind of worker declares. */
    public val tags: Set<String> = tags.toSet()

    init {
        require(capacity >= 1) { "capacity must be >= 1, but was $capacity" }
        for (t in this.tags) require(t.isNotBlank()) { "tags must not be blank, but was '$t'" }
    }

    /** Whether a worker of this profile can run a job requiring [required]. Never blocks. */
    public fun canRun(required: Set<String>): Boolean = tags.containsAll(required)

    override fun toString(): String = "WorkerProfile(tags=$tags, capacity=$capacity)"

    override fun equals(other: Any?): Boolean = other is WorkerProfile && other.tags == tags && other.capacity == capacity

    override fun hashCode(): Int = tags.hashCode() * 31 + capacity
}

/**
 * The immutable settings of a [WorkerPool], made by [builder] (each setter rejects a bad value
 * at once, naming it; [Builder.build] checks the rules that span settings) or [defaults].
 */
public class WorkerPoolConfig private constructor(b: Builder) {
    /** The fewest workers the pool keeps (it starts with these). Default 1. */
    public val minWorkers: Int = b.minWorkers

    /** The most workers the pool scales to. Default: the number of processors (at least [minWorkers]). */
    public val maxWorkers: Int = b.maxWorkers ?: maxOf(b.minWorkers, Runtime.getRuntime().availableProcessors())

    /** How many jobs may wait; [WorkerPool.submit] suspends beyond it. Default 1024. */
    public val queueCapacity: Int = b.queueCapacity

    /** How many priority classes there are: `0 until priorities`, higher first. Default 3. */
    public val priorities: Int = b.priorities

    /**
     * Waiting this long raises a queued job's effective priority by one. Default 1 s. Java reads it
     * as `getAgingStep()`, a `java.time.Duration`.
     */
    @get:JvmSynthetic public val agingStep: Duration = b.agingStep

    /** [agingStep] as a `java.time.Duration` (Java's `getAgingStep()`). Never blocks. */
    @JvmName("getAgingStep")
    public fun agingStepAsJava(): java.time.Duration = agingStep.toJavaDuration()

    /**
     * A worker idle this long retires, if more than [minWorkers] run. Default 60 s. Java reads it
     * as `getKeepAlive()`, a `java.time.Duration`.
     */
    @get:JvmSynthetic public val keepAlive: Duration = b.keepAlive

    /** [keepAlive] as a `java.time.Duration` (Java's `getKeepAlive()`). Never blocks. */
    @JvmName("getKeepAlive")
    public fun keepAliveAsJava(): java.time.Duration = keepAlive.toJavaDuration()

    /**
     * How often the pool looks at its queue and workers to scale, retire and detect hangs. Default
     * 100 ms. Java reads it as `getCheckInterval()`, a `java.time.Duration`.
     */
    @get:JvmSynthetic public val checkInterval: Duration = b.checkInterval

    /** [checkInterval] as a `java.time.Duration` (Java's `getCheckInterval()`). Never blocks. */
    @JvmName("getCheckInterval")
    public fun checkIntervalAsJava(): java.time.Duration = checkInterval.toJavaDuration()

    /** The queue depth above which a check may add a worker. Default 0 (any waiting job). */
    public val scaleUpQueueDepth: Int = b.scaleUpQueueDepth

    /** The share of busy worker slots, in `(0, 1]`, at or above which a check may add a worker. Default 0.75. */
    public val scaleUpUtilisation: Double = b.scaleUpUtilisation

    /** Jobs of this priority and below are sheddable; -1 (the default) for none. */
    public val shedPriority: Int = b.shedPriority

    /** The queue depth at or above which a sheddable job is shed at submit. Default half of [queueCapacity]. */
    public val shedThreshold: Int = b.shedThreshold ?: (b.queueCapacity / 2)

    /** Worker slots that sheddable jobs may never occupy, kept for the higher classes. Default 0. */
    public val reservedSlots: Int = b.reservedSlots

    /**
     * How long a job may ignore its cancellation before its worker counts as hung and is replaced.
     * Default 5 s. Java reads it as `getStuckGrace()`, a `java.time.Duration`.
     */
    @get:JvmSynthetic public val stuckGrace: Duration = b.stuckGrace

    /** [stuckGrace] as a `java.time.Duration` (Java's `getStuckGrace()`). Never blocks. */
    @JvmName("getStuckGrace")
    public fun stuckGraceAsJava(): java.time.Duration = stuckGrace.toJavaDuration()

    /** The kinds of worker; scaling starts and stops workers of these. Default one plain profile. */
    public val profiles: List<WorkerProfile> = b.profiles

    /** A name for metrics and worker names. Default "pool". */
    public val name: String = b.name

    /** A builder that starts from these settings. Never blocks. */
    public fun toBuilder(): Builder = Builder(this)

    override fun toString(): String =
        "WorkerPoolConfig(name=$name, workers=$minWorkers..$maxWorkers, queueCapacity=$queueCapacity, priorities=$priorities, " +
            "agingStep=$agingStep, keepAlive=$keepAlive, shedPriority=$shedPriority, shedThreshold=$shedThreshold, " +
            "reservedSlots=$reservedSlots, profiles=$profiles)"

    /**
     * Builds a [WorkerPoolConfig]. Each setter throws [IllegalArgumentException] naming the
     * setting and the bad value, before changing anything; durations come as
     * `kotlin.time.Duration` or `java.time.Duration`. Not thread-safe; never blocks.
     */
    public class Builder internal constructor() {
        internal var minWorkers = 1
        internal var maxWorkers: Int? = null
        internal var queueCapacity = 1024
        internal var priorities = 3
        internal var agingStep: Duration = 1.seconds
        internal var keepAlive: Duration = 60.seconds
        internal var checkInterval: Duration = 100.milliseconds
        internal var scaleUpQueueDepth = 0
        internal var scaleUpUtilisation = 0.75
        internal var shedPriority = -1
        internal var shedThreshold: Int? = null
        internal var reservedSlots = 0
        internal var stuckGrace: Duration = 5.seconds
        internal var profiles: List<WorkerProfile> = listOf(WorkerProfile())
        internal var name = "pool"

        internal constructor(c: WorkerPoolConfig) : this() {
            minWorkers = c.minWorkers; maxWorkers = c.maxWorkers; queueCapacity = c.queueCapacity
            priorities = c.priorities; agingStep = c.agingStep; keepAlive = c.keepAlive
            checkInterval = c.checkInterval; scaleUpQueueDepth = c.scaleUpQueueDepth
            scaleUpUtilisation = c.scaleUpUtilisation; shedPriority = c.shedPriority
            shedThreshold = c.shedThreshold; reservedSlots = c.reservedSlots; stuckGrace = c.stuckGrace
            profiles = c.profiles; name = c.name
        }

        /** See [WorkerPoolConfig.minWorkers]. @throws IllegalArgumentException if below 1. */
        public fun minWorkers(n: Int): Builder = apply { minWorkers = atLeast("minWorkers", n, 1) }

        /** See [WorkerPoolConfig.maxWorkers]. @throws IllegalArgumentException if below 1. */
        public fun maxWorkers(n: Int): Builder = apply { maxWorkers = atLeast("maxWorkers", n, 1) }

        /** See [WorkerPoolConfig.queueCapacity]. @throws IllegalArgumentException if below 1. */
        public fun queueCapacity(n: Int): Builder = apply { queueCapacity = atLeast("queueCapacity", n, 1) }

        /** See [WorkerPoolConfig.priorities]. @throws IllegalArgumentException if not in 1..64. */
        public fun priorities(n: Int): Builder = apply {
            require(n in 1..64) { "priorities must be in 1..64, but was $n" }
            priorities = n
        }

        /** See [WorkerPoolConfig.agingStep]. @throws IllegalArgumentException if not positive. */
        public fun agingStep(step: Duration): Builder = apply { agingStep = positive("agingStep", step) }

        /** See [WorkerPoolConfig.agingStep]. @throws IllegalArgumentException if not positive. */
        public fun agingStep(step: java.time.Duration): Builder = agingStep(step.toKotlinDuration())

        /** See [WorkerPoolConfig.keepAlive]. @throws IllegalArgumentException if not positive. */
        public fun keepAlive(keepAlive: Duration): Builder = apply { this.keepAlive = positive("keepAlive", keepAlive) }

        /** See [WorkerPoolConfig.keepAlive]. @throws IllegalArgumentException if not positive. */
        public fun keepAlive(keepAlive: java.time.Duration): Builder = keepAlive(keepAlive.toKotlinDuration())

        /** See [WorkerPoolConfig.checkInterval]. @throws IllegalArgumentException if not positive and finite. */
        public fun checkInterval(interval: Duration): Builder = apply {
            checkInterval = positive("checkInterval", interval)
            require(interval.isFinite()) { "checkInterval must be finite, but was $interval" }
        }

        /** See [WorkerPoolConfig.checkInterval]. @throws IllegalArgumentException if not positive. */
        public fun checkInterval(interval: java.time.Duration): Builder = checkInterval(interval.toKotlinDuration())

        /** See [WorkerPoolConfig.scaleUpQueueDepth]. @throws IllegalArgumentException if negative. */
        public fun scaleUpQueueDepth(depth: Int): Builder = apply { scaleUpQueueDepth = atLeast("scaleUpQueueDepth", depth, 0) }

        /** See [WorkerPoolConfig.scaleUpUtilisation]. @throws IllegalArgumentException if not in (0, 1]. */
        public fun scaleUpUtilisation(share: Double): Builder = apply {
            require(share > 0.0 && share <= 1.0) { "scaleUpUtilisation must be in (0, 1], but was $share" }
            scaleUpUtilisation = share
        }

        /** See [WorkerPoolConfig.shedPriority]. @throws IllegalArgumentException if below -1. */
        public fun shedPriority(priority: Int): Builder = apply { shedPriority = atLeast("shedPriority", priority, -1) }

        /** See [WorkerPoolConfig.shedThreshold]. @throws IllegalArgumentException if negative. */
        public fun shedThreshold(depth: Int): Builder = apply { shedThreshold = atLeast("shedThreshold", depth, 0) }

        /** See [WorkerPoolConfig.reservedSlots]. @throws IllegalArgumentException if negative. */
        public fun reservedSlots(n: Int): Builder = apply { reservedSlots = atLeast("reservedSlots", n, 0) }

        /** See [WorkerPoolConfig.stuckGrace]. @throws IllegalArgumentException if not positive. */
        public fun stuckGrace(grace: Duration): Builder = apply { stuckGrace = positive("stuckGrace", grace) }

        /** See [WorkerPoolConfig.stuckGrace]. @throws IllegalArgumentException if not positive. */
        public fun stuckGrace(grace: java.time.Duration): Builder = stuckGrace(grace.toKotlinDuration())

        /** See [WorkerPoolConfig.profiles]. @throws IllegalArgumentException if empty or over 64. */
        public fun profiles(profiles: List<WorkerProfile>): Builder = apply {
            require(profiles.size in 1..64) { "profiles must hold 1..64 profiles, but held ${profiles.size}" }
            this.profiles = profiles.toList()
        }

        /** See [WorkerPoolConfig.name]. @throws IllegalArgumentException if blank. */
        public fun name(name: String): Builder = apply {
            require(name.isNotBlank()) { "name must not be blank, but was '$name'" }
            this.name = name
        }

        /**
         * The config. Never blocks.
         *
         * @throws IllegalArgumentException if `maxWorkers < minWorkers`, `minWorkers` is below
         *   the number of profiles (each profile keeps a worker), `shedPriority` is not below
         *   `priorities`, `shedThreshold` exceeds `queueCapacity`, or `reservedSlots` leaves
         *   sheddable jobs no slot of the fewest workers.
         */
        public fun build(): WorkerPoolConfig {
            val max = maxWorkers
            if (max != null) require(max >= minWorkers) { "maxWorkers must be >= minWorkers ($minWorkers), but was $max" }
            require(minWorkers >= profiles.size) {
                "minWorkers must be >= the number of profiles (${profiles.size}), but was $minWorkers"
            }
            require(shedPriority < priorities) { "shedPriority must be < priorities ($priorities), but was $shedPriority" }
            shedThreshold?.let { require(it <= queueCapacity) { "shedThreshold must be <= queueCapacity ($queueCapacity), but was $it" } }
            val fewestSlots = profiles.sumOf { it.capacity } + (minWorkers - profiles.size) * profiles.minOf { it.capacity }
            require(reservedSlots == 0 || reservedSlots < fewestSlots) {
                "reservedSlots must be < the slots of minWorkers ($fewestSlots), but was $reservedSlots"
            }
            return WorkerPoolConfig(this)
        }

        private fun atLeast(name: String, value: Int, min: Int): Int {
            require(value >= min) { "$name must be >= $min, but was $value" }
            return value
        }

        private fun positive(name: String, value: Duration): Duration {
            require(value.isPositive()) { "$name must be > 0, but was $value" }
            return value
        }
    }

    public companion object {
        private val DEFAULTS = Builder().build()

        /** A builder with every setting at its default. Never blocks. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** The all-defaults config. Never blocks. */
        @JvmStatic
        public fun defaults(): WorkerPoolConfig = DEFAULTS
    }
}
