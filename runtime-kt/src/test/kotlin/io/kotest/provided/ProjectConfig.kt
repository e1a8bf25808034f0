package io.kotest.provided

import dev.conduit.GoLeaks
import io.kotest.core.config.AbstractProjectConfig
import io.kotest.core.extensions.Extension
import io.kotest.core.extensions.TestCaseExtension
import io.kotest.core.test.TestCase
import io.kotest.engine.test.TestResult
import java.time.Duration

/**
 * The project's Kotest setup (Kotest 6 looks for this class by name): every test runs with
 * Conduit's goleak, so a test that leaves a goroutine running fails, listing it.
 */
object ProjectConfig : AbstractProjectConfig() {
    override val extensions: List<Extension> = listOf(GoLeakCheck)
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
