package dev.conduit.pool

import dev.conduit.Clock
import dev.conduit.GoRuntime
import dev.conduit.Stoppable
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import dev.conduit.context.runWithContext
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.coroutines.resume
import kotlin.time.toJavaDuration
import dev.conduit.pool.JobHandle.Companion.CANCELLING
import dev.conduit.pool.JobHandle.Companion.ENDED
import dev.conduit.pool.JobHandle.Companion.NONE
import dev.conduit.pool.JobHandle.Companion.QUEUED
import dev.conduit.pool.JobHandle.Companion.RUNNING

/**
 * A self-scaling pool of workers that run [Job]s by priority: Go's `ants`/`pond` and Java's
 * `ThreadPoolExecutor` in one. Workers are long-lived coroutines in `scope` (no coroutine per
 * job); each runs one job at a time per slot of its [WorkerProfile.capacity].
 *
 * ```
 * val pool = WorkerPool(WorkerPoolConfig.builder().minWorkers(2).maxWorkers(8).build())
 * val h = pool.submit(Job(priority = 2) { ctx -> fetch(ctx, url) })
 * println(h.await())
 * val unrun = pool.shutdown(Context.background().withTimeout(5.seconds))
 * ```
 *
 * ## Submitting
 * [submit] suspends while [WorkerPoolConfig.queueCapacity] jobs wait (backpressure); [trySubmit]
 * returns `null` instead; [submitAll] hands a batch over under one lock. A job goes straight to
 * an idle capable worker when there is one, else into the queue. Each returns a [JobHandle].
 *
 * ## Guarantees of the priority classes
 * - **Strict priority with aging**: a free worker takes the queued job with the highest
 *   effective priority, its [Job.priority] plus one per [WorkerPoolConfig.agingStep] waited
 *   (ties: the longest waiting). So a low-priority job waiting `(high - low) * agingStep`
 *   competes with fresh high-priority ones as an equal and then wins: nothing starves.
 *   Within one priority, jobs start in submit order.
 * - **Sheddable class**: jobs of priority `<=` [WorkerPoolConfig.shedPriority] are refused at
 *   submit with [JobRejectedException] ([JobRejectedException.Reason.SHED], counted in
 *   [PoolMetrics.shed]) while [WorkerPoolConfig.shedThreshold] or more jobs are queued; higher
 *   classes are never shed (they wait, as backpressure).
 * - **Reserved slots**: sheddable jobs never occupy more than all slots minus
 *   [WorkerPoolConfig.reservedSlots], so that many slots always stay free for the higher classes.
 *
 * ## Scaling
 * Every [WorkerPoolConfig.checkInterval] (on the pool's clock) the pool adds one worker if more than
 * [WorkerPoolConfig.scaleUpQueueDepth] jobs wait and at least [WorkerPoolConfig.scaleUpUtilisation]
 * of the slots are busy, up to [WorkerPoolConfig.maxWorkers]; otherwise it retires one worker
 * idle for [WorkerPoolConfig.keepAlive], down to [WorkerPoolConfig.minWorkers] and never the last
 * worker of a profile. [scale] sets the number by hand. Each decision is a [ScaleEvent] to the
 * [WorkerPoolListener]s (none is made while nobody listens).
 *
 * ## Health
 * A job past its [Job.timeout] is cancelled and fails with [JobTimeoutException]. A job that
 * ignores its cancellation (timeout, [JobHandle.cancel], shutdown) for [WorkerPoolConfig.stuckGrace]
 * marks its worker [WorkerHealth.STUCK]: that job's slot is abandoned, the worker takes no more
 * jobs (its other slots finish the jobs they run, undisturbed) and a new worker is started. A job
 * that throws an `Error` is taken as its worker crashing: the worker shows
 * [WorkerHealth.RESTARTING] and is replaced. In both cases a job with retry budget left
 * ([Job.maxRetries]) runs again on another worker (counted in [PoolMetrics.retried]); one
 * without fails with [WorkerLostException].
 *
 * ## Capabilities
 * Workers are made from [WorkerPoolConfig.profiles]; a job requiring tags ([Job.requires]) runs
 * only on a worker whose profile declares them all, the least loaded (running jobs over
 * capacity) of the idle ones when it is handed over. A job no profile can run is refused at
 * submit ([JobRejectedException.Reason.NO_CAPABLE_WORKER]) with a message naming the capability.
 *
 * ## Shutdown
 * [shutdown] stops intake, lets queued and running jobs finish until its context ends, then
 * cancels what still runs and returns the jobs that never ran (their handles fail with
 * [JobRejectedException.Reason.SHUTDOWN]); [shutdownNow] does that at once. No job is dropped
 * silently: every handle ends.
 *
 * Thread-safe. Listeners run under no lock of the pool.
 *
 * @param config the settings.
 * @param scope where the workers run (its dispatcher runs the jobs); the pool's coroutines are
 *   children of a supervisor under its job. For many tiny jobs, a dispatcher of the pool's own
 *   (`Executors.newFixedThreadPool(maxWorkers).asCoroutineDispatcher()`) wakes parked workers
 *   faster than the shared `Dispatchers.Default` (the benchmarks' README has the figures).
 * @param clock the time of timeouts, aging, keep-alive and checks (a virtual clock in tests).
 */
