package dev.conduit

import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Options
import org.jetbrains.lincheck.datastructures.StressOptions
import java.time.Instant
import java.util.concurrent.CancellationException
import java.util.concurrent.atomic.AtomicLong
import kotlin.reflect.KClass

/** Larger Lincheck runs under `-Pstress`. */
val stressRun: Boolean = System.getProperty("conduit.stress") == "true"

/**
 * [stress] under `-Pstress` (which must be the larger); in the default build five sixths of
 * [default], rounded up: both a run's iterations and its invocations are sized here, so a check
 * does about 70% of the work it was tuned at. That scale is the sixth cut of the build's
 * Lincheck time (see [plainModelChecking]), made in one place: after C1 alone took the three Lincheck executions from 196 s to 146 s on JDK 25
 * (2026-12-04), CI's machine still ran the build about 1.6 times slower than the machine that
 * measured it, and the whole JDK 25 build (6:23 there) would not have kept within 10 minutes.
 */
fun lincheckSize(default: Int, stress: Int): Int {
    require(stress >= default) { "the -Pstress size $stress must not be below the default $default" }
    return if (stressRun) stress else (default * 5 + 5) / 6
}

/** The one place a Lincheck run is sized: scenario shape, run counts, no minimising (it costs more than the run). */
private fun <O : Options<O, *>> O.sized(iterations: Int, invocations: Int, threads: Int, actorsPerThread: Int): O =
    iterations(iterations)
        .invocationsPerIteration(invocations)
        .threads(threads)
        .actorsPerThread(actorsPerThread)
        .minimizeFailedScenario(false)

/**
 * No sequential part after the parallel one where operations may suspend: Lincheck 3.7's runner
 * fails with `IndexOutOfBoundsException` (an index past its thread list) when an operation that
 * suspended there is resumed by a later one, so that part reports a failure of Lincheck's own,
 * correct implementation or not. The parallel part runs the same operations.
 */
private fun <O : Options<O, *>> O.noPartAfter(): O = actorsAfter(0)

/**
 * Model checking sized for operations that suspend: each explored interleaving of a suspending
 * select costs far more than a plain one (a mutex's model check took 150 s at Lincheck's
 * default 20 x 500), so the default build explores 3 x 60; `-Pstress` explores 100 x 5,000.
 * Nothing runs after the parallel part (see `noPartAfter`).
 */
fun suspendingModelChecking(threads: Int = 3, actorsPerThread: Int = 2): ModelCheckingOptions =
    ModelCheckingOptions().sized(lincheckSize(3, 100), lincheckSize(60, 5_000), threads, actorsPerThread).noPartAfter()

/**
 * Model checking of operations that never suspend: 6 x 250 by default, 100 x 5,000 under
 * `-Pstress`. The default sizes of all three were cut by about a quarter (from 8, 22 and 25
 * iterations) when the JDK 25 build of runtime-kt took 10:21 of the 10-minute budget on the
 * 2-core machine (2026-12-02; 7:44 for the whole build the run before): the Lincheck classes
 * were about 500 s of it. They were cut again (6, 16 and 20 to 5, 12 and 16) when the JDK 25
 * build took 10:03 with 409 s of Lincheck (337 s for the same classes a day before: this
 * machine's speed varies by a fifth). They were cut a third time (to 10 x 500, 4 x 100 and
 * 13 x 450) when the JDK 25 build took 10:01 with 396 s of Lincheck, and a fourth time (to
 * 8 x 400, 4 x 80 and 10 x 400) when it took 10:37 with 445 s, after the select-cancel races
 * moved into the Lincheck JVM (`NoWaiterLeftLincheckTest`), and a fifth time (to 6 x 250, 3 x 60
 * and 6 x 200) when net-channels joined the build and the JDK 25 build took 11:46, 425 s of it
 * Lincheck (JDK 17: 9:32, 298 s; the same classes run about 1.4 times slower on JDK 25). Running the
 * model-checking tests in two JVMs at once (the stress tests in one) was tried and lost: model
 * checking keeps its threads running, so each class took twice as long (540 s in all, against
 * 247 s in one JVM).
 */
