package dev.conduit.pool

import kotlinx.coroutines.CancellableContinuation

/**
 * One worker of a [WorkerPool], made from a [WorkerProfile]: its [slots] run its jobs, one at a
 * time each. Every field is read and written under the pool's lock.
 */
internal class PoolWorker(val id: Int, val profile: WorkerProfile, val profileIndex: Int) {
    val slots = Array(profile.capacity) { WorkerSlot(this) }
    var running = 0
    var slotsAlive = profile.capacity
    /** Takes no more jobs: retired, stuck, crashed or shut down. */
    var stopping = false
    /** [WorkerHealth.STUCK] or [WorkerHealth.RESTARTING] once it failed; `null` while healthy. */
    var health: WorkerHealth? = null

    fun healthNow(): WorkerHealth = health ?: if (running > 0) WorkerHealth.BUSY else WorkerHealth.HEALTHY
}

/** One job at a time of a [PoolWorker]: a long-lived coroutine of the pool. Fields under the pool's lock. */
internal class WorkerSlot(val worker: PoolWorker) {
    /** Its continuation while it waits, idle, for a job. */
    var parked: CancellableContinuation<JobHandle<*>?>? = null
    /** The continuation of a slot taken off the idle list, for the taker to resume outside the lock. */
    var waking: CancellableContinuation<JobHandle<*>?>? = null
    var idleSince = 0L
    var current: JobHandle<*>? = null
    var startedAt = 0L
    /** Given up as stuck: what its job does from now on no longer counts. */
    var abandoned = false
}
