package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.context.DeadlineExceededException
import dev.conduit.context.withTimeout
import dev.conduit.resilience.CircuitBreakerState.CLOSED
import dev.conduit.resilience.CircuitBreakerState.DISABLED
import dev.conduit.resilience.CircuitBreakerState.FORCED_OPEN
import dev.conduit.resilience.CircuitBreakerState.HALF_OPEN
import dev.conduit.resilience.CircuitBreakerState.OPEN
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import java.io.IOException
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

private fun TestScope.clock(): Clock = Clock.of(backgroundScope, testScheduler.timeSource)

private class Boom : RuntimeException("boom")

/** A window of 4 calls judged from 4 on, 50% failures, 2 probes, 10 s open; [tune] changes more. */
private fun config(tune: CircuitBreakerConfig.Builder.() -> Unit = {}): CircuitBreakerConfig =
    CircuitBreakerConfig.builder()
        .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50f)
        .permittedNumberOfCallsInHalfOpenState(2).waitDurationInOpenState(10.seconds)
        .apply(tune).build()

private fun CircuitBreaker.succeed(times: Int = 1) = repeat(times) {
    check(tryAcquirePermission()) { "permitted" }
    onSuccess(0)
}

private fun CircuitBreaker.fail(times: Int = 1) = repeat(times) {
    check(tryAcquirePermission()) { "permitted" }
    onError(0, Boom())
}

/** Opens [this] (from closed, with the [config] window). */
private fun CircuitBreaker.trip() = fail(4)

/** The events' descriptions, recorded in order. */
private fun CircuitBreaker.recordEvents(): MutableList<String> =
    mutableListOf<String>().also { seen -> addListener { e -> synchronized(seen) { seen += e.toString() } } }

