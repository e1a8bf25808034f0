package dev.conduit.pipeline

import dev.conduit.Clock
import dev.conduit.chan.Chan
import dev.conduit.context.Context
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds

class PlumbingTest : FunSpec({
    test("orDone forwards until the input closes, or stops at once when done closes") {
        runTest {
            pipeline { orDone(Context.background(), generateFrom(1..3)).toList() } shouldBe listOf(1, 2, 3)
            pipeline {
                val ctx = Context.background().withCancel()
                val endless = generate { var i = 0; while (true) send(i++) }
                val got = ArrayList<Int>()
                for (v in orDone(ctx, endless)) {
                    got.add(v)
                    if (v == 4) ctx.cancel()
                }
                got.take(5) shouldBe listOf(0, 1, 2, 3, 4)
                got.size shouldBeLessThanOrEqual 6 // at most the one already in hand when done closed
            }
        }
    }

    test("tee delivers every item to both outputs, in order, paced by the slower reader") {
        runTest {
            pipeline {
                val (a, b) = tee(generateFrom(1..5))
                val fast = async { a.toList() }
                val slow = async { val got = ArrayList<Int>(); for (v in b) { delay(10); got.add(v) }; got }
                fast.await() shouldBe listOf(1, 2, 3, 4, 5)
                slow.await() shouldBe listOf(1, 2, 3, 4, 5)
                testScheduler.currentTime shouldBe 50
            }
        }
    }

    test("bridge flattens a channel of channels in order; merge joins many into one") {
        runTest {
            pipeline {
                val chans = generate { for (i in 0 until 3) send(generateFrom(listOf(i * 10, i * 10 + 1))) }
                bridge(chans).toList() shouldBe listOf(0, 1, 10, 11, 20, 21)
                val merged = merge(generateFrom(1..3), generateFrom(10..12), generateFrom(emptyList()))
                merged.toList().sorted() shouldBe listOf(1, 2, 3, 10, 11, 12)
            }
        }
    }

    test("take forwards n and closes, and closes early when its input does") {
        runTest {
            pipeline {
                take(generateFrom(1..10), 3).toList() shouldBe listOf(1, 2, 3)
                take(generateFrom(1..2), 5).toList() shouldBe listOf(1, 2)
                take(generateFrom(1..2), 0).toList() shouldBe emptyList()
            }
        }
    }

    test("batch flushes when full, when maxWait passes after a batch's first item, and on close") {
        runTest {
            val clock = Clock.of(backgroundScope, testScheduler.timeSource)
            pipeline {
                val input = Chan<Int>()
                val batches = batch(input, size = 3, maxWait = 100.milliseconds, clock = clock)
                val got = ArrayList<Pair<Long, List<Int>>>()
                val reader = launch { for (b in batches) got.add(testScheduler.currentTime to b) }
                for (i in 1..4) input.send(i) // one full batch, then one item waits
                delay(60)
                input.send(5)
                delay(60) // 120 ms after item 4: its batch went at 100
                input.send(6)
                input.close()
                reader.join()
                got shouldBe listOf(0L to listOf(1, 2, 3), 100L to listOf(4, 5), 120L to listOf(6))
            }
        }
    }

    test("batch respects backpressure: a consumer that does not read holds the producer back") {
        runTest {
            val clock = Clock.of(backgroundScope, testScheduler.timeSource)
            pipeline {
                var sent = 0
                val input = generate { repeat(100) { send(it); sent++ } }
                val batches = batch(input, size = 10, maxWait = 1_000.milliseconds, clock = clock)
                runCurrent()
                sent shouldBe 10 // one full batch waits to be sent; nothing more is taken from the producer
                batches.receive() shouldBe (0 until 10).toList()
            }
        }
    }

    test("bad batch arguments are refused by name") {
        runTest {
            coroutineScope {
                val input = Chan<Int>()
                shouldThrow<IllegalArgumentException> { batch(input, 0, 1.milliseconds) }.message shouldBe
                    "size must be >= 1, but was 0"
                shouldThrow<IllegalArgumentException> { batch(input, 1, 0.milliseconds) }.message shouldBe
                    "maxWait must be > 0, but was 0s"
            }
        }
    }

    test("flow bridges: a channel as a Flow, a Flow into a channel, composing with Flow operators") {
        runTest {
            pipeline {
                generateFrom(1..6).asFlow().filter { it % 2 == 0 }.map { it * 10 }.toList() shouldBe listOf(20, 40, 60)
                val fromFlow = flowOf("a", "b", "c").toChan(this, capacity = 1)
                map(fromFlow) { it.uppercase() }.toList() shouldBe listOf("A", "B", "C")
            }
        }
    }

    test("consume shares one input among n consumers, each item to exactly one") {
        runTest {
            val seen = java.util.concurrent.ConcurrentHashMap<Int, Int>()
            pipeline {
                consume(generateFrom(1..100), consumers = 4) { seen.merge(it, 1, Int::plus); delay(1) }.join()
            }
            seen.keys shouldBe (1..100).toSet()
            seen.filterValues { it != 1 } shouldBe emptyMap() // no item consumed twice
        }
    }
})
