package dev.conduit

import dev.conduit.chan.spi.BlockedWaits
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.time.Instant
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.TimeSource

/**
 * The time source behind deadlines, [dev.conduit.chan.after] and [dev.conduit.chan.Ticker].
 *
 * [system] is the wall clock. Tests pass [of] a test scope and its scheduler's time source, so
 * that deadlines and timers run in virtual time:
 * ```
 * runTest {
 *     val clock = Clock.of(backgroundScope, testScheduler.timeSource)
 *     val ctx = Context.background(clock).withTimeout(5.seconds)
 * }
 * ```
 */
public interface Clock {
    /** The current time. Never blocks. */
    public fun now(): Instant

    /**
     * The current time in nanoseconds, for measuring intervals: only differences between two
     * readings mean anything. Never blocks. The default derives it from [now].
     */
    public fun nanoTime(): Long {
        val t = now()
        return t.epochSecond * 1_000_000_000L + t.nano
    }

    /**
     * Runs [action] once after [delayNanos] nanoseconds (soon if zero or negative), in a
     * coroutine of the clock's scope, never on the calling thread. Never blocks. An exception
     * from [action] goes to that scope's exception handler.
     *
     * @return a handle whose [Stoppable.stop] prevents the action if it has not started.
     */
    public fun schedule(delayNanos: Long, action: Runnable): Stoppable

    public companion object {
        private val SYSTEM: Clock by lazy { of(GoRuntime.scope, TimeSource.Monotonic) }

        /** The wall clock; timers run as coroutines in [GoRuntime.scope]. */
        @JvmStatic
        public fun system(): Clock = SYSTEM

        /**
         * A clock whose timers are coroutines in [scope] delayed by [scope]'s dispatcher, and
         * whose [now] advances with [timeSource] from the wall-clock time of this call. With a
         * `kotlinx-coroutines-test` scope and `testScheduler.timeSource`, time is virtual.
         */
        @JvmStatic
        public fun of(scope: CoroutineScope, timeSource: TimeSource): Clock =
            CoroutineClock(scope, timeSource)
    }
}

private class CoroutineClock(private val scope: CoroutineScope, timeSource: TimeSource) : Clock {
    private val origin = Instant.now()
    private val start = timeSource.markNow()

    override fun now(): Instant = origin.plusNanos(start.elapsedNow().inWholeNanoseconds)

    override fun nanoTime(): Long = start.elapsedNow().inWholeNanoseconds

    override fun schedule(delayNanos: Long, action: Runnable): Stoppable {
        val timer = Timer(action)
        timer.job = scope.launch {
            delay(delayNanos.nanoseconds)
            timer.fire()
        }
        if (BlockedWaits.ON) BlockedWaits.timerScheduled(timer.job!!)
        return timer
    }

    /** 0 pending, 1 fired, 2 stopped: fire and stop race on one CAS, so exactly one wins. */
    private class Timer(private val action: Runnable) : Stoppable {
        private val state = AtomicInteger(0)

        @Volatile
        var job: Job? = null

        fun fire() {
            if (state.compareAndSet(0, 1)) action.run()
        }

        override fun stop(): Boolean {
            if (!state.compareAndSet(0, 2)) return false
            job?.cancel()
            return true
        }
    }
}
