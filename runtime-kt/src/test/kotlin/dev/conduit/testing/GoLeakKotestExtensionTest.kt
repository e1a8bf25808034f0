package dev.conduit.testing

import dev.conduit.context.Context
import dev.conduit.go
import dev.conduit.supervisor.Diagnostics
import dev.conduit.supervisor.GoroutineManager
import dev.conduit.supervisor.awaitUntil
import dev.conduit.supervisor.startLockCycle
import dev.conduit.sync.Mutex
import io.kotest.core.NamedTag
import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.TestCase
import io.kotest.engine.test.TestResult
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.CompletableDeferred
import java.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * [GoLeakKotestExtension] run on a test's own [TestCase] around a body given here (the project's
 * config runs it around every test as well; each body here cleans up before that outer check).
 */
class GoLeakKotestExtensionTest : FunSpec(spec@{
    suspend fun TestCase.around(body: suspend () -> Unit): TestResult =
        GoLeakKotestExtension.intercept(this) { body(); TestResult.Success(1.milliseconds) }

    test("a body that leaves a goroutine running fails, naming it and where it started; one that joins what it starts passes") {
        val gate = CompletableDeferred<Unit>()
        val leaky = testCase.around { go { gate.await() } }
        gate.complete(Unit)
        leaky.isFailure shouldBe true
        leaky.errorOrNull!!.message!! shouldStartWith "1 goroutine(s) still running 2000 ms after the test:"
        leaky.errorOrNull!!.message!! shouldContain "coroutine 'go', started at dev.conduit.testing.GoLeakKotestExtensionTest"
        testCase.around { go { }.join() }.isSuccess shouldBe true
    }

    test("a body that failed on its own keeps its own failure") {
        val gate = CompletableDeferred<Unit>()
        val own = AssertionError("its own")
        val r = GoLeakKotestExtension.intercept(testCase) { go { gate.await() }; TestResult.Failure(1.milliseconds, own) }
        gate.complete(Unit)
        r.errorOrNull shouldBe own
    }

    if (!Diagnostics.isEnabled) return@spec // DiagnosticsTest checks that it is on in this suite's JVMs

    /** A lock cycle (then the whole program asleep, as nothing else runs) the watchdog reports within the body, then undone. */
    suspend fun lockCycle() {
        val before = Diagnostics.reportAfter
        Diagnostics.reportAfter = Duration.ofMillis(100)
        val m = GoroutineManager(Context.background(), 2, name = "cycle")
        try {
            startLockCycle(m, Mutex("a"), Mutex("b"), "a-first", "b-first")
            val r = Diagnostics.awaitDeadlock(Duration.ofSeconds(30)) ?: error("no report within 30 s")
            r.goroutines.map { it.name }.toSet() shouldBe setOf("a-first", "b-first")
        } finally {
            Diagnostics.reportAfter = before
            m.cancel()
            m.wait()
        }
        // A check that looked before the cancel delivers before the next two end: the watch
        // around this body sees its report, the project's watch around the whole test does not.
        val checked = Diagnostics.checksDone
        awaitUntil { Diagnostics.checksDone >= checked + 2 }
    }

    test("a body during which the watchdog reported a deadlock fails with the report") {
        val r = testCase.around { lockCycle() }
        r.isFailure shouldBe true
        r.errorOrNull!!.message!! shouldStartWith "the deadlock watchdog reported during this test:"
        r.errorOrNull!!.message!! shouldContain "\"a-first\""
    }

    test("a test tagged ExpectedDeadlock passes with the watchdog's report").config(tags = setOf(ExpectedDeadlock)) {
        testCase.around { lockCycle() }.isSuccess shouldBe true
    }

    test("a tag is known by its name: NamedTag(\"ExpectedDeadlock\") does the same").config(tags = setOf(NamedTag("ExpectedDeadlock"))) {
        testCase.around { lockCycle() }.isSuccess shouldBe true
    }
})
