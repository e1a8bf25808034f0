package dev.conduit.pipeline

import dev.conduit.pipeline.ScalingEvent.Reason.BACKLOG
import dev.conduit.pipeline.ScalingEvent.Reason.IDLE
import dev.conduit.pipeline.ScalingEvent.Reason.SATURATED
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds

class ScalingTest : FunSpec({
    test("a backlog grows the workers one per interval up to max; idleness shrinks them to min") {
        runTest {
            val events = ArrayList<Pair<Long, ScalingEvent>>()
            val inside = AtomicInteger()
            var most = 0
            val scaling = Scaling(min = 1, max = 4, interval = 50.milliseconds, idleSamples = 2) {
                events.add(testScheduler.currentTime to it)
            }
            val done = pipeline {
                val burst = generate(capacity = 100) {
                    repeat(100) { send(it) }
                    delay(3_000) // then a quiet spell before the input closes
                }
                map(burst, workers = 1, ordered = false, scaling = scaling) {
                    most = maxOf(most, inside.incrementAndGet())
                    delay(100)
                    inside.decrementAndGet()
                    it
                }.toList()
            }
            done.sorted() shouldBe (0 until 100).toList()
            most shouldBe 4
            val grows = events.filter { it.second.to > it.second.from }
            val shrinks = events.filter { it.second.to < it.second.from }
            grows.map { it.second.from to it.second.to } shouldBe listOf(1 to 2, 2 to 3, 3 to 4)
            grows.map { it.first } shouldBe listOf(50L, 100L, 150L) // one step per interval
            grows.map { it.second.reason } shouldBe listOf(BACKLOG, BACKLOG, BACKLOG)
            grows.forEach { it.second.backlog shouldBeGreaterThan 0 }
            shrinks.map { it.second.from to it.second.to } shouldBe listOf(4 to 3, 3 to 2, 2 to 1)
            shrinks.map { it.second.reason to it.second.backlog } shouldBe listOf(IDLE to 0, IDLE to 0, IDLE to 0)
            // Shrinking starts only after the burst is done: 100 items at 4 × 10 per second.
            shrinks.first().first shouldBeGreaterThanOrEqual 2_500L
            events.size shouldBe 6
        }
    }

    test("a rendezvous input shows no backlog, so saturation (every worker busy) grows the stage") {
        runTest {
            val events = ArrayList<ScalingEvent>()
            val scaling = Scaling(min = 1, max = 3, interval = 10.milliseconds) { events.add(it) }
            pipeline {
                map(generateFrom(1..60), workers = 1, scaling = scaling) { delay(20); it }.toList()
            } shouldBe (1..60).toList() // ordered mode scales too, and keeps the order
            events.take(2).map { it.reason } shouldBe listOf(SATURATED, SATURATED)
            events.maxOf { it.to } shouldBe 3
        }
    }

    test("within bounds: never above max, never below min, however long it runs idle") {
        runTest {
            val events = ArrayList<ScalingEvent>()
            val scaling = Scaling(min = 2, max = 2, interval = 10.milliseconds) { events.add(it) }
            pipeline {
                val slow = generate { repeat(10) { send(it); delay(500) } }
                map(slow, workers = 2, ordered = false, scaling = scaling) { delay(30); it }.toList()
            }.size shouldBe 10
            events shouldBe emptyList()
        }
    }
})
