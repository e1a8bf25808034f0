package dev.conduit.supervisor

import dev.conduit.Stoppable
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import dev.conduit.context.onDone
import dev.conduit.context.withTimeout
import dev.conduit.resilience.sleep
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.async
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withContext
import java.util.concurrent.TimeoutException
import kotlin.time.Duration

/** A message to a supervisor's loop: a child's end, a timer, or a request. */
internal sealed class Message

/** Something asked of a running supervisor, answered through [reply]. */
internal sealed class Request<T>(val reply: CompletableDeferred<T>) : Message()

internal class StartChild(val child: SupervisedChild, reply: CompletableDeferred<String>) : Request<String>(reply)

internal class TerminateChild(val id: String, reply: CompletableDeferred<Boolean>) : Request<Boolean>(reply)

/**
 * One run of a [Supervisor] ([Supervisor.run]): the children's slots and the loop that owns
 * them. Only the loop's coroutine changes the slots, under [lock] so that [snapshot] sees one
 * consistent state; children, timers and health polls talk to the loop through [inbox].
 */
internal class SupervisorRun(private val sup: Supervisor, private val ctx: Context) {
    private val config = sup.config
    private val clock = ctx.clock
    private val lock = Any()
    private val slots = ArrayList<Slot>()
    private val inbox = Channel<Message>(Channel.UNLIMITED)
    /** The pending restarts' timers, by token. */
    private val timers = HashMap<Any, Stoppable>()
    private val restartTimes = ArrayDeque<Long>()
    private var dynamicCount = 0
    private lateinit var scope: CoroutineScope

    @Volatile
    var isStopping: Boolean = false
        private set

    /** A child's place in the run: its spec, its current instance and its restart bookkeeping. */
    private class Slot(val spec: ChildSpec, val dynamic: Boolean) {
        var state = ChildState.STOPPED
        var restarts = 0
        var lastFailure: Throwable? = null
        var instance: Instance? = null

        /** The restart this slot waits for (a [RestartDue] with this token starts it), or `null`. */
        var pendingRestart: Any? = null

        /** When this child's restarts happened, within the last period: the backoff's argument. */
        val restartTimes = ArrayDeque<Long>()

        /** Running, stopping or waiting to restart: part of a group restart. */
        val isLive: Boolean get() = instance != null || pendingRestart != null
    }

    /** One start of a child: its context and coroutines. */
    private class Instance(val slot: Slot, val ctx: CancelContext) {
        lateinit var job: Job
        var health: Job? = null
        var stopping = false

        /** The child's `shutdown` call, once a stop made it: a stop cut short and begun again does not call it twice. */
        var shutdownHook: Job? = null
        val begun = CompletableDeferred<Unit>()
    }

    private class Exited(val instance: Instance, val error: Throwable?) : Message()

    private class Unhealthy(val instance: Instance, val error: Throwable?) : Message()

    private class RestartDue(val token: Any) : Message()

    private object Done : Message()

    /** Hands [request] to the loop. @throws IllegalStateException if the run is ending. */
    fun submit(request: Request<*>) {
        check(inbox.trySend(request).isSuccess) { "supervisor '${sup.name}' is not running" }
    }

    fun snapshot(): List<ChildInfo> = synchronized(lock) {
        slots.map { ChildInfo(it.spec.id, it.state, it.spec.restart, it.restarts, it.lastFailure) }
    }

