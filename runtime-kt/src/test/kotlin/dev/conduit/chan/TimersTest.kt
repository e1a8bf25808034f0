package dev.conduit.chan

import dev.conduit.Clock
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun TestScope.virtualClock(): Clock = Clock.of(backgroundScope, testScheduler.timeSource)

class TimersTest : FunSpec({
    test("after delivers once, after its delay, and works in select") {
        runTest {
            val clock = virtualClock()
            val timer = after(300.milliseconds, clock)
            val never = Chan<Int>()
            select {
                never.onReceive { "value" }
                timer.onReceive { "fired at ${currentTime}" }
            } shouldBe "fired at 300"
            timer.tryReceive() shouldBe null
        }
    }

    test("a ticker ticks every period without drift and stops") {
        runTest {
            val clock = virtualClock()
            val start = clock.now()
            val t = Ticker(100.milliseconds, clock)
            val times = List(5) { java.time.Duration.between(start, t.c.receive()).toMillis() }
            times shouldBe listOf(100L, 200L, 300L, 400L, 500L)
            t.stop()
            delay(1.seconds)
            t.c.tryReceive() shouldBe null
        }
    }

    test("a slow receiver misses ticks instead of piling them up") {
        runTest {
            val t = Ticker(100.milliseconds, virtualClock())
            delay(1_050.milliseconds)
            t.c.len shouldBe 1
            t.c.receive()
            t.c.tryReceive() shouldBe null
            t.close()
        }
    }

    test("after a stall the ticker stays on its grid and fires no burst") {
        runTest {
            val stalled = java.util.concurrent.atomic.AtomicLong()
            val clock = object : Clock by virtualClock() {
                override fun now(): java.time.Instant = virtualClock.now().plusMillis(stalled.get())
                val virtualClock = Clock.of(backgroundScope, testScheduler.timeSource)
            }
            val start = clock.now()
            val t = Ticker(100.milliseconds, clock)
            java.time.Duration.between(start, t.c.receive()).toMillis() shouldBe 100L
            stalled.set(350) // the clock jumps 350 ms, as after a long pause
            val afterStall = t.c.receive()
            java.time.Duration.between(start, afterStall).toMillis() shouldBe 550L
            val next = t.c.receive()
            java.time.Duration.between(start, next).toMillis() shouldBe 600L
            t.stop()
        }
    }

    test("reset changes the period from now") {
        runTest {
            val clock = virtualClock()
            val t = Ticker(100.milliseconds, clock)
            t.c.receive()
            t.reset(1.seconds)
            val before = currentTime
            t.c.receive()
            (currentTime - before) shouldBe 1000L
            t.stop()
        }
    }

    test("a non-positive period is rejected") {
        shouldThrow<IllegalArgumentException> { Ticker(Duration.ZERO) }.message shouldBe
            "period must be > 0, but was 0s"
    }
})
