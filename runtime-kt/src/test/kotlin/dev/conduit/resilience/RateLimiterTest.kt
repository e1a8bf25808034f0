package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import dev.conduit.context.DeadlineExceededException
import dev.conduit.context.withCancel
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
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun TestScope.clock(): Clock = Clock.of(backgroundScope, testScheduler.timeSource)

class RateLimiterTest : FunSpec({
    test("bad arguments are rejected, naming the value") {
        shouldThrow<IllegalArgumentException> { RateLimiter(-1.0, 1) }.message shouldBe "rate must be >= 0, but was -1.0"
        shouldThrow<IllegalArgumentException> { RateLimiter(Double.NaN, 1) }.message shouldBe "rate must be >= 0, but was NaN"
        shouldThrow<IllegalArgumentException> { RateLimiter(1.0, -2) }.message shouldBe "burst must be >= 0, but was -2"
        val limiter = RateLimiter(10.0, 3)
        shouldThrow<IllegalArgumentException> { limiter.allowN(0) }.message shouldBe "n must be > 0, but was 0"
        shouldThrow<IllegalArgumentException> { limiter.allowN(4) }.message shouldBe "n must be <= burst (3), but was 4"
        shouldThrow<IllegalArgumentException> { limiter.setRate(-0.5) }
        shouldThrow<IllegalArgumentException> { limiter.setBurst(-1) }
        runTest {
            shouldThrow<IllegalArgumentException> { limiter.waitN(Context.background(), 4) }
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
            val zero = RateLimiter(0.0, 2, clock())
            withClue("a zero rate still grants the initial burst") { zero.allowN(2) shouldBe true }
            delay(1_000.seconds)
            withClue("a zero rate never refills the bucket") { zero.allow() shouldBe false }
            shouldThrow<IllegalStateException> { zero.wait() }.message shouldBe "the rate is 0: 1 token(s) would never come due"
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
