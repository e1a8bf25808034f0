package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import dev.conduit.context.withTimeout
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.longs.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import java.io.IOException
import kotlin.random.Random
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun TestScope.clock(): Clock = Clock.of(backgroundScope, testScheduler.timeSource)

private fun config(
    attempts: Int,
    backoff: Backoff = Backoff.fixed(100.milliseconds),
    retryOn: (Throwable) -> Boolean = { it is Exception },
    retryOnResult: (Any?) -> Boolean = { false },
    budget: RetryBudget? = null,
) = RetryConfig.builder().maxAttempts(attempts).backoff(backoff).retryOn(retryOn).retryOnResult(retryOnResult).budget(budget).build()

/** A block failing with IOException until attempt [succeedOn], recording when each attempt ran. */
private class Flaky(private val scope: TestScope, private val succeedOn: Int = Int.MAX_VALUE) {
    val times = ArrayList<Long>()
    val failures = ArrayList<IOException>()

    fun attempt(): String {
        times += scope.currentTime
        if (times.size >= succeedOn) return "ok on ${times.size}"
        val e = IOException("failure ${times.size}")
        failures += e
        throw e
    }
}

class RetryTest : FunSpec({
    test("a config is immutable; toBuilder copies every setting and a rejected value changes nothing") {
        val budget = RetryBudget(percent = 10.0)
        val onResult: (Any?) -> Boolean = { it == "again" }
        val base = RetryConfig.builder().maxAttempts(5).backoff(Backoff.fixed(7.milliseconds)).retryOnResult(onResult).budget(budget).build()
        val builder = base.toBuilder()
        shouldThrow<IllegalArgumentException> { builder.maxAttempts(-2) }
        val copy = builder.build()
        copy.maxAttempts shouldBe 5
        copy.backoff shouldBe base.backoff
        copy.retryOnResult shouldBe onResult
        copy.budget shouldBe budget
        builder.maxAttempts(2).build().maxAttempts shouldBe 2
        base.maxAttempts shouldBe 5
        RetryConfig.defaults().maxAttempts shouldBe 3
        RetryConfig.defaults().retryOn(IOException()) shouldBe true
        RetryConfig.defaults().retryOn(Error()) shouldBe false
        RetryConfig.defaults().budget shouldBe null
    }

    test("the builder and the backoffs reject bad values, naming them") {
        shouldThrow<IllegalArgumentException> { RetryConfig.builder().maxAttempts(0) }.message shouldBe "maxAttempts must be >= 1, but was 0"
        shouldThrow<IllegalArgumentException> { Backoff.fixed((-1).milliseconds) }.message shouldBe "delay must be >= 0, but was -1ms"
        shouldThrow<IllegalArgumentException> { Backoff.exponential(Duration.ZERO) }.message shouldBe "initial must be > 0, but was 0s"
        shouldThrow<IllegalArgumentException> { Backoff.exponential(1.seconds, 0.5) }.message shouldBe "multiplier must be >= 1.0, but was 0.5"
        shouldThrow<IllegalArgumentException> { Backoff.fullJitter(1.seconds, 2.0, 10.milliseconds) }.message shouldBe
            "max must be >= initial (1s), but was 10ms"
        shouldThrow<IllegalArgumentException> { RetryBudget(percent = 101.0) }.message shouldBe "percent must be in [0, 100], but was 101.0"
        shouldThrow<IllegalArgumentException> { RetryBudget(minRetriesPerWindow = -1) }.message shouldBe
            "minRetriesPerWindow must be >= 0, but was -1"
    }

    test("backoff sequences: fixed, exponential with a cap") {
        (1..4).map { Backoff.fixed(50.milliseconds).delay(it) } shouldContainExactly List(4) { 50.milliseconds }
        (1..6).map { Backoff.exponential(100.milliseconds, 2.0, 1.seconds).delay(it) } shouldContainExactly
            listOf(100, 200, 400, 800, 1000, 1000).map { it.milliseconds }
    }

    test("full jitter stays in [0, the exponential ceiling) and follows its random source") {
        val jitter = Backoff.fullJitter(100.milliseconds, 2.0, 1.seconds, Random(42))
        val again = Backoff.fullJitter(100.milliseconds, 2.0, 1.seconds, Random(42))
        for (retry in 1..50) {
            val d = jitter.delay(retry)
            val ceiling = Backoff.exponential(100.milliseconds, 2.0, 1.seconds).delay(retry)
            withClue("retry $retry: $d below $ceiling") { (d >= Duration.ZERO && d < ceiling) shouldBe true }
            withClue("the same seed gives the same sequence") { again.delay(retry) shouldBe d }
        }
        val fixedRandom = object : Random() {
            override fun nextBits(bitCount: Int): Int = 0
            override fun nextDouble(): Double = 0.5
        }
        Backoff.fullJitter(100.milliseconds, 2.0, 1.seconds, fixedRandom).delay(3) shouldBe 200.milliseconds
    }

    test("retries with the backoff between attempts, in virtual time, until one succeeds") {
        runTest {
            val flaky = Flaky(this, succeedOn = 3)
            val retry = Retry(config(5, Backoff.exponential(100.milliseconds)))
            retry.call(Context.background(clock())) { flaky.attempt() } shouldBe "ok on 3"
            flaky.times shouldContainExactly listOf(0L, 100L, 300L)
            val m = retry.metrics()
            listOf(m.calls, m.attempts, m.retries) shouldContainExactly listOf(1L, 3L, 2L)
        }
    }

    test("when the attempts run out, the last failure itself is thrown") {
        runTest {
            val flaky = Flaky(this)
            val e = shouldThrow<IOException> { Retry(config(3)).call(Context.background(clock())) { flaky.attempt() } }
            e shouldBeSameInstanceAs flaky.failures.last()
            flaky.times shouldContainExactly listOf(0L, 100L, 200L)
        }
    }

    test("a failure the predicate does not accept is thrown at once; a retried result is returned when attempts run out") {
        runTest {
            val retry = Retry(config(3, retryOn = { it is IOException }, retryOnResult = { it == "busy" }))
            var n = 0
            shouldThrow<IllegalStateException> { retry.call { n++; error("bug") } }
            n shouldBe 1
            val results = ArrayDeque(listOf("busy", "done"))
            retry.call(Context.background(clock())) { results.removeFirst() } shouldBe "done"
            retry.call(Context.background(clock())) { "busy" } shouldBe "busy"
        }
    }

    test("a retry that would sleep past the context's deadline fails at once with the last failure attached") {
        runTest {
            val flaky = Flaky(this)
            val ctx = Context.background(clock()).withTimeout(250.milliseconds)
            val retry = Retry(config(10))
            val e = shouldThrow<RetryAbortedException> { retry.call(ctx) { flaky.attempt() } }
            e.reason shouldBe RetryAbortedException.Reason.DEADLINE
            e.cause shouldBeSameInstanceAs flaky.failures.last()
            withClue("attempts at 0, 100, 200; the next backoff would end at 300, past 250") {
                flaky.times shouldContainExactly listOf(0L, 100L, 200L)
                currentTime shouldBe 200
            }
            retry.metrics().deadlineAborted shouldBe 1
        }
    }

    test("a context cancelled during a backoff ends the sleep with its error") {
        runTest {
            val ctx = Context.background(clock()).withCancel()
            val call = async(start = CoroutineStart.UNDISPATCHED) {
                runCatching { Retry(config(3, Backoff.fixed(1.seconds))).call(ctx) { throw IOException("down") } }
            }
            testScheduler.advanceTimeBy(500)
            runCurrent()
            ctx.cancel()
            runCurrent()
            (call.await().exceptionOrNull() is ContextCanceledException) shouldBe true
            currentTime shouldBe 500
        }
    }

    test("a shared budget stops retries across calls and Retry instances once spent") {
        runTest {
            val budget = RetryBudget(percent = 10.0, minRetriesPerWindow = 2, window = 10.seconds, clock = clock())
            val one = Retry(config(3, Backoff.fixed(Duration.ZERO), budget = budget))
            val two = Retry(config(3, Backoff.fixed(Duration.ZERO), budget = budget))
            val ctx = Context.background(clock())
            val first = Flaky(this)
            shouldThrow<IOException> { one.call(ctx) { first.attempt() } }
            withClue("the floor of 2 retries went to the first call") { first.times.size shouldBe 3 }
            val second = Flaky(this)
            val e = shouldThrow<RetryAbortedException> { two.call(ctx) { second.attempt() } }
            e.reason shouldBe RetryAbortedException.Reason.BUDGET_EXHAUSTED
            e.cause shouldBeSameInstanceAs second.failures.single()
            e.message shouldContain "the retry budget is exhausted"
            two.metrics().budgetExhausted shouldBe 1
            budget.rejected shouldBe 1
        }
    }

    test("the budget rule: retries + 1 <= floor + percent of calls over the window, and old slots leave it") {
        runTest {
            val budget = RetryBudget(percent = 50.0, minRetriesPerWindow = 1, window = 1.seconds, clock = clock())
            repeat(4) { budget.recordCall() }
            withClue("1 + 50% of 4 = 3") { budget.available() shouldBe 3 }
            List(4) { budget.tryRetry() } shouldContainExactly listOf(true, true, true, false)
            testScheduler.advanceTimeBy(1_000)
            withClue("a window later only the floor is left") { budget.available() shouldBe 1 }
        }
    }
})