fun plainModelChecking(threads: Int = 3, actorsPerThread: Int = 2): ModelCheckingOptions =
    ModelCheckingOptions().sized(lincheckSize(6, 100), lincheckSize(250, 5_000), threads, actorsPerThread)

/**
 * Lincheck's stress mode on real threads: 6 x 200 by default (cut with the model checks, see
 * [plainModelChecking]), 100 x 5,000 under `-Pstress`; nothing after the parallel part, as for
 * [suspendingModelChecking].
 */
fun stressChecking(threads: Int = 3, actorsPerThread: Int = 3): StressOptions =
    StressOptions().sized(lincheckSize(6, 100), lincheckSize(200, 5_000), threads, actorsPerThread).noPartAfter()

/**
 * The usual pair of tests for one operation class: "[name] under model checking" with
 * [modelChecking], and "[name] under stress" with [stress] unless it is `null` (a class that
 * leaves stress out says why where it calls this).
 */
fun FunSpec.lincheckTests(
    ops: KClass<*>,
    modelChecking: ModelCheckingOptions,
    stress: StressOptions? = stressChecking(),
    name: String = ops.simpleName!!,
) {
    test("$name under model checking") { modelChecking.check(ops) }
    if (stress != null) test("$name under stress") { stress.check(ops) }
}

/**
 * An operation's outcome as a string, so that failures are compared with the sequential run by
 * message, not only by class: the result's `toString` ("ok" for `Unit`), or the class and
 * message of what it threw. Cancellation (Lincheck cancelling a suspended operation) propagates.
 */
inline fun outcome(op: () -> Any?): String =
    try {
        op().let { if (it == Unit) "ok" else it.toString() }
    } catch (e: CancellationException) {
        throw e
    } catch (e: Exception) {
        "${e.javaClass.simpleName}: ${e.message}"
    }

/**
 * A clock that only moves when an operation moves it ([advance]), so Lincheck runs are
 * deterministic. Its timers fire in [advance], on the caller's thread, once their time has come;
 * a stopped timer never fires.
 */
class ManualClock : Clock {
    private val nanos = AtomicLong()
    private val timers = ArrayList<Timer>()

    override fun now(): Instant = Instant.EPOCH.plusNanos(nanos.get())

    override fun nanoTime(): Long = nanos.get()

    override fun schedule(delayNanos: Long, action: Runnable): Stoppable {
        val timer = Timer(nanos.get() + delayNanos.coerceAtLeast(0), action)
        synchronized(timers) { timers.add(timer) }
        return timer
    }

    /**
     * Moves the time on by [byNanos] and runs every timer due by then, the earliest first. (Plain
     * loops: each library class used here is one more class for Lincheck to instrument in the
     * middle of a run.)
     */
    fun advance(byNanos: Long) {
        val now = nanos.addAndGet(byNanos)
        while (true) {
            val next = synchronized(timers) {
                var earliest: Timer? = null
                for (t in timers) if (t.at <= now && (earliest == null || t.at < earliest.at)) earliest = t
                earliest?.also { timers.remove(it) }
            } ?: return
            next.fire()
        }
    }

    /** How many timers are neither fired nor stopped. */
    fun pending(): Int = synchronized(timers) { timers.size }

    private inner class Timer(val at: Long, private val action: Runnable) : Stoppable {
        /** Whether a call is the one that decided the timer's fate; under the list's lock. */
        private var decided = false

        private fun decide(): Boolean = synchronized(timers) { !decided.also { decided = true } }

        fun fire() {
            if (decide()) action.run()
        }

        override fun stop(): Boolean {
            if (!decide()) return false
            synchronized(timers) { timers.remove(this) }
            return true
        }
    }
}
