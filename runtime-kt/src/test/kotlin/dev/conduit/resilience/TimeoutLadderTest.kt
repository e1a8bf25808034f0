package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import dev.conduit.context.DeadlineExceededException
import dev.conduit.context.withTimeout
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import java.io.IOException
import java.util.concurrent.TimeoutException
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun TestScope.virtualContext(): Context = Context.background(Clock.of(backgroundScope, testScheduler.timeSource))

private val RUNGS = listOf(100.milliseconds, 200.milliseconds, 400.milliseconds)

class TimeoutLadderTest : FunSpec({
    test("bad timeouts are rejected, naming them") {
        shouldThrow<IllegalArgumentException> { TimeoutLadder(emptyList()) }.message shouldBe "timeouts must not be empty"
        shouldThrow<IllegalArgumentException> { TimeoutLadder(listOf(1.seconds, 0.seconds)) }.message shouldBe
            "timeouts[1] must be > 0 and finite, but was 0s"
        shouldThrow<IllegalArgumentException> { TimeoutLadder(listOf(2.seconds, 1.seconds)) }.message shouldBe
            "timeouts must increase, but timeouts[1] = 1s is not above timeouts[0] = 2s"
        shouldThrow<IllegalArgumentException> { TimeoutLadder(RUNGS, hedgeAfter = 0.seconds) }.message shouldBe
            "hedgeAfter must be > 0, but was 0s"
    }

    test("nextTimeout steps through the rungs once, then reset starts again") {
        val ladder = TimeoutLadder(RUNGS)
        List(4) { ladder.nextTimeout() } shouldContainExactly listOf(100.milliseconds, 200.milliseconds, 400.milliseconds, null)
        ladder.reset()
        ladder.nextTimeout() shouldBe 100.milliseconds
    }

    test("each timed-out attempt is cancelled and the next gets the next rung's timeout") {
        runTest {
            val starts = ArrayList<Pair<Int, Long>>()
            val cancelledAt = ArrayList<Long>()
            val answer = TimeoutLadder(RUNGS).run(virtualContext()) { c, attempt ->
                starts += attempt to currentTime
                if (attempt < 3) {
                    try {
                        awaitCancellation()
                    } finally {
                        withClue("the attempt's own context is done too") { c.err.shouldBeInstanceOf<DeadlineExceededException>() }
                        cancelledAt += currentTime
                    }
                }
                delay(300.milliseconds)
                "third"
            }
            answer shouldBe "third"
            starts shouldContainExactly listOf(1 to 0L, 2 to 100L, 3 to 300L)
            cancelledAt shouldContainExactly listOf(100L, 300L)
            currentTime shouldBe 600
        }
    }

    test("after the last rung it fails with every attempt's failure") {
        runTest {
            val e = shouldThrow<LadderExhaustedException> {
                TimeoutLadder(RUNGS).run(virtualContext()) { _, _ -> awaitCancellation() }
            }
            e.failures.map { it.message } shouldContainExactly listOf(
                "attempt 1 timed out after 100ms", "attempt 2 timed out after 200ms", "attempt 3 timed out after 400ms",
            )
            e.failures.forEach { it.shouldBeInstanceOf<TimeoutException>() }
            e.cause shouldBeSameInstanceAs e.failures.last()
            e.message shouldContain "ran out after 3 attempt(s)"
            currentTime shouldBe 700
        }
    }

    test("a failure goes to the next rung only if nextRungOn accepts it; otherwise it is thrown as it is") {
        runTest {
            val boom = IOException("boom")
            val thrown = shouldThrow<IOException> { TimeoutLadder(RUNGS).run(virtualContext()) { _, _ -> throw boom } }
            thrown shouldBeSameInstanceAs boom
            val failover = TimeoutLadder(RUNGS, nextRungOn = { it is IOException })
            failover.run(virtualContext()) { _, attempt -> if (attempt == 1) throw boom else "second" } shouldBe "second"
            val all = shouldThrow<LadderExhaustedException> { failover.run(virtualContext()) { _, _ -> throw boom } }
            all.failures shouldContainExactly listOf(boom, boom, boom)
        }
    }

    test("hedging: a slow first attempt gets a second one alongside; the first answer wins and the loser is cancelled") {
        runTest {
            val loserCancelled = CompletableDeferred<Long>()
            val ladder = TimeoutLadder(RUNGS, hedgeAfter = 30.milliseconds)
            val answer = ladder.run(virtualContext()) { c, attempt ->
                when (attempt) {
                    1 -> try {
                        delay(80.milliseconds)
                        "first"
                    } finally {
                        withClue("the loser's context is cancelled with it") { c.err.shouldBeInstanceOf<ContextCanceledException>() }
                        loserCancelled.complete(currentTime)
                    }
                    else -> {
                        delay(20.milliseconds)
                        "second"
                    }
                }
            }
            withClue("the hedge started at 30 ms and answered at 50 ms") { answer shouldBe "second" }
            currentTime shouldBe 50
            loserCancelled.isCompleted shouldBe true
            loserCancelled.await() shouldBe 50
        }
    }

    test("hedging: the first attempt may still win, and the hedge is cancelled") {
        runTest {
            val hedges = ArrayList<Job>()
            val answer = TimeoutLadder(RUNGS, hedgeAfter = 30.milliseconds).run(virtualContext()) { _, attempt ->
                if (attempt == 1) {
                    delay(40.milliseconds)
                    "first"
                } else {
                    hedges += kotlin.coroutines.coroutineContext[Job]!!
                    awaitCancellation()
                }
            }
            answer shouldBe "first"
            currentTime shouldBe 40
            withClue("one hedge started at 30 ms, none after the answer") { hedges.size shouldBe 1 }
            hedges.single().isCancelled shouldBe true
        }
    }

    test("the caller's context ending cancels every attempt and fails with its error") {
        runTest {
            val ctx = virtualContext().withTimeout(150.milliseconds)
            val attemptJobs = ArrayList<Job>()
            shouldThrow<DeadlineExceededException> {
                TimeoutLadder(RUNGS, hedgeAfter = 30.milliseconds).run(ctx) { _, _ ->
                    attemptJobs += kotlin.coroutines.coroutineContext[Job]!!
                    awaitCancellation()
                }
            }
            currentTime shouldBe 150
            attemptJobs.forEach { withClue("no attempt outlives run") { it.isCompleted shouldBe true } }
        }
    }

    test("cancelling the caller cancels the attempts") {
        runTest {
            val started = CompletableDeferred<Job>()
            val run = async(start = CoroutineStart.UNDISPATCHED) {
                TimeoutLadder(RUNGS).run(virtualContext()) { _, _ ->
                    started.complete(kotlin.coroutines.coroutineContext[Job]!!)
                    awaitCancellation()
                }
            }
            val attempt = started.await()
            run.cancel()
            runCurrent()
            attempt.isCancelled shouldBe true
            run.isCancelled shouldBe true
        }
    }
})