public class WorkerPool(
    /** The settings this pool was made with. */
    public val config: WorkerPoolConfig = WorkerPoolConfig.defaults(),
    scope: CoroutineScope = GoRuntime.scope,
    private val clock: Clock = Clock.system(),
) {
    private val lock = Any()
    private val workerScope = CoroutineScope(scope.coroutineContext + SupervisorJob(scope.coroutineContext[kotlinx.coroutines.Job]))
    private val baseCtx = Context.background(clock)
    private val levels = config.priorities
    private val agingNanos = config.agingStep.inWholeNanoseconds.coerceAtLeast(1)
    private val keepAliveNanos = config.keepAlive.inWholeNanoseconds
    private val graceNanos = config.stuckGrace.inWholeNanoseconds
    private val checkNanos = config.checkInterval.inWholeNanoseconds
    private val shedPriority = config.shedPriority

    // ---- state under the lock ------------------------------------------------------------
    private val queue = JobQueues(config.profiles, levels, agingNanos)
    private val idle = ArrayList<WorkerSlot>()
    private val workers = ArrayList<PoolWorker>()
    private val submitters = ArrayDeque<CancellableContinuation<Unit>>()
    private var phase = OPEN
    private var running = 0
    private var runningSheddable = 0
    private var liveWorkers = 0
    private var liveSlots = 0
    private var nextWorkerId = 0
    private var checkTimer: Stoppable? = null

    private val drained = CompletableDeferred<Unit>()
    private val listeners = CopyOnWriteArrayList<WorkerPoolListener>()

    private val counts = PoolCounters()

    init {
        synchronized(lock) {
            for (i in 0 until config.minWorkers) startWorkerLocked(config.profiles[i % config.profiles.size])
            scheduleCheckLocked()
        }
    }

    // ---- submitting ----------------------------------------------------------------------

    /**
     * Submits [job], suspending while the queue is full. Cancelling the suspended call submits
     * nothing.
     *
     * @return the job's handle.
     * @throws IllegalArgumentException if the job's priority is not in `0 until priorities`.
     * @throws JobRejectedException if the job is shed, no worker profile can run it, or the pool
     *   is shutting down (also when that happens while this waits).
     */
    public suspend fun <T> submit(job: Job<T>): JobHandle<T> {
        val h = handleFor(job)
        while (!offer(h)) awaitRoom()
        return h
    }

    /**
     * Submits [job] if the queue has room (or a worker is idle) now. Never blocks.
     *
     * @return the job's handle, or `null` if the queue is full.
     * @throws IllegalArgumentException if the job's priority is not in `0 until priorities`.
     * @throws JobRejectedException as [submit].
     */
    public fun <T> trySubmit(job: Job<T>): JobHandle<T>? {
        val h = handleFor(job)
        return if (offer(h)) h else null
    }

    /**
     * Submits every job of [jobs] in order, handing them over under one lock (and again for
     * the rest whenever the queue was full and had room again), suspending while it is full. A
     * sheddable job shed on the way is not thrown: its handle fails with [JobRejectedException].
     * If this is cancelled while waiting, or the pool shuts down meanwhile, the jobs already
     * handed over are cancelled as by [JobHandle.cancel] (a queued one is taken out, a running
     * one is cancelled; one that already ended stays ended), since the caller gets none of their
     * handles.
     *
     * @return the handles, in the order of [jobs].
     * @throws IllegalArgumentException if any job's priority is out of range (nothing is submitted).
     * @throws JobRejectedException if any job needs a capability no profile has (nothing is
     *   submitted), or the pool shuts down (nothing stays submitted, as above).
     */
    public suspend fun <T> submitAll(jobs: List<Job<T>>): List<JobHandle<T>> {
        val handles = jobs.map { handleFor(it) }
        var next = 0
        try {
            while (true) {
                var start: ArrayList<WorkerSlot>? = null
                // The shed ones, listed under the lock: by the time it is released, a handed-over job
                // may have run and ended as well, so its state cannot tell the two apart.
                var shedNow: ArrayList<JobHandle<T>>? = null
                synchronized(lock) {
                    checkOpenLocked()
                    val now = clock.nanoTime()
                    while (next < handles.size) {
                        val h = handles[next]
                        if (isSheddable(h.level) && queue.total >= config.shedThreshold) {
                            h.state = ENDED
                            countShedLocked()
                            (shedNow ?: ArrayList<JobHandle<T>>().also { shedNow = it }).add(h)
                        } else {
                            val slot = idleSlotForLocked(h)
                            if (slot != null) {
                                startLocked(slot, h, now)
                                (start ?: ArrayList<WorkerSlot>().also { start = it }).add(slot)
                            } else if (queue.total < config.queueCapacity) {
                                h.enqueuedAt = now
                                queue.add(h, atFront = false)
                            } else {
                                break
                            }
                            counts.submitted++
                        }
                        next++
                    }
                }
                start?.forEach { wake(it) }
                shedNow?.forEach { it.future.failByOperation(shedException(it)) }
                if (next == handles.size) return handles
                awaitRoom()
            }
        } catch (e: Throwable) {
            // A cancellation, or the pool shutting down, while waiting for room: the caller gets
            // none of the handles, so the jobs already handed over are withdrawn.
            for (i in 0 until next) handles[i].cancel()
            throw e
        }
    }

    /** A handle for [job] in its lane, or the refusal of a bad priority or an impossible capability. */
    private fun <T> handleFor(job: Job<T>): JobHandle<T> {
        val p = job.priority
        require(p in 0 until levels) { "priority must be in 0 until $levels, but was $p" }
        val required = job.requires
        val lane = if (required.isEmpty()) queue.plain else synchronized(lock) { laneLocked(required) }
        return JobHandle(job, this, p, lane)
    }

    private fun laneLocked(required: Set<String>): Lane =
        queue.laneFor(required) ?: run {
            counts.rejected++
            val missing = required.filter { tag -> config.profiles.none { tag in it.tags } }
            val what = if (missing.isNotEmpty()) "no worker profile declares ${missing.joinToString()}"
            else "no single worker profile declares all of ${required.joinToString()}"
            throw JobRejectedException(JobRejectedException.Reason.NO_CAPABLE_WORKER, "no worker can run a job requiring $required: $what")
        }

    /** Hands [h] to an idle worker or queues it: `false` if the queue is full. */
    private fun offer(h: JobHandle<*>): Boolean {
        val slot: WorkerSlot?
        synchronized(lock) {
            checkOpenLocked()
            if (isSheddable(h.level) && queue.total >= config.shedThreshold) {
                h.state = ENDED
                countShedLocked()
                throw shedException(h)
            }
            val now = clock.nanoTime()
            slot = idleSlotForLocked(h)
            if (slot != null) {
                startLocked(slot, h, now)
            } else {
                if (queue.total >= config.queueCapacity) return false
                h.enqueuedAt = now
                queue.add(h, atFront = false)
            }
            counts.submitted++
        }
        if (slot != null) wake(slot)
        return true
    }

    private fun countShedLocked() {
        counts.shed++
        counts.rejected++
    }

    private fun shedException(h: JobHandle<*>): JobRejectedException {
        return JobRejectedException(
            JobRejectedException.Reason.SHED,
            "job of priority ${h.level} shed: ${config.shedThreshold} or more jobs queued (shedThreshold), and priorities <= $shedPriority are sheddable",
        )
    }

    private fun checkOpenLocked() {
        if (phase != OPEN) {
            counts.rejected++
            throw JobRejectedException(JobRejectedException.Reason.SHUTDOWN, "the pool '${config.name}' is shut down: no new jobs")
        }
    }

    private fun isSheddable(level: Int) = level <= shedPriority

    /** Whether a sheddable job may start now: it would leave the reserved slots free. */
    private fun sheddableMayStartLocked() = runningSheddable < liveSlots - config.reservedSlots

    /** Suspends until the queue may have room (or the pool is shutting down). */
    private suspend fun awaitRoom() {
        suspendCancellableCoroutine { c ->
            val ready = synchronized(lock) {
                (phase != OPEN || queue.total < config.queueCapacity).also { if (!it) submitters.addLast(c) }
            }
            if (ready) {
                c.resume(Unit)
            } else {
                c.invokeOnCancellation {
                    // If a wake-up was spent on this cancelled waiter, pass it on.
                    val next = synchronized(lock) { if (!submitters.remove(c) && queue.total < config.queueCapacity) submitters.removeFirstOrNull() else null }
                    next?.resume(Unit)
                }
            }
        }
    }

    /** The idle slot of the least loaded worker able to run [h] now, taken off the idle list; or `null`. */
    private fun idleSlotForLocked(h: JobHandle<*>): WorkerSlot? {
        if (idle.isEmpty() || (isSheddable(h.level) && !sheddableMayStartLocked())) return null
        var best = -1
        for (i in idle.indices.reversed()) { // the most recently idle first: the others may retire
            val w = idle[i].worker
            if (!h.lane.runnableBy(w.profileIndex)) continue
            if (best < 0 || w.running * idle[best].worker.profile.capacity < idle[best].worker.running * w.profile.capacity) best = i
            if (w.running == 0) break
        }
        if (best < 0) return null
        return takeIdleLocked(best)
    }

    /** Takes idle slot [index] off the list, its continuation with it (so that nothing else resumes it). */
    private fun takeIdleLocked(index: Int): WorkerSlot {
        val slot = idle[index]
        idle[index] = idle[idle.size - 1]
        idle.removeAt(idle.size - 1)
        slot.waking = slot.parked
        slot.parked = null
        return slot
    }

    /** Marks [h] running on [slot]; [now] is the start time. */
    private fun startLocked(slot: WorkerSlot, h: JobHandle<*>, now: Long) {
        if (h.attempts == 0) counts.queueWait.record(if (h.state == QUEUED) now - h.enqueuedAt else 0)
        h.state = RUNNING
        h.attempts++
        h.cancelAskedAt = NONE
        slot.current = h
        slot.startedAt = now
        running++
        slot.worker.running++
        if (isSheddable(h.level)) runningSheddable++
    }

    /** Resumes a slot taken off the idle list with the job given to it. */
    private fun wake(slot: WorkerSlot) {
        val c = slot.waking!!
        slot.waking = null
        c.resume(slot.current)
    }

    // ---- workers -------------------------------------------------------------------------

    private fun startWorkerLocked(profile: WorkerProfile): PoolWorker {
        val w = PoolWorker(nextWorkerId++, profile, config.profiles.indexOf(profile))
        workers.add(w)
        liveWorkers++
        liveSlots += profile.capacity
        for (s in w.slots) workerScope.launch { runSlot(s) }
        return w
    }

    private suspend fun runSlot(slot: WorkerSlot) {
        try {
            var h = next(slot)
            while (h != null) {
                val after = execute(slot, h)
                h = if (after === IDLE) next(slot) else after as JobHandle<*>?
            }
        } finally {
            val outside = Outside()
            synchronized(lock) {
                idle.remove(slot)
                val w = slot.worker
                val h = slot.current
                if (h != null && !slot.abandoned) { // given to this slot as its scope was cancelled
                    slot.current = null
                    w.running--
                    running--
                    if (isSheddable(h.level)) runningSheddable--
                    if (h.state == RUNNING) retryOrLoseLocked(h, null, "the pool's scope was cancelled", outside)
                    checkDrainedLocked(outside)
                }
                if (--w.slotsAlive == 0) workers.remove(w)
                if (!w.stopping) { // the scope was cancelled under it
                    w.stopping = true
                    liveWorkers--
                    liveSlots -= w.profile.capacity
                }
            }
            outside.run()
        }
    }

    /**
     * The slot's next job, parking it while there is none; `null` when it is to stop. The
     * worker comes here only when it finds the queue empty (at its start, and when [finish]
     * found nothing to take), so it looks once more under the lock and then parks.
     */
    private suspend fun next(slot: WorkerSlot): JobHandle<*>? =
        suspendCancellableCoroutine { c ->
            var wakeRoom: CancellableContinuation<Unit>? = null
            val now = synchronized(lock) {
                if (slot.worker.stopping) return@synchronized null
                val taken = pollLocked(slot)
                if (taken == null) {
                    slot.parked = c
                    slot.idleSince = clock.nanoTime()
                    idle.add(slot)
                } else {
                    wakeRoom = submitters.removeFirstOrNull()
                }
                taken ?: PARKED
            }
            wakeRoom?.resume(Unit)
            if (now !== PARKED) c.resume(now as JobHandle<*>?)
        }

    /** Takes the queued job [slot] should run next (see the class's priority guarantees), and starts it. */
    private fun pollLocked(slot: WorkerSlot): JobHandle<*>? {
        if (queue.total == 0) return null
        val now = clock.nanoTime()
        val blockedUpTo = if (shedPriority >= 0 && !sheddableMayStartLocked()) shedPriority else -1
        val h = queue.poll(slot.worker.profileIndex, now, blockedUpTo) ?: return null
        startLocked(slot, h, now)
        return h
    }

    /** Runs [h] on [slot]; returns what [finish] does. */
    private suspend fun execute(slot: WorkerSlot, h: JobHandle<*>): Any? {
        val job = h.job
        var value: Any? = null
        var failure: Throwable? = null
        var ctx: CancelContext? = null
        var attempt: kotlinx.coroutines.Job? = null
        try {
            value = coroutineScope {
                attempt = coroutineContext.job
                h.execution = attempt
                if (h.state != RUNNING) throw CancellationException("job cancelled")
                if (job.timeout.isInfinite()) {
                    executeCaught(job, baseCtx)
                } else {
                    val c = baseCtx.withTimeout(job.timeout.toJavaDuration())
                    ctx = c
                    runWithContext(c) { executeCaught(job, c) }
                }
            }
            if (value is Failed) {
                failure = value.error
                value = null
            }
        } catch (e: Throwable) {
            failure = e
        } finally {
            ctx?.cancel()
        }
        if (h.execution === attempt) h.execution = null
        val end = clock.nanoTime()
        val timedOut = failure != null && ctx?.err?.isTimeout == true && (failure is CancellationException || failure is ContextException)
        if (timedOut) failure = JobTimeoutException("job timed out after ${job.timeout}", failure)
        return finish(slot, h, value, failure, timedOut, end)
    }

    /**
     * What the job threw, carried out of the attempt's scope as a value: an exception leaving a
     * scope that suspended is copied by kotlinx's stack-trace recovery (debug mode, as under
     * `-ea`), and the handle must fail with the very exception the job threw.
     */
    private class Failed(val error: Throwable)

    private suspend fun executeCaught(job: Job<*>, ctx: Context): Any? =
        try {
            job.execute(ctx)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Throwable) {
            Failed(e)
        }

    /**
     * Ends [h]'s run on [slot] ([timedOut]: [failure] is its timeout) and, under the same lock,
     * takes the slot's next queued job: one lock per job for the worker. Returns that job
     * (started), [IDLE] if none is queued, or `null` if the slot must stop (its worker crashed,
     * was abandoned or is stopping). The next job is taken before [h]'s handle completes
     * outside the lock, so its start time (timeouts, queue wait) includes the time [h]'s
     * handle callbacks take.
     */
    private fun finish(slot: WorkerSlot, h: JobHandle<*>, value: Any?, failure: Throwable?, timedOut: Boolean, end: Long): Any? {
        val crashed = failure != null && failure !is Exception
        val outside = Outside()
        var complete = false
        var after: Any? = null
        var room: CancellableContinuation<Unit>? = null
        synchronized(lock) {
            val w = slot.worker
            slot.current = null
            w.running--
            if (slot.abandoned) return null // the check that abandoned it dealt with the job
            counts.runTime.record(end - slot.startedAt)
            if (timedOut) counts.timedOut++
            running--
            if (isSheddable(h.level)) runningSheddable--
            if (crashed) {
                failWorkerLocked(w, WorkerHealth.RESTARTING, outside)
                if (h.state == RUNNING) retryOrLoseLocked(h, failure, "its worker ${w.id} crashed", outside)
            } else if (h.state == RUNNING) {
                h.state = ENDED
                complete = true
                if (failure == null) counts.completed++ else counts.failed++
            }
            checkDrainedLocked(outside)
            if (!crashed && !w.stopping) after = pollLocked(slot)?.also { room = submitters.removeFirstOrNull() } ?: IDLE
        }
        room?.resume(Unit)
        if (complete) {
            @Suppress("UNCHECKED_CAST")
            val f = h.future as dev.conduit.chan.spi.OperationFuture<Any?>
            if (failure == null) f.completeByOperation(value) else f.failByOperation(failure)
        }
        outside.run()
        return after
    }

    /** What to do once the lock is released: wake slots and submitters, fail handles, tell listeners. */
    private inner class Outside {
        var slots: ArrayList<WorkerSlot>? = null
        var stopped: ArrayList<CancellableContinuation<JobHandle<*>?>>? = null
        var lost: ArrayList<Pair<JobHandle<*>, Throwable>>? = null
        var scale: ArrayList<ScaleEvent>? = null
        var health: ArrayList<WorkerHealthEvent>? = null

        /** The pool drained under the lock: [awaitTermination] returns once the rest has run. */
        var drainedNow = false

        fun run() {
            try {
                slots?.forEach { wake(it) }
                stopped?.forEach { it.resume(null) }
                lost?.forEach { (h, e) -> h.future.failByOperation(e) }
                health?.forEach { e -> forEachListener { it.onHealth(e) } }
                scale?.forEach { e -> forEachListener { it.onScale(e) } }
            } finally {
                // A listener that throws must not leave awaitTermination waiting forever.
                if (drainedNow) drained.complete(Unit)
            }
        }

        fun scaled(from: Int, to: Int, reason: ScaleEvent.Reason) {
            if (listeners.isNotEmpty() && from != to) (scale ?: ArrayList<ScaleEvent>().also { scale = it }).add(ScaleEvent(from, to, reason, queue.total))
        }
    }

    private inline fun forEachListener(f: (WorkerPoolListener) -> Unit) {
        for (l in listeners) f(l)
    }

    /** Stops [w] for good (stuck or crashed) and starts its replacement. */
    private fun failWorkerLocked(w: PoolWorker, health: WorkerHealth, outside: Outside) {
        if (w.health != null) return
        w.health = health
        stopWorkerLocked(w, outside)
        if (listeners.isNotEmpty()) (outside.health ?: ArrayList<WorkerHealthEvent>().also { outside.health = it }).add(WorkerHealthEvent(w.id, health))
        if (phase != TERMINATED) {
            val from = liveWorkers
            startWorkerLocked(w.profile)
            outside.scaled(from - 1, liveWorkers, ScaleEvent.Reason.REPLACED)
        }
    }

    /** [w] takes no more jobs; its parked slots are released. */
    private fun stopWorkerLocked(w: PoolWorker, outside: Outside) {
        if (w.stopping) return
        w.stopping = true
        liveWorkers--
        liveSlots -= w.profile.capacity
        for (s in w.slots) {
            val c = s.parked ?: continue
            s.parked = null
            idle.remove(s)
            (outside.stopped ?: ArrayList<CancellableContinuation<JobHandle<*>?>>().also { outside.stopped = it }).add(c)
        }
    }

    /** [h] lost its worker: run it again if its budget allows, else fail it with [WorkerLostException]. */
    private fun retryOrLoseLocked(h: JobHandle<*>, cause: Throwable?, why: String, outside: Outside) {
        if (phase != TERMINATED && h.attempts <= h.job.maxRetries) {
            counts.retried++
            h.execution = null
            queue.add(h, atFront = true)
            val slot = idleSlotForLocked(h)
            if (slot != null) {
                queue.remove(h)
                startLocked(slot, h, clock.nanoTime())
                (outside.slots ?: ArrayList<WorkerSlot>().also { outside.slots = it }).add(slot)
            }
        } else {
            h.state = ENDED
            counts.failed++
            val budget = h.job.maxRetries
            (outside.lost ?: ArrayList<Pair<JobHandle<*>, Throwable>>().also { outside.lost = it })
                .add(h to WorkerLostException("job lost: $why (attempt ${h.attempts} of ${budget + 1})", cause))
        }
    }

    // ---- cancellation --------------------------------------------------------------------

    /** [JobHandle]'s withdrawal: `true` if the job was queued (now removed) or running (now cancelled). */
    internal fun withdraw(h: JobHandle<*>): Boolean {
        var room: CancellableContinuation<Unit>? = null
        val result = synchronized(lock) {
            when (h.state) {
                QUEUED -> {
                    h.state = ENDED
                    queue.forget(h)
                    room = submitters.removeFirstOrNull()
                    checkDrainedLocked(null)
                    true
                }
                RUNNING -> {
                    h.state = CANCELLING
                    h.cancelAskedAt = clock.nanoTime()
                    true
                }
                else -> false
            }.also { if (it) counts.cancelled++ }
        }
        room?.resume(Unit)
        h.execution?.cancel()
        return result
    }

    // ---- checks: scaling, retirement, hangs ------------------------------------------------

    private fun scheduleCheckLocked() {
        checkTimer = clock.schedule(checkNanos) { check() }
    }

    private fun check() {
        val outside = Outside()
        synchronized(lock) {
            if (phase == TERMINATED) return
            val now = clock.nanoTime()
            detectHangsLocked(now, outside)
            val from = liveWorkers
            if (queue.total > config.scaleUpQueueDepth && liveWorkers < config.maxWorkers &&
                running >= config.scaleUpUtilisation * liveSlots
            ) {
                startWorkerLocked(profileForBacklogLocked())
                outside.scaled(from, liveWorkers, ScaleEvent.Reason.QUEUE_DEPTH)
            } else if (liveWorkers > config.minWorkers) {
                val w = workers.firstOrNull { retirableLocked(it) && it.slots.all { s -> s.parked != null && now - s.idleSince >= keepAliveNanos } }
                if (w != null) {
                    stopWorkerLocked(w, outside)
                    outside.scaled(from, liveWorkers, ScaleEvent.Reason.IDLE)
                }
            }
            scheduleCheckLocked()
        }
        outside.run()
    }

    private fun detectHangsLocked(now: Long, outside: Outside) {
        for (i in workers.indices.reversed()) {
            val w = workers[i]
            var hung = false
            for (s in w.slots) {
                if (!hungLocked(s, now)) continue
                failWorkerLocked(w, WorkerHealth.STUCK, outside) // once per worker
                abandonLocked(s, outside)
                hung = true
            }
            if (hung) checkDrainedLocked(outside)
        }
    }

    /** Whether [s]'s job has ignored its cancellation (asked for, or due at its timeout) for the grace. */
    private fun hungLocked(s: WorkerSlot, now: Long): Boolean {
        val h = s.current ?: return false
        if (s.abandoned) return false
        val asked = h.cancelAskedAt.takeIf { it != NONE }
            ?: if (h.job.timeout.isInfinite()) return false else s.startedAt + h.job.timeout.inWholeNanoseconds
        return now - asked >= graceNanos
    }

    /**
     * [s] hangs: give up its job (retry or lose). Its worker, stuck, takes no more jobs; the
     * worker's other slots finish the jobs they run, which are not disturbed.
     */
    private fun abandonLocked(s: WorkerSlot, outside: Outside) {
        val h = s.current ?: return
        s.abandoned = true
        running--
        if (isSheddable(h.level)) runningSheddable--
        h.execution?.cancel()
        if (h.state == RUNNING) retryOrLoseLocked(h, null, "its worker ${s.worker.id} hung (the job ignored cancellation for ${config.stuckGrace})", outside)
    }

    /** A worker that may retire: live, and not the last live one of its profile. */
    private fun retirableLocked(w: PoolWorker): Boolean =
        !w.stopping && workers.count { !it.stopping && it.profileIndex == w.profileIndex } > 1

    /** The profile to add a worker of: capable of the most urgent queued job, with the fewest live workers. */
    private fun profileForBacklogLocked(): WorkerProfile {
        val lane = queue.mostUrgentLane(clock.nanoTime())
        return fewestLocked { lane == null || lane.runnableBy(it) }
    }

    private inline fun fewestLocked(eligible: (Int) -> Boolean): WorkerProfile {
        var best = -1
        var bestCount = Int.MAX_VALUE
        for (i in config.profiles.indices) {
            if (!eligible(i)) continue
            val n = workers.count { !it.stopping && it.profileIndex == i }
            if (n < bestCount) { best = i; bestCount = n }
        }
        return config.profiles[best]
    }

    /**
     * Sets the number of live workers to [target] now: starts workers (of the profiles with
     * the fewest), or retires them (idle ones first; a busy one finishes its job first; never
     * the last of a profile). A [ScaleEvent] with [ScaleEvent.Reason.MANUAL]. Never blocks.
     *
     * @throws IllegalArgumentException if [target] is not in `minWorkers..maxWorkers`.
     * @throws IllegalStateException if the pool is shut down.
     */
    public fun scale(target: Int) {
        require(target in config.minWorkers..config.maxWorkers) {
            "target must be in ${config.minWorkers}..${config.maxWorkers}, but was $target"
        }
        val outside = Outside()
        synchronized(lock) {
            check(phase != TERMINATED) { "the pool '${config.name}' is shut down" }
            val from = liveWorkers
            while (liveWorkers < target) startWorkerLocked(fewestLocked { true })
            while (liveWorkers > target) {
                val w = workers.firstOrNull { retirableLocked(it) && it.running == 0 }
                    ?: workers.first { retirableLocked(it) }
                stopWorkerLocked(w, outside)
            }
            outside.scaled(from, liveWorkers, ScaleEvent.Reason.MANUAL)
        }
        outside.run()
    }

    // ---- shutdown ------------------------------------------------------------------------

    /**
     * Once shut down with nothing queued or running, [awaitTermination] may return: after
     * [outside] ran (the futures of the jobs that just ended are completed or failed there, or
     * just before it), so a caller it wakes finds every job's future done; at once without one
     * (nothing was completed by the caller).
     */
    private fun checkDrainedLocked(outside: Outside?) {
        if (phase == OPEN || queue.total != 0 || running != 0) return
        if (outside != null) outside.drainedNow = true else drained.complete(Unit)
    }

    /**
     * Shuts the pool down gracefully: refuses new jobs at once (waiting submitters get
     * [JobRejectedException]), lets queued and running jobs finish until [ctx] is done, then
     * does [shutdownNow]. Suspends until then; cancelling this call does the [shutdownNow] too.
     *
     * @return the jobs that never ran (empty if all finished in time), in the order queued.
     */
    public suspend fun shutdown(ctx: Context = Context.background()): List<Job<*>> {
        val waiting = synchronized(lock) {
            if (phase == OPEN) phase = DRAINING
            checkDrainedLocked(null)
            ArrayList(submitters).also { submitters.clear() }
        }
        waiting.forEach { it.resume(Unit) }
        try {
            if (!drained.isCompleted) runWithContext(ctx) { drained.await() }
        } catch (e: ContextException) {
            // the time for finishing is over: what is left is cancelled below
        } finally {
            shutdownNow()
        }
        return synchronized(lock) { lastUnrun }
    }

    private var lastUnrun: List<Job<*>> = emptyList()

    /**
     * Shuts the pool down now: refuses new jobs, takes every queued job out of the queue (its
     * handle fails with [JobRejectedException.Reason.SHUTDOWN]), cancels the running ones and
     * stops every worker. Never blocks. A second call does nothing and returns an empty list.
     *
     * @return the jobs that never ran, in the order queued.
     */
    public fun shutdownNow(): List<Job<*>> {
        val outside = Outside()
        val unrun: List<JobHandle<*>>
        val runningNow = ArrayList<JobHandle<*>>()
        val waiting: List<CancellableContinuation<Unit>>
        synchronized(lock) {
            if (phase == TERMINATED) return emptyList()
            phase = TERMINATED
            checkTimer?.stop()
            unrun = queue.drain()
            val from = liveWorkers
            for (w in workers) {
                for (s in w.slots) s.current?.let { if (!s.abandoned) runningNow.add(it) }
                stopWorkerLocked(w, outside)
            }
            outside.scaled(from, 0, ScaleEvent.Reason.SHUTDOWN)
            waiting = ArrayList(submitters)
            submitters.clear()
            counts.rejected += unrun.size
            lastUnrun = unrun.map { it.job }
            checkDrainedLocked(outside)
        }
        for (h in unrun) {
            h.future.failByOperation(JobRejectedException(JobRejectedException.Reason.SHUTDOWN, "the job never ran: the pool '${config.name}' shut down first"))
        }
        for (h in runningNow) h.cancel()
        waiting.forEach { it.resume(Unit) }
        outside.run()
        return lastUnrun
    }

    /** Whether [shutdown] or [shutdownNow] was called. Never blocks. */
    public val isShutdown: Boolean get() = synchronized(lock) { phase != OPEN }

    /**
     * Suspends until the pool is shut down and no job it ran is still running (hung ones aside);
     * by then the handle of every job that ended is done, as after an `ExecutorService`'s
     * `awaitTermination`.
     */
    public suspend fun awaitTermination() {
        drained.await()
    }

    // ---- observing -----------------------------------------------------------------------

    /** Registers [listener] for scaling and health events. Never blocks. */
    public fun addListener(listener: WorkerPoolListener) {
        listeners.add(listener)
    }

    /** Unregisters [listener]. Never blocks. @return whether it was registered. */
    public fun removeListener(listener: WorkerPoolListener): Boolean = listeners.remove(listener)

    /** The workers now, stuck ones included until their job returns. Never blocks. */
    public fun workers(): List<WorkerInfo> = synchronized(lock) {
        workers.map { WorkerInfo(it.id, it.profile, it.healthNow(), it.running) }
    }

    /** The live (not stuck, not retiring) workers now. Never blocks. */
    public val workerCount: Int get() = synchronized(lock) { liveWorkers }

    /** A snapshot of the counters. Never blocks. */
    public fun metrics(): PoolMetrics {
        val byHealth = java.util.EnumMap<WorkerHealth, Int>(WorkerHealth::class.java)
        for (h in WorkerHealth.entries) byHealth[h] = 0
        synchronized(lock) {
            for (w in workers) byHealth.merge(w.healthNow(), 1, Int::plus)
            return counts.snapshot(running, queue.byPriority(), byHealth)
        }
    }

    override fun toString(): String = "WorkerPool(${config.name})"

    private companion object {
        const val OPEN = 0
        const val DRAINING = 1
        const val TERMINATED = 2
        val PARKED = Any()
        /** [finish]'s answer when nothing is queued for the slot. */
        val IDLE = Any()
    }
}
