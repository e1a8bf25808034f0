package dev.conduit.testing

import io.kotest.core.Tag
import io.kotest.core.extensions.TestCaseExtension
import io.kotest.core.test.TestCase
import io.kotest.core.test.TestType
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

    /**
     * Runs [testCase] through [execute], then fails it as the class comment says; a container
     * (`context`, `describe`) is run as it is, its tests being checked one by one. Suspends
     * while it runs; blocks up to [GRACE] after.
     */
    override suspend fun intercept(testCase: TestCase, execute: suspend (TestCase) -> TestResult): TestResult {
        if (testCase.type == TestType.Container) return execute(testCase)
        val watch = TestWatch.begin()
        val result = execute(testCase)
        val tags = tagNames(testCase)
        val failure = watch.end(testCase.name.name, result.isSuccess, TestWatch.EXPECTED_LEAK in tags, TestWatch.EXPECTED_DEADLOCK in tags, GRACE)
        return if (failure == null) result else TestResult.Failure(result.duration, failure)
    }

    /** The names of the tags on [testCase], on the containers around it and on its spec. */
    private fun tagNames(testCase: TestCase): Set<String> {
        val names = testCase.spec.tags().mapTo(HashSet()) { it.name }
        generateSequence(testCase) { it.parent }.forEach { t -> t.config?.tags?.forEach { names += it.name } }
        return names
    }
}

/**
 * Tags a Kotest test (or a container or spec) that leaks a coroutine on purpose:
 * [GoLeakKotestExtension] lets the leak reports during it pass. A `NamedTag("ExpectedLeak")`
 * does the same.
 */
public object ExpectedLeak : Tag()

/**
 * Tags a Kotest test (or a container or spec) that deadlocks on purpose: [GoLeakKotestExtension]
 * lets the watchdog's deadlock reports during it pass. A `NamedTag("ExpectedDeadlock")` does
 * the same.
 */
public object ExpectedDeadlock : Tag()
