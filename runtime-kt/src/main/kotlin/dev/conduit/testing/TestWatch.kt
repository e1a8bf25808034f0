package dev.conduit.testing

import dev.conduit.GoLeaks
import dev.conduit.LiveGoroutine
import dev.conduit.supervisor.DeadlockReport
import dev.conduit.supervisor.Diagnostics
import dev.conduit.supervisor.LeakReport
import java.time.Duration
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * What [GoLeakExtension] (JUnit 5) and [GoLeakKotestExtension] (Kotest) check around one test,
 * in one place: [begin] before it, [end] after it. Tests must run one at a time: the goroutine
 * snapshots and the watchdog's reports are the whole JVM's.
 */
internal class TestWatch private constructor(private val before: List<LiveGoroutine>) {
    /**
     * The check after the test: `null` if it passes, else the error to fail it with. A test
     * that failed ([passed] `false`) is not failed again: reports seen during it are printed to
     * `System.err`. Blocks up to [grace] while goroutines the test started end.
     */
    fun end(testName: String, passed: Boolean, expectsLeak: Boolean, expectsDeadlock: Boolean, grace: Duration): AssertionError? {
        try {
            val leaks = drain(leakReports)
            val deadlocks = drain(deadlockReports)
            if (!passed) {
                if (leaks.isNotEmpty()) System.err.println("leaked coroutines reported during the failed test '$testName':\n" + leaks.joinToString("\n"))
                return null
            }
            try {
                GoLeaks.verifyNone(before, grace)
            } catch (e: AssertionError) {
                return e
            }
            if (leaks.isNotEmpty() && !expectsLeak) {
                return AssertionError("the watchdog reported a leaked coroutine during this test (leaked by it or by an earlier one):\n" + leaks.joinToString("\n"))
            }
            if (deadlocks.isNotEmpty() && !expectsDeadlock) {
                return AssertionError("the deadlock watchdog reported during this test:\n" + deadlocks.joinToString("\n"))
            }
            return null
        } finally {
            GoLeaks.recordCreationSites(false)
        }
    }

    companion object {
        /** How long goroutines started by a test may take to end after it. */
        val GRACE: Duration = Duration.ofSeconds(2)

        /** Leak reports since the last test ended: a leak is found when the JVM collects the coroutine, maybe after its test. */
        private val leakReports = ConcurrentLinkedQueue<LeakReport>()

        /** Deadlock reports since the current test began. */
        private val deadlockReports = ConcurrentLinkedQueue<DeadlockReport>()

        init {
            Diagnostics.addLeakListener { leakReports.add(it) }
            Diagnostics.addDeadlockListener { deadlockReports.add(it) }
        }

        /** Starts watching a test: records creation sites and lists the goroutines running before it. Never blocks. */
        fun begin(): TestWatch {
            GoLeaks.recordCreationSites(true)
            deadlockReports.clear()
            return TestWatch(GoLeaks.running())
        }

        private fun <T> drain(q: ConcurrentLinkedQueue<T>): List<T> = generateSequence { q.poll() }.toList()
    }
}