    /** Starts the children, supervises them until the context ends or the intensity is exceeded, then stops them. */
    suspend fun supervise() {
        // Children do not belong to the caller's job: one that ignores cancellation is abandoned, not awaited.
        scope = CoroutineScope(currentCoroutineContext().minusKey(Job) + SupervisorJob())
        sup.emit { SupervisorEvent.Started(sup.name) }
        val registration = ctx.onDone { _, _, _ -> inbox.trySend(Done) }
        var failure: SupervisorFailedException? = null
        try {
            for (spec in config.children) {
                val slot = addSlot(Slot(spec, dynamic = false))
                if (ctx.err == null) start(slot)
            }
            while (failure == null) {
                failure = when (val m = inbox.receive()) {
                    Done -> break
                    is Exited -> onExit(m)
                    is Unhealthy -> onUnhealthy(m)
                    is RestartDue -> onRestartDue(m)
                    is StartChild -> onStartChild(m)
                    is TerminateChild -> onTerminateChild(m)
                }
            }
        } finally {
            registration.stop()
            withContext(NonCancellable) { stopAll(failure) }
        }
        failure?.let { throw it }
    }

    private fun addSlot(slot: Slot): Slot {
        synchronized(lock) { slots += slot }
        return slot
    }

    private fun setState(slot: Slot, state: ChildState) {
        synchronized(lock) { slot.state = state }
    }

    /** Launches [slot]'s child and waits until its run has begun. */
    private suspend fun start(slot: Slot) {
        val inst = Instance(slot, ctx.withoutCancel().withCancel())
        synchronized(lock) {
            slot.instance = inst
            slot.pendingRestart = null
            slot.state = ChildState.STARTING
        }
        inst.job = scope.launch(CoroutineName(slot.spec.id)) {
            inst.begun.complete(Unit)
            val error = try {
                slot.spec.child.run(inst.ctx)
                null
            } catch (e: Throwable) {
                e
            }
            inbox.trySend(Exited(inst, error))
        }
        inst.begun.await()
        setState(slot, ChildState.RUNNING)
        sup.emit { SupervisorEvent.ChildStarted(sup.name, slot.spec.id, slot.restarts) }
        if (slot.spec.healthInterval.isFinite()) inst.health = scope.launch { pollHealth(inst) }
    }

    /** Polls [inst]'s health until it says unhealthy (reported to the loop) or its context ends. */
    private suspend fun pollHealth(inst: Instance) {
        val interval = inst.slot.spec.healthInterval
        while (true) {
            try {
                inst.ctx.sleep(interval)
            } catch (e: ContextException) {
                return
            }
            val verdict = checkHealth(inst, interval) ?: continue
            inbox.trySend(verdict)
            return
        }
    }

    /**
     * One health check of [inst], which must answer within [timeout]: `null` if healthy, else the
     * verdict with what it threw (`null` if it returned `false`, a [TimeoutException] if it did
     * not answer in time, and it is cancelled then).
     */
    private suspend fun checkHealth(inst: Instance, timeout: Duration): Unhealthy? {
        val probe = scope.async(CoroutineName("${inst.slot.spec.id} health")) { inst.slot.spec.child.health() }
        try {
            if (!joinWithin(timeout, probe)) return Unhealthy(inst, TimeoutException("health check did not answer within $timeout"))
            return try {
                if (probe.await()) null else Unhealthy(inst, null)
            } catch (e: Throwable) {
                currentCoroutineContext().ensureActive()
                Unhealthy(inst, e)
            }
        } finally {
            probe.cancel()
        }
    }

    /** [m]'s child ended on its own (an end of an instance being stopped, or replaced, is ignored). */
    private suspend fun onExit(m: Exited): SupervisorFailedException? {
        val inst = m.instance
        val slot = inst.slot
        if (slot.instance !== inst || inst.stopping) return null
        inst.health?.cancel()
        inst.ctx.cancel()
        synchronized(lock) {
            slot.instance = null
            if (m.error != null) slot.lastFailure = m.error
        }
        val id = slot.spec.id
        val error = m.error
        if (error == null) sup.emit { SupervisorEvent.ChildExited(sup.name, id) } else sup.emit { SupervisorEvent.ChildFailed(sup.name, id, error) }
        val restart = when (slot.spec.restart) {
            RestartType.PERMANENT -> true
            RestartType.TRANSIENT -> error != null
            RestartType.TEMPORARY -> false
        }
        if (!restart) {
            endForGood(slot)
            return null
        }
        return restart(slot, error)
    }

