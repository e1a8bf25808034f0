package io.kotest.provided

import dev.conduit.GoLeaks
import dev.conduit.supervisor.DeadlockReport
import dev.conduit.supervisor.Diagnostics
import dev.conduit.supervisor.LeakReport
import io.kotest.core.Tag
import io.kotest.core.config.AbstractProjectConfig
import io.kotest.core.extensions.Extension
import io.kotest.core.extensions.TestCaseExtension
import io.kotest.core.test.TestCase
import io.kotest.engine.test.TestResult
import java.time.Duration
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * The project's Kotest setup (Kotest 6 looks for this class by name): every test runs with
 * Conduit's goleak, so a test that leaves a goroutine running fails, listing it; and with the
 * deadlock watchdog on (`-Dconduit.diagnostics=true`), so a test during which it reports a
 * deadlock fails, unless it is tagged [Deadlocks], and one during which it reports a leaked
 * coroutine fails, unless it is tagged [Leaks].
 */
object ProjectConfig : AbstractProjectConfig() {
    override val extensions: List<Extension> = listOf(GoLeakCheck, NoDeadlockReported, NoLeakReported)
}

/** Tags a test that deadlocks on purpose: the watchdog's reports during it are expected. */
object Deadlocks : Tag()

/** Tags a test that leaks a coroutine on purpose: the leak reports during it are expected. */
object Leaks : Tag()

/**
 * Fails a test (not tagged [Leaks]) during which the watchdog reported a leaked coroutine. A
 * leak is found when the JVM collects the coroutine, which may be after the test that leaked it
 * has ended: the report names the coroutine and where it was suspended, which tells whose it is.
 */
object NoLeakReported : TestCaseExtension {
    private val reports = ConcurrentLinkedQueue<LeakReport>()

    init {
        Diagnostics.addLeakListener { reports.add(it) }
    }

    override suspend fun intercept(testCase: TestCase, execute: suspend (TestCase) -> TestResult): TestResult {
        val result = execute(testCase)
        val seen = generateSequence { reports.poll() }.toList()
        if (seen.isEmpty() || Leaks in testCase.config?.tags.orEmpty()) return result
        if (!result.isSuccess) {
            System.err.println("leaked coroutines reported during the failed test '${testCase.name.name}':\n" + seen.joinToString("\n"))
            return result
        }
        return TestResult.Failure(result.duration, AssertionError("the watchdog reported a leaked coroutine during this test (leaked by it or by an earlier one):\n" + seen.joinToString("\n")))
    }
}

/** Fails a test (not tagged [Deadlocks]) during which the deadlock watchdog reported one: a false report, or a real deadlock. */
object NoDeadlockReported : TestCaseExtension {
    private val reports = ConcurrentLinkedQueue<DeadlockReport>()

    init {
        Diagnostics.addDeadlockListener { reports.add(it) }
    }

    override suspend fun intercept(testCase: TestCase, execute: suspend (TestCase) -> TestResult): TestResult {
        reports.clear()
        val result = execute(testCase)
        val seen = reports.toList()
        if (!result.isSuccess || seen.isEmpty() || Deadlocks in testCase.config?.tags.orEmpty()) return result
        return TestResult.Failure(result.duration, AssertionError("the deadlock watchdog reported during this test:\n" + seen.joinToString("\n")))
    }
}

/** [GoLeaks.verifyNone] after each test (2 s of grace), as `dev.conduit.testing.GoLeakExtension` does for JUnit 5. */
object GoLeakCheck : TestCaseExtension {
    private val grace = Duration.ofSeconds(2)

    override suspend fun intercept(testCase: TestCase, execute: suspend (TestCase) -> TestResult): TestResult {
        GoLeaks.recordCreationSites(true)
        val before = GoLeaks.running()
        val result = execute(testCase)
        if (!result.isSuccess) {
            GoLeaks.recordCreationSites(false)
            return result
        }
        return try {
            GoLeaks.verifyNone(before, grace)
            result
        } catch (e: AssertionError) {
            TestResult.Failure(result.duration, e)
        } finally {
            GoLeaks.recordCreationSites(false)
        }
    }
}
