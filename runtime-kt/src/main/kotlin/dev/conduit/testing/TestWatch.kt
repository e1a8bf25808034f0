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
            val left = if (passed) leftRunning(grace) else null
            // After the grace: a report made while the test's goroutines ended counts as the test's.
            val leaks = drain(leakReports)
            val deadlocks = drain(deadlockReports)
            val failure = when {
                !passed -> null
                left != null -> left
                leaks.isNotEmpty() && !expectsLeak ->
                    AssertionError("the watchdog reported a leaked coroutine during this test (leaked by it or by an earlier one):\n" + leaks.joinToString("\n"))
                deadlocks.isNotEmpty() && !expectsDeadlock ->
                    AssertionError("the deadlock watchdog reported during this test:\n" + deadlocks.joinToString("\n"))
                else -> null
            }
            if (failure == null || failure === left) {
                // Not what the test fails with: shown, not dropped.
                val unused = (if (expectsLeak && passed) emptyList() else leaks) + (if (expectsDeadlock && passed) emptyList() else deadlocks)
                if (unused.isNotEmpty()) System.err.println("conduit: reported during the test '$testName':\n" + unused.joinToString("\n"))
            }
            return failure
        } finally {
            if (depth.decrementAndGet() == 0) GoLeaks.recordCreationSites(false)
        }
    }

    /** [GoLeaks.verifyNone]'s error, or `null` if every goroutine the test started ended within [grace]. */
    private fun leftRunning(grace: Duration): AssertionError? =
        try {
            GoLeaks.verifyNone(before, grace)
            null
        } catch (e: AssertionError) {
            e
        }

    companion object {
        /** How long goroutines started by a test may take to end after it. */
        val GRACE: Duration = Duration.ofSeconds(2)

        /** The tag (JUnit's string, Kotest's tag name) of a test that leaks a coroutine on purpose. */
        const val EXPECTED_LEAK: String = "ExpectedLeak"

        /** The tag of a test that deadlocks on purpose. */
        const val EXPECTED_DEADLOCK: String = "ExpectedDeadlock"

        /** Watches open now: a watch begun inside another (a test running the extension itself) leaves recording on for the outer one. */
        private val depth = java.util.concurrent.atomic.AtomicInteger()

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
            if (depth.getAndIncrement() == 0) GoLeaks.recordCreationSites(true)
            val between = drain(deadlockReports)
            if (between.isNotEmpty()) System.err.println("conduit: reported between tests:\n" + between.joinToString("\n"))
            return TestWatch(GoLeaks.running())
        }

        private fun <T> drain(q: ConcurrentLinkedQueue<T>): List<T> = generateSequence { q.poll() }.toList()
    }
}
