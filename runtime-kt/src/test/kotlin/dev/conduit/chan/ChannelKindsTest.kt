package dev.conduit.chan

import dev.conduit.pipeline.consume
import dev.conduit.pipeline.map
import dev.conduit.pipeline.pipeline
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeIn
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.seconds

/** Every channel kind works as a select case beside the others, with Go's fairness and snapshot. */
class ChannelKindsTest : FunSpec({
    test("one select over a plain, an spsc, a priority, a sharded and a batch channel and a timer") {
        runTest {
            val plain = Chan<String>(1)
            val spsc = SpscChan<String>(2)
            val priority = PriorityChannel<String>(levels = 2, capacity = 2, agingStep = 1.seconds)
            val sharded = ShardedChan<String>(lanes = 3, capacityPerLane = 1)
            val batches = BatchChannel<String>(backgroundScope, batchSize = 2, maxLatency = 1.seconds)
            plain.send("plain")
            spsc.send("spsc")
            priority.send("priority", 1)
            sharded.send("sharded", key = 7)
            batches.send("b1")
            batches.send("b2")
            val got = HashSet<String>()
            repeat(5) {
                select<Unit> {
                    plain.onReceive { got.add(it) }
                    spsc.onReceive { got.add(it) }
                    priority.onReceive { got.add(it) }
                    sharded.onReceive { got.add(it) }
                    batches.onReceive { got.add(it.toList().joinToString()); it.recycle() }
                }
            }
            got shouldBe setOf("plain", "spsc", "priority", "sharded", "b1, b2")
            // Nothing ready now: default, from one snapshot of all of them.
            select {
                plain.onReceive { "plain" }
                spsc.onReceive { "spsc" }
                priority.onReceive { "priority" }
                sharded.onReceive { "sharded" }
                batches.onReceive { "batch" }
                default { "default" }
            } shouldBe "default"
            // Send cases on kinds that take sends.
            val sentTo = select {
                spsc.onSend("s") { "spsc" }
                priority.onSend("p") { "priority" }
            }
            sentTo shouldBeIn listOf("spsc", "priority")
            withClue("a select sends on exactly one of its ready cases") { spsc.len + priority.len shouldBe 1 }
            if (sentTo == "spsc") spsc.tryReceive() shouldBe Received.of("s") else priority.tryReceive() shouldBe Received.of("p")
            // A timer channel is a channel too.
            select {
                after(1.seconds).onReceive { "timer" }
                plain.onReceive { "plain" }
            } shouldBe "timer"
        }
    }

    test("a sharded channel is one case for fairness however many lanes are ready") {
        runTest {
            val sharded = ShardedChan<Int>(lanes = 4, capacityPerLane = 1)
            val plain = Chan<Int>(1)
            var shardedWins = 0
            repeat(10_000) {
                for (k in 0 until 4) sharded.trySend(k, key = k)
                plain.trySend(-1)
                select<Unit> {
                    sharded.onReceive { shardedWins++ }
                    plain.onReceive { }
                }
                while (sharded.tryReceive() != null) Unit
                plain.tryReceive()
            }
            // Fair: 5,000 +- 5 sd (sd 50); four lanes counted as four cases would give ~8,000.
            shardedWins shouldBeInRange 4_750..5_250
        }
    }

    test("a sharded channel closes all lanes at once: receivers drain every lane, then see closed") {
        runTest {
            val sharded = ShardedChan<Int>(lanes = 3, capacityPerLane = 2)
            val waiting = async(start = CoroutineStart.UNDISPATCHED) { sharded.receiveOk() }
            sharded.send(1, key = 0)
            waiting.await() shouldBe Received.of(1)
            sharded.send(2, key = 1)
            sharded.send(3, key = 2)
            sharded.close()
            shouldThrow<IllegalStateException> { sharded.close() }.message shouldBe "close of closed channel"
            shouldThrow<ClosedChannelException> { sharded.send(4, key = 0) }
            val rest = ArrayList<Int>()
            for (v in sharded) rest.add(v)
            rest.sorted() shouldBe listOf(2, 3)
            sharded.len shouldBe 0
            sharded.receiveOk() shouldBe Received.closed()
        }
    }

    test("pipeline stages refuse an spscChan that several workers would receive from") {
        runTest {
            val e = shouldThrow<IllegalArgumentException> {
                pipeline { map(SpscChan<Int>(4), workers = 4, ordered = false) { it } }
            }
            e.message shouldContain "single-consumer channel (spscChan)"
            shouldThrow<IllegalArgumentException> { pipeline { consume(SpscChan<Int>(4), consumers = 2) { } } }
            // One reader is fine, and so is an ordered stage (it reads its input in one coroutine).
            pipeline {
                val input = SpscChan<Int>(4)
                launch { for (i in 1..10) input.send(i); input.close() }
                val out = map(input, workers = 4) { it * 2 }
                ArrayList<Int>().also { for (v in out) it.add(v) }
            } shouldBe (1..10).map { it * 2 }
        }
    }
})
