package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import dev.conduit.context.DeadlineExceededException
import dev.conduit.context.withTimeout
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun TestScope.clock(): Clock = Clock.of(backgroundScope, testScheduler.timeSource)

/** Go's `rate.InfDuration`: the delay of a reservation that was refused or will never come due. */
private val INFINITE_DELAY = java.time.Duration.ofNanos(Long.MAX_VALUE)

class RateLimiterTest : FunSpec({
    test("bad arguments are rejected, naming the value") {
        shouldThrow<IllegalArgumentException> { RateLimiter(-1.0, 1) }.message shouldBe "rate must be >= 0, but was -1.0"
        shouldThrow<IllegalArgumentException> { RateLimiter(Double.NaN, 1) }.message shouldBe "rate must be >= 0, but was NaN"
        shouldThrow<IllegalArgumentException> { RateLimiter(1.0, -2) }.message shouldBe "burst must be >= 0, but was -2"
        val limiter = RateLimiter(10.0, 3)
        shouldThrow<IllegalArgumentException> { limiter.allowN(-1) }.message shouldBe "n must be >= 0, but was -1"
        shouldThrow<IllegalArgumentException> { limiter.reserveN(-1) }.message shouldBe "n must be >= 0, but was -1"
        shouldThrow<IllegalArgumentException> { limiter.setRate(-0.5) }
        shouldThrow<IllegalArgumentException> { limiter.setBurst(-1) }
        runTest {
            withClue("Go's WaitN fails when n exceeds the burst") {
                shouldThrow<IllegalArgumentException> { limiter.waitN(Context.background(), 4) }.message shouldBe "n must be <= burst (3), but was 4"
            }
            shouldThrow<IllegalArgumentException> { limiter.waitN(Context.background(), -1) }
            shouldThrow<IllegalArgumentException> { limiter.reserveN(1, (-1).seconds) }.message shouldBe "maxWait must be >= 0, but was -1s"
        }
    }

    test("simultaneous requests never exceed the burst") {
        runTest {
            val limiter = RateLimiter(1.0, 5, clock())
            (1..100).count { limiter.allow() } shouldBe 5
            delay(1.seconds)
            (1..100).count { limiter.allow() } shouldBe 1
        }
    }

    test("long-running QPS is within 1% of the rate, and no window exceeds burst + rate * t") {
        runTest {
            val rate = 50.0
            val burst = 10
            val limiter = RateLimiter(rate, burst, clock())
            val grants = ArrayList<Long>()
            val workers = List(4) {
                launch {
                    while (currentTime < 100_000) {
                        limiter.wait()
                        grants.add(currentTime)
                    }
                }
            }
            workers.forEach { it.join() }
            val inTime = grants.count { it < 100_000 }
            (inTime - burst).toDouble() shouldBe (rate * 100).plusOrMinus(rate * 100 * 0.01)
            // The fullest window of up to 200 consecutive grants, by how far it exceeds its allowance.
            var worst = Triple(0, 0, Double.NEGATIVE_INFINITY)
            for (i in grants.indices) {
                for (j in i until minOf(grants.size, i + 200)) {
                    val window = (grants[j] - grants[i]) / 1000.0
                    val excess = (j - i + 1) - (burst + rate * window)
                    if (excess > worst.third) worst = Triple(i, j, excess)
                }
            }
            withClue("grants ${worst.first}..${worst.second} (at ${grants[worst.first]}..${grants[worst.second]} ms) exceed burst + rate * t by ${worst.third}") {
                worst.third shouldBeLessThanOrEqual 1e-6
            }
        }
    }

    test("waiters are served in arrival order") {
        runTest {
            val limiter = RateLimiter(1.0, 1, clock())
            withClue("the one token of a full bucket must be granted at once") { limiter.allow() shouldBe true }
            val order = ArrayList<Int>()
            val waiters = (1..5).map { i ->
                launch(start = CoroutineStart.UNDISPATCHED) {
                    limiter.wait()
                    order.add(i)
                }
            }
            waiters.forEach { it.join() }
            order shouldBe listOf(1, 2, 3, 4, 5)
            currentTime shouldBe 5_000L
        }
    }

    test("a wait whose context is cancelled fails and takes no token") {
        runTest {
            val limiter = RateLimiter(1.0, 1, clock())
            withClue("the one token of a full bucket must be granted at once") { limiter.allow() shouldBe true }
            val ctx = Context.background(clock()).withCancel()
            val first = async(start = CoroutineStart.UNDISPATCHED) { runCatching { limiter.wait(ctx) } }
            delay(100.milliseconds)
            ctx.cancel()
            first.await().exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            limiter.tokens() shouldBe 0.1.plusOrMinus(1e-9)
            limiter.wait()
            currentTime shouldBe 1_000L
        }
    }

    test("a waiter that gives up keeps the waiters behind it on their schedule") {
        runTest {
            val limiter = RateLimiter(1.0, 1, clock())
            withClue("the one token of a full bucket must be granted at once") { limiter.allow() shouldBe true }
            val ctx = Context.background(clock()).withCancel()
            val first = async(start = CoroutineStart.UNDISPATCHED) { runCatching { limiter.wait(ctx) } }
            val second = async(start = CoroutineStart.UNDISPATCHED) { limiter.wait(); currentTime }
            ctx.cancel()
            first.await().exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            second.await() shouldBe 2_000L
        }
    }

    test("a wait that cannot be granted before the deadline fails at once and takes nothing") {
        runTest {
            val limiter = RateLimiter(1.0, 1, clock())
            withClue("the one token of a full bucket must be granted at once") { limiter.allow() shouldBe true }
            val ctx = Context.background(clock()).withTimeout(500.milliseconds)
            shouldThrow<DeadlineExceededException> { limiter.wait(ctx) }
            currentTime shouldBe 0L
            limiter.tokens() shouldBe 0.0.plusOrMinus(1e-9)
        }
    }

    test("a cancelled coroutine gives its reserved token back") {
        runTest {
            val limiter = RateLimiter(1.0, 1, clock())
            withClue("the one token of a full bucket must be granted at once") { limiter.allow() shouldBe true }
            val waiting = launch(start = CoroutineStart.UNDISPATCHED) { limiter.wait() }
            waiting.cancel()
            runCurrent()
            limiter.tokens() shouldBe 0.0.plusOrMinus(1e-9)
        }
    }

    test("reserve says how long to wait, and cancel gives the tokens back") {
        runTest {
            val limiter = RateLimiter(2.0, 2, clock())
            limiter.reserveN(2).delay shouldBe java.time.Duration.ZERO
            val r = limiter.reserve()
            withClue("a reservation of one token must be ok, if delayed") { r.ok shouldBe true }
            r.delay shouldBe java.time.Duration.ofMillis(500)
            r.cancel()
            limiter.tokens() shouldBe 0.0.plusOrMinus(1e-9)
        }
    }

    test("cancelling a reservation twice gives its tokens back once: the burst is never exceeded") {
        runTest {
            val limiter = RateLimiter(2.0, 2, clock())
            limiter.reserveN(2).delay shouldBe java.time.Duration.ZERO
            val r = limiter.reserve()
            r.cancel()
            r.cancel()
            withClue("the bucket holds what the first cancel gave back, no more") { limiter.tokens() shouldBe 0.0.plusOrMinus(1e-9) }
            withClue("2 tokens were granted at time 0 with a burst of 2: a third must be refused") { limiter.allow() shouldBe false }
        }
    }

    test("rate and burst change at run time") {
        runTest {
            val limiter = RateLimiter(1.0, 1, clock())
            withClue("the one token of a full bucket must be granted at once") { limiter.allow() shouldBe true }
            limiter.setRate(10.0)
            delay(100.milliseconds)
            withClue("at the new rate of 10/s a token is due after 100 ms") { limiter.allow() shouldBe true }
            limiter.setBurst(5)
            delay(1.seconds)
            (1..10).count { limiter.allow() } shouldBe 5
            limiter.setBurst(2)
            limiter.tokens() shouldBe 0.0.plusOrMinus(1e-9)
            limiter.rate() shouldBe 10.0
            limiter.burst() shouldBe 2
        }
    }

    test("an infinite rate allows everything; a zero rate allows the burst once") {
        runTest {
            val unlimited = RateLimiter(Double.POSITIVE_INFINITY, 0, clock())
            (1..1000).count { unlimited.allowN(50) } shouldBe 1000
            unlimited.wait()
            unlimited.waitN(Context.background(), 50)
            val zero = RateLimiter(0.0, 2, clock())
            withClue("a zero rate still grants the initial burst") { zero.allowN(2) shouldBe true }
            delay(1_000.seconds)
            withClue("a zero rate never refills the bucket") { zero.allow() shouldBe false }
        }
    }

    test("as Go: at rate 0 a wait without a deadline waits for its context, and gives its token back") {
        runTest {
            val zero = RateLimiter(0.0, 1, clock())
            zero.allow() shouldBe true
            val ctx = Context.background(clock()).withCancel()
            val waiting = async(start = CoroutineStart.UNDISPATCHED) { runCatching { zero.wait(ctx) } }
            delay(10_000.seconds)
            withClue("still waiting after 10,000 s of virtual time") { waiting.isActive shouldBe true }
            ctx.cancel()
            waiting.await().exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            zero.tokens() shouldBe 0.0.plusOrMinus(1e-9)
        }
    }

    test("as Go: at rate 0 a wait with a deadline fails at once, taking nothing") {
        runTest {
            val zero = RateLimiter(0.0, 1, clock())
            zero.allow() shouldBe true
            val ctx = Context.background(clock()).withTimeout(1_000.seconds)
            shouldThrow<DeadlineExceededException> { zero.wait(ctx) }
            currentTime shouldBe 0L
            zero.tokens() shouldBe 0.0.plusOrMinus(1e-9)
        }
    }

    test("as Go: at rate 0 a reservation without tokens is ok but never due; one with a bounded wait is not ok") {
        runTest {
            val zero = RateLimiter(0.0, 1, clock())
            zero.allow() shouldBe true
            zero.reserveN(1, 1_000.seconds).ok shouldBe false
            val r = zero.reserve()
            r.ok shouldBe true
            r.delay shouldBe INFINITE_DELAY
            zero.tokens() shouldBe (-1.0).plusOrMinus(1e-9)
            r.cancel()
            zero.tokens() shouldBe 0.0.plusOrMinus(1e-9)
        }
    }

    test("as Go: allowN and reserveN of more than the burst say no and take nothing; n = 0 asks only whether the bucket is in debt") {
        runTest {
            val limiter = RateLimiter(1.0, 3, clock())
            withClue("allowN(4) with burst 3") { limiter.allowN(4) shouldBe false }
            val tooMany = limiter.reserveN(4)
            tooMany.ok shouldBe false
            tooMany.delay shouldBe INFINITE_DELAY
            tooMany.cancel()
            limiter.tokens() shouldBe 3.0.plusOrMinus(1e-9)
            limiter.allowN(0) shouldBe true
            limiter.reserveN(0).delay shouldBe java.time.Duration.ZERO
            limiter.reserveN(4, 1_000.seconds).ok shouldBe false
            limiter.allowN(3) shouldBe true
            limiter.reserve().delay shouldBe java.time.Duration.ofSeconds(1)
            withClue("allowN(0) while the bucket is in debt (Go answers false)") { limiter.allowN(0) shouldBe false }
            limiter.reserveN(0).delay shouldBe java.time.Duration.ofSeconds(1)
            withClue("n = 0 takes nothing") { limiter.tokens() shouldBe (-1.0).plusOrMinus(1e-9) }
            limiter.waitN(Context.background(), 0)
            currentTime shouldBe 1_000L
            RateLimiter(Double.POSITIVE_INFINITY, 1, clock()).reserveN(5).ok shouldBe true
        }
    }

    test("reserveN with a maximum wait reserves only tokens due within it (Go's reserveN(t, n, maxFutureReserve))") {
        runTest {
            val limiter = RateLimiter(2.0, 2, clock())
            limiter.allowN(2) shouldBe true
            val late = limiter.reserveN(2, 999.milliseconds)
            withClue("2 tokens at 2/s are due in 1 s, after the 999 ms allowed") { late.ok shouldBe false }
            late.delay shouldBe INFINITE_DELAY
            limiter.tokens() shouldBe 0.0.plusOrMinus(1e-9)
            val inTime = limiter.reserveN(2, 1.seconds)
            inTime.ok shouldBe true
            inTime.delay shouldBe java.time.Duration.ofSeconds(1)
            limiter.reserveN(1, kotlin.time.Duration.ZERO).ok shouldBe false
            withClue("a zero maximum wait is allowN") { limiter.allowN(0) shouldBe false }
        }
    }

    test("every(interval) is Go's rate.Every: one event per interval; zero or negative is an infinite rate") {
        every(100.milliseconds) shouldBe 10.0.plusOrMinus(1e-12)
        every(1.hours) shouldBe (1.0 / 3600).plusOrMinus(1e-15)
        every(kotlin.time.Duration.ZERO) shouldBe Double.POSITIVE_INFINITY
        every((-1).seconds) shouldBe Double.POSITIVE_INFINITY
        runTest {
            val limiter = RateLimiter(every(250.milliseconds), 1, clock())
            val grants = ArrayList<Long>()
            repeat(5) {
                limiter.wait()
                grants.add(currentTime)
            }
            grants shouldBe listOf(0L, 250L, 500L, 750L, 1_000L)
        }
    }

    test("close releases every waiter with an error, and later calls fail") {
        runTest {
            val limiter = RateLimiter(1.0, 1, clock())
            withClue("the one token of a full bucket must be granted at once") { limiter.allow() shouldBe true }
            val waiters = List(3) { async(start = CoroutineStart.UNDISPATCHED) { runCatching { limiter.wait() } } }
            limiter.close()
            waiters.map { it.await().exceptionOrNull()?.message } shouldBe List(3) { "the rate limiter is closed" }
            shouldThrow<IllegalStateException> { limiter.allow() }
            withClue("closing the limiter must not cancel the caller's scope") { isActive shouldBe true }
        }
    }
})