class CircuitBreakerTest : FunSpec({
    test("bad settings are rejected at once, naming the setting and the value") {
        val b = CircuitBreakerConfig.builder()
        shouldThrow<IllegalArgumentException> { b.failureRateThreshold(0f) }.message shouldBe
            "failureRateThreshold must be in (0, 100], but was 0"
        shouldThrow<IllegalArgumentException> { b.failureRateThreshold(100.5f) }.message shouldBe
            "failureRateThreshold must be in (0, 100], but was 100.5"
        shouldThrow<IllegalArgumentException> { b.slowCallRateThreshold(-1f) }.message shouldBe
            "slowCallRateThreshold must be in (0, 100], but was -1"
        shouldThrow<IllegalArgumentException> { b.slidingWindowSize(0) }.message shouldBe
            "slidingWindowSize must be in [1, 1000000], but was 0"
        shouldThrow<IllegalArgumentException> { b.minimumNumberOfCalls(-3) }.message shouldBe
            "minimumNumberOfCalls must be in [1, 1000000], but was -3"
        shouldThrow<IllegalArgumentException> { b.permittedNumberOfCallsInHalfOpenState(0) }.message shouldBe
            "permittedNumberOfCallsInHalfOpenState must be in [1, 1000000], but was 0"
        shouldThrow<IllegalArgumentException> { b.waitDurationInOpenState(0.seconds) }.message shouldBe
            "waitDurationInOpenState must be > 0 and finite, but was 0s"
        shouldThrow<IllegalArgumentException> { b.slowCallDuration(java.time.Duration.ofMillis(-5)) }.message shouldBe
            "slowCallDuration must be > 0 and finite, but was -5ms"
        shouldThrow<IllegalArgumentException> { b.openBackoff(0.5, 1.minutes) }.message shouldBe
            "openBackoffMultiplier must be >= 1, but was 0.5"
        shouldThrow<IllegalArgumentException> { b.rampUpDuration((-1).seconds) }.message shouldBe
            "rampUpDuration must be >= 0 and finite, but was -1s"
        withClue("build() checks the rule that spans two settings") {
            shouldThrow<IllegalArgumentException> {
                CircuitBreakerConfig.builder().waitDurationInOpenState(2.minutes).openBackoff(2.0, 1.minutes).build()
            }.message shouldBe "maxWaitDurationInOpenState (1m) must be >= waitDurationInOpenState (2m)"
        }
    }

    test("defaults() holds Resilience4j's defaults, and a count window caps the minimum at its size") {
        val d = CircuitBreakerConfig.defaults()
        d.failureRateThreshold shouldBe 50f
        d.slidingWindowSize shouldBe 100
        d.minimumNumberOfCalls shouldBe 100
        d.permittedNumberOfCallsInHalfOpenState shouldBe 10
        d.waitDurationInOpenState shouldBe 60.seconds
        CircuitBreakerConfig.builder().slidingWindowSize(10).build().minimumNumberOfCalls shouldBe 10
    }

    test("closed opens at the failure-rate threshold, once the minimum number of calls is in") {
        runTest {
            val cb = CircuitBreaker("svc", config(), clock())
            cb.fail(3)
            withClue("3 failures are under the minimum of 4 calls") { cb.state shouldBe CLOSED }
            cb.metrics().failureRate shouldBe -1f
            cb.succeed()
            withClue("3 of 4 = 75% >= 50%") { cb.state shouldBe OPEN }
        }
    }

    test("the count window forgets the oldest outcome") {
        runTest {
            val cb = CircuitBreaker("svc", config { failureRateThreshold(75f) }, clock())
            cb.fail(2)
            cb.succeed(2)
            cb.state shouldBe CLOSED
            cb.succeed(2) // the window is now S S S S
            cb.fail(2) // S S F F: 50% < 75%
            withClue("the two early failures left the window") { cb.state shouldBe CLOSED }
            cb.metrics().failureRate shouldBe 50f
            cb.fail() // S F F F
            cb.state shouldBe OPEN
        }
    }

    test("closed opens at the slow-call-rate threshold") {
        runTest {
            val cb = CircuitBreaker("svc", config { slowCallDuration(1.seconds).slowCallRateThreshold(50f) }, clock())
            repeat(2) { check(cb.tryAcquirePermission()); cb.onSuccess(2.seconds.inWholeNanoseconds) }
            cb.succeed()
            cb.state shouldBe CLOSED
            cb.succeed()
            withClue("2 slow of 4 = 50%") { cb.state shouldBe OPEN }
            cb.metrics().slowCalls shouldBe 2
        }
    }

    test("the time-based window counts the calls of the last N seconds of the breaker's clock") {
        runTest {
            val cb = CircuitBreaker("svc", config {
                slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(10).minimumNumberOfCalls(3)
            }, clock())
            cb.fail(2)
            delay(11.seconds)
            cb.succeed()
            withClue("the failures are 11 s old: the window holds one success") { cb.metrics().bufferedCalls shouldBe 1 }
            cb.fail(1)
            cb.state shouldBe CLOSED
            cb.fail(1)
            withClue("2 failures of 3 within 10 s") { cb.state shouldBe OPEN }
        }
    }

    test("open refuses calls with CallNotPermittedException, counted apart; after the wait it goes half-open") {
        runTest {
            val cb = CircuitBreaker("svc", config(), clock())
            cb.trip()
            val refused = shouldThrow<CallNotPermittedException> { cb.call { "never runs" } }
            refused.message shouldBe "circuit breaker 'svc' is OPEN and does not permit further calls"
            refused.breakerName shouldBe "svc"
            refused.state shouldBe OPEN
            cb.tryAcquirePermission() shouldBe false
            cb.metrics().notPermittedCalls shouldBe 2
            delay(9.seconds)
            cb.tryAcquirePermission() shouldBe false
            delay(1.seconds)
            withClue("no timer: the state moves on the first attempt after the wait") { cb.state shouldBe OPEN }
            cb.tryAcquirePermission() shouldBe true
            cb.state shouldBe HALF_OPEN
        }
    }

    test("half-open permits only its probes, and an unused permit frees one") {
        runTest {
            val cb = CircuitBreaker("svc", config(), clock())
            cb.trip()
            delay(10.seconds)
            cb.tryAcquirePermission() shouldBe true
            cb.tryAcquirePermission() shouldBe true
            withClue("2 probes are taken") { cb.tryAcquirePermission() shouldBe false }
            cb.releasePermission()
            cb.tryAcquirePermission() shouldBe true
            cb.tryAcquirePermission() shouldBe false
            repeat(3) { cb.releasePermission() }
            withClue("permits given back never exceed the probes") { (1..5).count { cb.tryAcquirePermission() } shouldBe 2 }
        }
    }

    test("half-open closes when its probes succeed, and opens again when they fail") {
        runTest {
            val cb = CircuitBreaker("svc", config(), clock())
            val events = cb.recordEvents()
            cb.trip()
            delay(10.seconds)
            cb.succeed(2)
            cb.state shouldBe CLOSED
            cb.trip()
            delay(10.seconds)
            cb.succeed()
            cb.fail()
            withClue("1 failure of 2 probes = 50%") { cb.state shouldBe OPEN }
            events.filter { "->" in it } shouldContainExactly listOf(
                "svc: CLOSED -> OPEN", "svc: OPEN -> HALF_OPEN", "svc: HALF_OPEN -> CLOSED",
                "svc: CLOSED -> OPEN", "svc: OPEN -> HALF_OPEN", "svc: HALF_OPEN -> OPEN",
            )
        }
    }

    test("the open wait backs off exponentially after failed half-open rounds, up to its cap, and comes back after a recovery") {
        runTest {
            val cb = CircuitBreaker("svc", config { openBackoff(2.0, 35.seconds) }, clock())
            cb.trip()
            for (wait in listOf(10, 20, 35, 35)) {
                delay((wait - 1).seconds)
                withClue("still open 1 s before the $wait s wait ends") { cb.tryAcquirePermission() shouldBe false }
                delay(1.seconds)
                cb.fail() // the probe that makes it half-open fails
                cb.fail()
                cb.state shouldBe OPEN
            }
            delay(35.seconds)
            cb.succeed(2)
            cb.state shouldBe CLOSED
            cb.trip()
            delay(10.seconds)
            withClue("a recovery brings the wait back to the first") { cb.tryAcquirePermission() shouldBe true }
        }
    }

    test("after a recovery the ramp-up lets a growing share of calls through") {
        runTest {
            val cb = CircuitBreaker("svc", config { rampUpDuration(10.seconds) }, clock())
            cb.trip()
            delay(10.seconds)
            cb.succeed(2)
            cb.state shouldBe CLOSED
            withClue("10% at the start: the first of every 10") { (1..20).count { cb.tryAcquirePermission() } shouldBe 2 }
            delay(5.seconds)
            withClue("55% half-way") { (1..100).count { cb.tryAcquirePermission() } shouldBe 55 }
            delay(5.seconds)
            withClue("all once the ramp-up is over") { (1..100).count { cb.tryAcquirePermission() } shouldBe 100 }
            shouldThrow<CallNotPermittedException> {
                cb.reset()
                cb.trip()
                delay(10.seconds)
                cb.succeed(2)
                cb.call { "first" } shouldBe "first"
                cb.call { "second is held back" }
            }.state shouldBe CLOSED
        }
    }

    test("record, ignore and result predicates decide what counts as a failure") {
        runTest {
            val cb = CircuitBreaker("svc", config {
                recordException { it is IOException }
                ignoreException { it is IllegalArgumentException }
                recordResult { it == "bad" }
            }, clock())
            repeat(4) { shouldThrow<IllegalStateException> { cb.call { error("not recorded") } } }
            withClue("unrecorded exceptions count as successes") { cb.metrics().successfulCalls shouldBe 4 }
            repeat(3) { shouldThrow<IllegalArgumentException> { cb.call { throw IllegalArgumentException("ignored") } } }
            cb.metrics().ignoredCalls shouldBe 3
            cb.metrics().calls shouldBe 4
            cb.call { "bad" } shouldBe "bad"
            cb.state shouldBe CLOSED
            shouldThrow<IOException> { cb.call { throw IOException("recorded") } }
            withClue("S S F F: results and exceptions both count") { cb.state shouldBe OPEN }
            cb.metrics().failedCalls shouldBe 2
        }
    }

    test("call rethrows the very exception, counts deadline and timeout failures apart, and gives back a cancelled call's permit") {
        runTest {
            val cb = CircuitBreaker("svc", config(), clock())
            val boom = Boom()
            shouldThrow<Boom> { cb.call { throw boom } } shouldBeSameInstanceAs boom
            val ctx = Context.background(clock()).withTimeout(1.seconds)
            shouldThrow<DeadlineExceededException> { cb.call(ctx) { c -> delay(2.seconds); c.err?.let { throw it }; "late" } }
            check(cb.tryAcquirePermission())
            cb.onError(5, java.util.concurrent.TimeoutException())
            withClue("the context's deadline and the TimeoutException") { cb.metrics().timeouts shouldBe 2 }
            cb.metrics().failedCalls shouldBe 3
            cb.reset()
            cb.trip()
            delay(10.seconds)
            val started = CompletableDeferred<Unit>()
            val job = launch(start = CoroutineStart.UNDISPATCHED) { cb.call { started.complete(Unit); delay(1.minutes) } }
            started.await()
            cb.tryAcquirePermission() shouldBe true
            cb.tryAcquirePermission() shouldBe false
            job.cancel()
            runCurrent()
            withClue("the cancelled probe gave its permit back") { cb.tryAcquirePermission() shouldBe true }
        }
    }

    test("forceOpen, disable and reset move the breaker by hand") {
        runTest {
            val cb = CircuitBreaker("svc", config(), clock())
            val events = cb.recordEvents()
            cb.forceOpen()
            cb.state shouldBe FORCED_OPEN
            delay(1.minutes)
            cb.tryAcquirePermission() shouldBe false
            cb.disable()
            cb.state shouldBe DISABLED
            cb.fail(10)
            withClue("disabled records nothing") { cb.state shouldBe DISABLED }
            cb.reset()
            cb.state shouldBe CLOSED
            cb.metrics().bufferedCalls shouldBe 0
            events.filter { "->" in it } shouldContainExactly listOf(
                "svc: CLOSED -> FORCED_OPEN", "svc: FORCED_OPEN -> DISABLED", "svc: DISABLED -> CLOSED",
            )
        }
    }

    test("listeners receive typed events in order; a removed one receives none") {
        runTest {
            val cb = CircuitBreaker("svc", config {
                slowCallDuration(1.seconds).ignoreException { it is IllegalArgumentException }.recordResult { it == null }
            }, clock())
            val typed = mutableListOf<CircuitBreakerEvent>()
            val listener = CircuitBreakerListener { typed += it }
            cb.addListener(listener)
            check(cb.tryAcquirePermission()); cb.onSuccess(2.seconds.inWholeNanoseconds)
            check(cb.tryAcquirePermission()); cb.onError(7, IllegalArgumentException("x"))
            check(cb.tryAcquirePermission()); cb.onResult(8, null)
            cb.fail(2)
            cb.tryAcquirePermission() shouldBe false
            typed.map { it::class.simpleName } shouldContainExactly listOf(
                "SlowCall", "Success", "IgnoredError", "FailedResult", "Error", "Error", "StateTransition", "NotPermitted",
            )
            (typed[0] as CircuitBreakerEvent.SlowCall).durationNanos shouldBe 2.seconds.inWholeNanoseconds
            (typed[0] as CircuitBreakerEvent.SlowCall).duration shouldBe 2.seconds
            (typed.filterIsInstance<CircuitBreakerEvent.CallEvent>()).map { it.durationNanos } shouldContainExactly listOf(
                2.seconds.inWholeNanoseconds, 2.seconds.inWholeNanoseconds, 7L, 8L, 0L, 0L,
            )
            (typed[6] as CircuitBreakerEvent.StateTransition).to shouldBe OPEN
            (typed[7] as CircuitBreakerEvent.NotPermitted).state shouldBe OPEN
            typed.map { it.breakerName }.toSet() shouldBe setOf("svc")
            cb.removeListener(listener) shouldBe true
            cb.removeListener(listener) shouldBe false
            cb.tryAcquirePermission()
            typed.size shouldBe 8
            cb.toString() shouldBe "CircuitBreaker(svc, OPEN)"
        }
    }

    test("a listener that throws does not break the call") {
        runTest {
            val cb = CircuitBreaker("svc", config(), clock())
            val seen = mutableListOf<Throwable>()
            val thread = Thread.currentThread()
            val previous = thread.uncaughtExceptionHandler
            thread.uncaughtExceptionHandler = Thread.UncaughtExceptionHandler { _, e -> seen += e }
            try {
                cb.addListener { throw Boom() }
                cb.call { "still works" } shouldBe "still works"
            } finally {
                thread.uncaughtExceptionHandler = previous
            }
            seen.map { it.message } shouldContainExactly listOf("boom")
        }
    }

    test("metrics count every outcome, and the MeterBinder publishes them") {
        runTest {
            val cb = CircuitBreaker("svc", config { slowCallDuration(1.seconds) }, clock())
            cb.succeed()
            check(cb.tryAcquirePermission()); cb.onSuccess(3.seconds.inWholeNanoseconds)
            cb.fail(2)
            cb.tryAcquirePermission() shouldBe false
            val m = cb.metrics()
            m.state shouldBe OPEN
            m.calls shouldBe 4
            m.successfulCalls shouldBe 2
            m.failedCalls shouldBe 2
            m.slowCalls shouldBe 1
            m.notPermittedCalls shouldBe 1
            withClue("the open state has no window") { m.failureRate shouldBe -1f }
            val registry = SimpleMeterRegistry()
            CircuitBreakerMeterBinder(cb).bindTo(registry)
            fun count(kind: String) = registry.get("conduit.circuitbreaker.calls").tag("name", "svc").tag("kind", kind).functionCounter().count()
            count("successful") shouldBe 2.0
            count("failed") shouldBe 2.0
            count("not_permitted") shouldBe 1.0
            registry.get("conduit.circuitbreaker.state").tag("state", "OPEN").gauge().value() shouldBe 1.0
            registry.get("conduit.circuitbreaker.state").tag("state", "CLOSED").gauge().value() shouldBe 0.0
            cb.reset()
            cb.fail(1)
            cb.succeed(3)
            registry.get("conduit.circuitbreaker.failure.rate").gauge().value() shouldBe 25.0
            registry.get("conduit.circuitbreaker.buffered.calls").gauge().value() shouldBe 4.0
        }
    }
})