    /** [m]'s child said unhealthy: it is stopped, and counts as failed. */
    private suspend fun onUnhealthy(m: Unhealthy): SupervisorFailedException? {
        val inst = m.instance
        val slot = inst.slot
        if (slot.instance !== inst || inst.stopping) return null
        val error = ChildUnhealthyException(slot.spec.id, m.error)
        sup.emit { SupervisorEvent.ChildUnhealthy(sup.name, slot.spec.id, m.error) }
        stop(inst)
        synchronized(lock) { slot.lastFailure = error }
        if (slot.spec.restart == RestartType.TEMPORARY) {
            endForGood(slot)
            return null
        }
        return restart(slot, error)
    }

    /** [slot] will not run again in this run: a dynamic child is removed, a static one stays, stopped. */
    private fun endForGood(slot: Slot) {
        synchronized(lock) {
            slot.state = ChildState.STOPPED
            slot.pendingRestart = null
            if (slot.dynamic) slots.remove(slot)
        }
    }

    /**
     * Restarts [slot], which ended with [error] (`null`: it returned), and the others its
     * strategy restarts with it: counts the restart against the intensity (returning the
     * failure if it is exceeded), stops the rest of the group in reverse order and schedules
     * the group's start after the backoff.
     */
    private suspend fun restart(slot: Slot, error: Throwable?): SupervisorFailedException? {
        val now = clock.nanoTime()
        val periodNanos = config.period.inWholeNanoseconds
        if (record(restartTimes, now, periodNanos) > config.maxRestarts) {
            val failure = SupervisorFailedException(
                sup.name, slot.spec.id,
                "supervisor '${sup.name}': more than ${config.maxRestarts} restarts in ${config.period}; " +
                    "the last after child '${slot.spec.id}' " + (if (error == null) "exited" else "failed: $error"),
                error,
            )
            setState(slot, ChildState.STOPPED)
            sup.emit { SupervisorEvent.Escalated(sup.name, config.maxRestarts, config.period.inWholeNanoseconds, failure) }
            return failure
        }
        val group = when (config.strategy) {
            RestartStrategy.ONE_FOR_ONE, RestartStrategy.SIMPLE_ONE_FOR_ONE -> listOf(slot)
            RestartStrategy.ONE_FOR_ALL -> slots.filter { it === slot || it.isLive }
            RestartStrategy.REST_FOR_ONE -> slots.drop(slots.indexOf(slot)).filter { it === slot || it.isLive }
        }
        for (other in group.asReversed()) other.instance?.let { stop(it) }
        // A temporary sibling stopped with the group stays stopped (OTP: never restarted, even then).
        val (temporary, restarting) = group.partition { it !== slot && it.spec.restart == RestartType.TEMPORARY }
        for (t in temporary) endForGood(t)
        val attempt = record(slot.restartTimes, now, periodNanos)
        val delay = config.backoff.delay(attempt)
        val token = Any()
        synchronized(lock) {
            for (s in restarting) {
                s.pendingRestart = token
                s.state = ChildState.RESTARTING
            }
        }
        sup.emit { SupervisorEvent.RestartScheduled(sup.name, slot.spec.id, restarting.map { it.spec.id }, delay.inWholeNanoseconds, attempt) }
        timers[token] = clock.schedule(delay.inWholeNanoseconds) { inbox.trySend(RestartDue(token)) }
        return null
    }

    /** Adds [now] to [times], drops the times older than a period, and returns how many remain. */
    private fun record(times: ArrayDeque<Long>, now: Long, periodNanos: Long): Int {
        times.addLast(now)
        while (now - times.first() >= periodNanos) times.removeFirst()
        return times.size
    }

    /** Starts, in order, the slots still waiting for restart [m] (a later restart may have taken some over). */
    private suspend fun onRestartDue(m: RestartDue): SupervisorFailedException? {
        timers.remove(m.token)
        for (slot in slots.toList()) {
            if (slot.pendingRestart !== m.token) continue
            synchronized(lock) { slot.restarts++ }
            start(slot)
        }
        return null
    }

