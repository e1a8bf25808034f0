package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import kotlinx.coroutines.TimeoutCancellationException
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference
import java.util.concurrent.atomic.LongAdder
import kotlin.math.ceil

/**
 * One stretch of a breaker's life in one state. Each transition installs a new phase object with
 * one CAS on [BreakerStateMachine.phase], so an outcome reported against a phase that has ended
 * changes nothing, and of two racing transitions out of one phase exactly one happens.
 */
internal sealed class Phase(val state: CircuitBreakerState)

/** Closed: outcomes go to [window]; after a recovery, for [rampNanos] only a growing share of calls is let through. */
internal class Closed(val window: OutcomeWindow, private val rampStart: Long, private val rampNanos: Long) :
    Phase(CircuitBreakerState.CLOSED) {
    /** Whether the ramp-up may still hold calls back; once it ends, calls read no clock for it. */
    @Volatile
    var ramping: Boolean = rampNanos > 0
        private set
    private val asked = AtomicLong()

    /**
     * Whether the ramp-up lets a call through at [now]: the share grows linearly from 10% to
     * 100%, and the n-th caller is let through when the running count `ceil(n * share)` grows
     * (so the first is, and then one in every 1 / share).
     */
    fun admits(now: Long): Boolean {
        val elapsed = now - rampStart
        if (elapsed >= rampNanos) {
            ramping = false
            return true
        }
        val share = 0.1 + 0.9 * elapsed / rampNanos
        val n = asked.getAndIncrement()
        return ceil((n + 1) * share) > ceil(n * share)
    }
}

/** Open until [until] (clock nanos), after [attempt] failed half-open rounds in a row. */
internal class Open(val until: Long, val attempt: Int) : Phase(CircuitBreakerState.OPEN)

/** Half-open: at most [probes] permits, whose outcomes [tally] judges once all are in. */
internal class HalfOpen(private val probes: Int, val attempt: Int, config: CircuitBreakerConfig) : Phase(CircuitBreakerState.HALF_OPEN) {
    private val permits = AtomicInteger(probes)
    val tally = ProbeTally(probes, config)

    fun take(): Boolean {
        while (true) {
            val n = permits.get()
            if (n == 0) return false
            if (permits.compareAndSet(n, n - 1)) return true
        }
    }

    /** Gives an unused permit back (never more than [probes] in all). */
    fun giveBack() {
        while (true) {
            val n = permits.get()
            if (n >= probes || permits.compareAndSet(n, n + 1)) return
        }
    }
}

/** Forced open or disabled: stays until a manual transition. */
internal class Manual(state: CircuitBreakerState) : Phase(state)

/** What a call threw counts as a timeout: a context deadline, kotlinx's `withTimeout` or a `TimeoutException`. */
internal fun isTimeout(e: Throwable): Boolean =
    (e is ContextException && e.isTimeout) || e is TimeoutCancellationException || e is TimeoutException

/** [isTimeout], or what a call under [ctx] threw once [ctx] had reached its deadline. */
internal fun isTimeout(e: Throwable, ctx: Context): Boolean = isTimeout(e) || ctx.err?.isTimeout == true

/**
 * The breaker's state machine and counts, without its public face ([CircuitBreaker]).
 *
 * Lock-free: the state is one [AtomicReference] to a [Phase]; a closed breaker's permission is
 * one volatile read, and its outcome a [CountWindow] update (or a [TimeWindow]'s short lock) and
 * a [LongAdder] increment. Events are made only while a listener is registered.
 */
internal class BreakerStateMachine(private val name: String, val config: CircuitBreakerConfig, val clock: Clock) {
    val phase = AtomicReference<Phase>(closed(ramp = false))

    @Volatile
    private var listeners: Array<CircuitBreakerListener> = emptyArray()
    private val listenersLock = Any()

    private val forcedOpen = Manual(CircuitBreakerState.FORCED_OPEN)
    private val disabled = Manual(CircuitBreakerState.DISABLED)

    private val successes = LongAdder()
    private val failures = LongAdder()
    private val timeouts = LongAdder()
    private val slowCalls = LongAdder()
    private val ignored = LongAdder()
    private val notPermitted = LongAdder()

    private fun closed(ramp: Boolean) =
        Closed(OutcomeWindow.of(config, clock), if (ramp) clock.nanoTime() else 0, if (ramp) config.rampNanos else 0)

    private fun open(attempt: Int) = Open(clock.nanoTime() + config.openWaitNanos(attempt), attempt)

    /** A permission: the phase it was granted in, or null (counted and told as not permitted). */
    fun acquire(): Phase? {
        while (true) {
            val p = phase.get()
            when (p) {
                is Closed -> if (!p.ramping || p.admits(clock.nanoTime())) return p
                is HalfOpen -> if (p.take()) return p
                is Open -> if (clock.nanoTime() >= p.until) {
                    // The call that opens half-open takes its first probe, whatever races after the CAS.
                    val halfOpen = HalfOpen(config.permittedNumberOfCallsInHalfOpenState, p.attempt, config)
                    halfOpen.take()
                    if (transition(p, halfOpen)) return halfOpen
                    continue
                }
                is Manual -> if (p === disabled) return p
            }
            notPermitted.increment()
            if (listeners.isNotEmpty()) emit(CircuitBreakerEvent.NotPermitted(name, p.state))
            return null
        }
    }

