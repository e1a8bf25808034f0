package dev.conduit.pool

import dev.conduit.pool.JobHandle.Companion.ENDED
import dev.conduit.pool.JobHandle.Companion.QUEUED

/**
 * A [WorkerPool]'s waiting jobs: one [Lane] per set of required capabilities, one FIFO per
 * priority in each, with the counts. [poll] picks by the pool's rule: the highest effective
 * priority (priority plus one per [agingNanos] waited), ties to the longest waiting. A handle
 * that leaves the queue another way ([forget]) stays in its FIFO until it reaches the head and
 * is dropped there. Not thread-safe: the pool's lock guards it.
 */
internal class JobQueues(private val profiles: List<WorkerProfile>, private val levels: Int, private val agingNanos: Long) {
    private val lanes = ArrayList<Lane>().apply { add(Lane(emptySet(), maskOf(emptySet()), levels)) }
    private val queued = IntArray(levels)

    /** Jobs waiting, all lanes and priorities. */
    var total: Int = 0
        private set

    /** The lane of jobs that require nothing. */
    val plain: Lane get() = lanes[0]

    /** The lane of jobs requiring [required], made on first use; `null` if no single profile declares all of it. */
    fun laneFor(required: Set<String>): Lane? {
        for (l in lanes) if (l.requires == required) return l
        val mask = maskOf(required)
        if (mask == 0L) return null
        return Lane(required.toSet(), mask, levels).also { lanes.add(it) }
    }

    private fun maskOf(required: Set<String>): Long {
        var mask = 0L
        profiles.forEachIndexed { i, p -> if (p.canRun(required)) mask = mask or (1L shl i) }
        return mask
    }

    /** Queues [h] (state [QUEUED]) at the back of its FIFO, or at the front (a retry). */
    fun add(h: JobHandle<*>, atFront: Boolean) {
        h.state = QUEUED
        val q = h.lane.queues[h.level]
        if (atFront) q.addFirst(h) else q.addLast(h)
        queued[h.level]++
        total++
    }

    /** Uncounts [h], which was queued and has just left by a change of its state (it is dropped from its FIFO later). */
    fun forget(h: JobHandle<*>) {
        queued[h.level]--
        total--
    }

    /** Takes [h] out of its FIFO now. */
    fun remove(h: JobHandle<*>) {
        h.lane.queues[h.level].remove(h)
        forget(h)
    }

    /**
     * Takes the job a worker of profile [profileIndex] should run next at [now], or `null`.
     * Priorities `<=` [blockedUpTo] are passed over (sheddable ones that may not start now; -1 for none).
     */
    fun poll(profileIndex: Int, now: Long, blockedUpTo: Int): JobHandle<*>? {
        if (total == 0) return null
        var best: ArrayDeque<JobHandle<*>>? = null
        var bestScore = Long.MIN_VALUE
        var bestAt = Long.MAX_VALUE
        for (lane in lanes) {
            if (!lane.runnableBy(profileIndex)) continue
            for (level in levels - 1 downTo blockedUpTo + 1) {
                val q = lane.queues[level]
                val head = head(q) ?: continue
                val score = level + (now - head.enqueuedAt) / agingNanos
                if (score > bestScore || (score == bestScore && head.enqueuedAt < bestAt)) {
                    best = q
                    bestScore = score
                    bestAt = head.enqueuedAt
                }
            }
        }
        val h = best?.removeFirst() ?: return null
        forget(h)
        return h
    }

    /** The lane holding the job of the highest effective priority at [now], or `null` if none waits. */
    fun mostUrgentLane(now: Long): Lane? {
        var lane: Lane? = null
        var bestScore = Long.MIN_VALUE
        for (l in lanes) for (level in 0 until levels) {
            val head = head(l.queues[level]) ?: continue
            val score = level + (now - head.enqueuedAt) / agingNanos
            if (score > bestScore) { bestScore = score; lane = l }
        }
        return lane
    }

    /** Empties every FIFO: the still-queued jobs, now [ENDED], in the order they were queued. */
    fun drain(): List<JobHandle<*>> {
        val unrun = ArrayList<JobHandle<*>>()
        for (lane in lanes) for (q in lane.queues) {
            for (h in q) if (h.state == QUEUED) { h.state = ENDED; unrun.add(h) }
            q.clear()
        }
        queued.fill(0)
        total = 0
        unrun.sortBy { it.enqueuedAt }
        return unrun
    }

    /** Jobs waiting per priority (index = priority). */
    fun byPriority(): List<Int> = queued.toList()

    /** The first still-queued job of [q], dropping the ones that left before it. */
    private fun head(q: ArrayDeque<JobHandle<*>>): JobHandle<*>? {
        while (true) {
            val head = q.firstOrNull() ?: return null
            if (head.state == QUEUED) return head
            q.removeFirst()
        }
    }
}

/** The queues of the jobs that require one set of capabilities: one FIFO per priority. */
internal class Lane(val requires: Set<String>, private val profileMask: Long, levels: Int) {
    val queues: Array<ArrayDeque<JobHandle<*>>> = Array(levels) { ArrayDeque() }

    fun runnableBy(profileIndex: Int): Boolean = (profileMask ushr profileIndex) and 1L != 0L
}