    private suspend fun onStartChild(m: StartChild): SupervisorFailedException? {
        val template = checkNotNull(config.template)
        val spec = template.spec("${template.name}-${++dynamicCount}", m.child)
        start(addSlot(Slot(spec, dynamic = true)))
        m.reply.complete(spec.id)
        return null
    }

    private suspend fun onTerminateChild(m: TerminateChild): SupervisorFailedException? {
        val slot = slots.firstOrNull { it.spec.id == m.id }
        if (slot == null || !slot.isLive) {
            m.reply.complete(false)
            return null
        }
        slot.instance?.let { stop(it) }
        endForGood(slot)
        m.reply.complete(true)
        return null
    }

    /**
     * Stops [inst]: cancels its context and calls its shutdown, waits up to its shutdown timeout
     * for both, then cancels their coroutines and waits as long again; if it still runs, it is
     * abandoned. Reports which.
     */
    private suspend fun stop(inst: Instance) {
        val slot = inst.slot
        val spec = slot.spec
        inst.stopping = true
        setState(slot, ChildState.STOPPING)
        inst.health?.cancel()
        inst.ctx.cancel()
        var shutdownError: Throwable? = null
        val hook = inst.shutdownHook ?: scope.launch {
            try {
                ctx.withoutCancel().withTimeout(spec.shutdownTimeout).use { spec.child.shutdown(it) }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Throwable) {
                shutdownError = e
            }
        }.also { inst.shutdownHook = it }
        var forced = false
        if (!joinWithin(spec.shutdownTimeout, inst.job, hook)) {
            forced = true
            inst.job.cancel()
            hook.cancel()
            if (!joinWithin(spec.shutdownTimeout, inst.job, hook)) {
                synchronized(lock) {
                    slot.instance = null
                    slot.state = ChildState.STOPPED
                }
                sup.emit { SupervisorEvent.ChildAbandoned(sup.name, spec.id, (spec.shutdownTimeout * 2).inWholeNanoseconds) }
                return
            }
        }
        synchronized(lock) {
            slot.instance = null
            slot.state = ChildState.STOPPED
        }
        sup.emit { SupervisorEvent.ChildStopped(sup.name, spec.id, forced, shutdownError) }
    }

    /** Waits for [jobs] to complete for at most [timeout] on the clock. @return whether they all did. */
    private suspend fun joinWithin(timeout: Duration, vararg jobs: Job): Boolean {
        if (timeout.isInfinite()) {
            for (j in jobs) j.join()
            return true
        }
        val expired = CompletableDeferred<Unit>()
        val timer = clock.schedule(timeout.inWholeNanoseconds) { expired.complete(Unit) }
        try {
            for (j in jobs) {
                val ended = select {
                    j.onJoin { true }
                    expired.onAwait { false }
                }
                if (!ended) return false
            }
            return true
        } finally {
            timer.stop()
        }
    }

    /** Stops every child in reverse start order, calls off pending restarts and requests, and reports it. */
    private suspend fun stopAll(failure: SupervisorFailedException?) {
        isStopping = true
        sup.emit { SupervisorEvent.Stopping(sup.name, failure) }
        for (t in timers.values) t.stop()
        inbox.close()
        for (slot in slots.asReversed().toList()) {
            slot.instance?.let { stop(it) }
            synchronized(lock) {
                slot.pendingRestart = null
                slot.state = ChildState.STOPPED
            }
        }
        while (true) {
            val m = inbox.tryReceive().getOrNull() ?: break
            if (m is Request<*>) m.reply.completeExceptionally(IllegalStateException("supervisor '${sup.name}' stopped"))
        }
        scope.coroutineContext[Job]?.cancel()
        sup.emit { SupervisorEvent.Stopped(sup.name, failure) }
    }
}