    /** Gives back a permission of [p] that was not used. */
    fun release(p: Phase) {
        if (p is HalfOpen) p.giveBack()
    }

    fun success(p: Phase, durationNanos: Long) {
        successes.increment()
        val slow = slow(durationNanos)
        if (listeners.isNotEmpty()) emit(CircuitBreakerEvent.Success(name, durationNanos))
        record(p, if (slow) SLOW else 0)
    }

    fun error(p: Phase, durationNanos: Long, error: Throwable, timeout: Boolean) {
        when {
            config.ignoreException(error) -> {
                ignored.increment()
                if (listeners.isNotEmpty()) emit(CircuitBreakerEvent.IgnoredError(name, durationNanos, error))
                release(p)
            }
            config.recordException(error) -> {
                if (timeout) timeouts.increment()
                failure(p, durationNanos) { CircuitBreakerEvent.Error(name, durationNanos, error, timeout) }
            }
            else -> success(p, durationNanos)
        }
    }

    fun result(p: Phase, durationNanos: Long, result: Any?) {
        if (config.recordResult(result)) failure(p, durationNanos) { CircuitBreakerEvent.FailedResult(name, durationNanos, result) }
        else success(p, durationNanos)
    }

    private inline fun failure(p: Phase, durationNanos: Long, event: () -> CircuitBreakerEvent) {
        failures.increment()
        val slow = slow(durationNanos)
        if (listeners.isNotEmpty()) emit(event())
        record(p, if (slow) FAILED or SLOW else FAILED)
    }

    private fun slow(durationNanos: Long): Boolean {
        if (durationNanos < config.slowNanos) return false
        slowCalls.increment()
        if (listeners.isNotEmpty()) emit(CircuitBreakerEvent.SlowCall(name, durationNanos))
        return true
    }

    /** Adds an outcome to [p]'s window, and makes the transition it calls for. */
    private fun record(p: Phase, outcome: Int) {
        when (p) {
            is Closed -> if (p.window.record(outcome) == EXCEEDED) transition(p, open(0))
            is HalfOpen -> when (p.tally.record(outcome)) {
                BELOW -> transition(p, closed(ramp = true))
                EXCEEDED -> transition(p, open(p.attempt + 1))
                JUDGED -> record(next(p), outcome)
            }
            else -> {}
        }
    }

    /**
     * The phase after [p], once the call that judged [p] has installed it (a few instructions
     * away: it has its verdict and is making its CAS), so that an outcome reported after the
     * decision counts where a sequential breaker would count it.
     */
    private fun next(p: Phase): Phase {
        while (true) {
            val now = phase.get()
            if (now !== p) return now
            Thread.onSpinWait()
        }
    }

    private fun transition(from: Phase, to: Phase): Boolean {
        if (!phase.compareAndSet(from, to)) return false
        if (listeners.isNotEmpty()) emit(CircuitBreakerEvent.StateTransition(name, from.state, to.state))
        return true
    }

    /** A manual transition: happens whatever the state; told only if the state changes. */
    private fun move(to: Phase) {
        val from = phase.getAndSet(to)
        if (from.state != to.state && listeners.isNotEmpty()) emit(CircuitBreakerEvent.StateTransition(name, from.state, to.state))
    }

    fun forceOpen() = move(forcedOpen)

    fun disable() = move(disabled)

    fun reset() = move(closed(ramp = false))

    fun addListener(listener: CircuitBreakerListener) {
        synchronized(listenersLock) { listeners += listener }
    }

    fun removeListener(listener: CircuitBreakerListener): Boolean = synchronized(listenersLock) {
        val i = listeners.indexOf(listener)
        if (i >= 0) listeners = listeners.filterIndexed { j, _ -> j != i }.toTypedArray()
        i >= 0
    }

    private fun emit(event: CircuitBreakerEvent) {
        for (l in listeners) {
            try {
                l.onEvent(event)
            } catch (e: Throwable) {
                val t = Thread.currentThread()
                t.uncaughtExceptionHandler?.uncaughtException(t, e)
            }
        }
    }

    fun metrics(): CircuitBreakerMetrics {
        val p = phase.get()
        val window = when (p) {
            is Closed -> p.window
            is HalfOpen -> p.tally
            else -> null
        }
        val c = window?.counts() ?: WindowCounts(0, 0, 0)
        val ok = successes.sum()
        val failed = failures.sum()
        return CircuitBreakerMetrics(
            p.state, ok + failed, ok, failed, timeouts.sum(), slowCalls.sum(), ignored.sum(), notPermitted.sum(),
            c.calls, window?.failureRate(c) ?: -1f, window?.slowRate(c) ?: -1f,
        )
    }
}
