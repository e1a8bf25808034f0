package dev.conduit.testing

import io.kotest.core.Tag
import io.kotest.core.extensions.TestCaseExtension
import io.kotest.core.test.TestCase
import io.kotest.engine.test.TestResult
import java.time.Duration

/**
 * A Kotest extension, Go's `goleak` for Conduit, as [GoLeakExtension] is for JUnit 5: it fails
 * a test that leaves a Conduit goroutine running after [GRACE], listing each with where it was
 * started; and, with detection on (`-Dconduit.diagnostics=true`), a test during which the
 * watchdog reported a leaked coroutine (unless tagged [ExpectedLeak]) or a deadlock (unless
 * tagged [ExpectedDeadlock]). A leak is found only once the JVM has collected the coroutine,
 * which may be after the test that leaked it: the report names the coroutine and where it was
 * suspended, which tells whose it is. A test that failed on its own is left as it is.
 *
 * Goroutines running before the test are not counted; creation sites are recorded during it.
 * It compares snapshots of the whole JVM, so tests must run one at a time (Kotest's default).
 *
 * ```
 * object ProjectConfig : AbstractProjectConfig() {
 *     override val extensions = listOf(GoLeakKotestExtension)
 * }
 * ```
 *
 * Kotest must be on the class path (`io.kotest:kotest-framework-engine-jvm` is an optional
 * dependency of Conduit's core). It suspends while the test runs and blocks up to [GRACE]
 * after it.
 */
public object GoLeakKotestExtension : TestCaseExtension {
    /** How long goroutines started by a test may take to end after it: 2 s. */
    @JvmField
    public val GRACE: Duration = TestWatch.GRACE

    /** Runs [testCase] through [execute], then fails it as the class comment says. Suspends while it runs; blocks up to [GRACE] after. */
    override suspend fun intercept(testCase: TestCase, execute: suspend (TestCase) -> TestResult): TestResult {
        val watch = TestWatch.begin()
        val result = execute(testCase)
        val tags = testCase.config?.tags.orEmpty()
        val failure = watch.end(testCase.name.name, result.isSuccess, ExpectedLeak in tags, ExpectedDeadlock in tags, GRACE)
        return if (failure == null) result else TestResult.Failure(result.duration, failure)
    }
}

/** Tags a Kotest test that leaks a coroutine on purpose: [GoLeakKotestExtension] lets the leak reports during it pass. */
public object ExpectedLeak : Tag()

/** Tags a Kotest test that deadlocks on purpose: [GoLeakKotestExtension] lets the watchdog's deadlock reports during it pass. */
public object ExpectedDeadlock : Tag()
