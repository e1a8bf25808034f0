package dev.conduit.chan

import dev.conduit.Clock
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun <T> TestScope.batchChannel(size: Int, capacity: Int = 4) =
    BatchChannel<T>(backgroundScope, size, 100.milliseconds, capacity, Clock.of(backgroundScope, testScheduler.timeSource))

class BatchChannelTest : FunSpec({
    test("full batches go at once; a partial one after maxLatency from its first item") {
        runTest {
            val ch = batchChannel<Int>(4)
            repeat(10) { ch.send(it) }
            ch.receiveList() shouldBe listOf(0, 1, 2, 3)
            ch.receiveList() shouldBe listOf(4, 5, 6, 7)
            testScheduler.currentTime shouldBe 0
            ch.receiveList() shouldBe listOf(8, 9)
            testScheduler.currentTime shouldBe 100
        }
    }

    test("a trickle is sent maxLatency after each batch's first item, not after the last") {
        runTest {
            val ch = batchChannel<Int>(100)
            val got = ArrayList<Pair<Long, List<Int>>>()
            val reader = launch { repeat(2) { val batch = ch.receiveList(); got.add(testScheduler.currentTime to batch) } }
            for (i in 0 until 6) {
                ch.send(i)
                delay(40)
            }
            reader.join()
            got shouldBe listOf(100L to listOf(0, 1, 2), 220L to listOf(3, 4, 5))
        }
    }

    test("flush sends the partial batch now; close delivers it and then closes") {
        runTest {
            val ch = batchChannel<String>(10)
            ch.send("a")
            ch.flush()
            ch.receiveList() shouldBe listOf("a")
            ch.send("b")
            ch.send("c")
            ch.close()
            ch.receiveList() shouldBe listOf("b", "c")
            ch.receiveOk() shouldBe Received.closed()
            shouldThrow<ClosedChannelException> { ch.send("d") }.message shouldBe "send on closed channel"
            shouldThrow<IllegalStateException> { ch.close() }.message shouldBe "close of closed channel"
        }
    }

    test("backpressure: with capacity full batches waiting, the send that completes the next one suspends") {
        runTest {
            val ch = batchChannel<Int>(2, capacity = 1)
            ch.send(1)
            ch.send(2) // first full batch waits
            ch.send(3)
            val blocked = async(start = CoroutineStart.UNDISPATCHED) { ch.send(4) }
            runCurrent()
            withClue("send must wait while a full batch waits and the buffer is full") { blocked.isCompleted shouldBe false }
            ch.receiveList() shouldBe listOf(1, 2)
            blocked.await()
            ch.receiveList() shouldBe listOf(3, 4)
        }
    }

    test("recycled batches are reused: steady traffic allocates no new batches") {
        runTest {
            val ch = batchChannel<Int>(3)
            repeat(3) { ch.send(it) }
            val first = ch.receive()
            val array = first.items
            first.toList() shouldBe listOf(0, 1, 2)
            first.recycle()
            repeat(3) { ch.send(it + 3) }
            val second = ch.receive()
            second shouldBeSameInstanceAs first
            second.items shouldBeSameInstanceAs array
            second.toList() shouldBe listOf(3, 4, 5)
            shouldThrow<IndexOutOfBoundsException> { second[3] }
        }
    }

    test("stress: 4 producers, every item once, each producer's order kept") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                coroutineScope {
                    val flusher = kotlinx.coroutines.Job()
                    val ch = BatchChannel<Int>(kotlinx.coroutines.CoroutineScope(coroutineContext + flusher), 16, 1.milliseconds, 2)
                    val perProducer = 20_000
                    val producers = List(4) { p -> launch { for (i in 0 until perProducer) ch.send(p * perProducer + i) } }
                    val last = IntArray(4) { -1 }
                    var count = 0
                    val consumer = launch {
                        while (true) {
                            val r = ch.receiveOk()
                            if (!r.ok) break
                            for (x in r.value) {
                                val p = x / perProducer
                                check(x > last[p]) { "producer $p out of order" }
                                last[p] = x
                                count++
                            }
                            r.value.recycle()
                        }
                    }
                    producers.forEach { it.join() }
                    ch.close()
                    consumer.join()
                    count shouldBe 4 * perProducer
                    flusher.cancel()
                }
            }
        }
    }

    test("bad arguments are refused by name") {
        runTest {
            shouldThrow<IllegalArgumentException> { batchChannel<Int>(0) }.message shouldBe "batchSize must be in 1..1048576, but was 0"
            shouldThrow<IllegalArgumentException> { batchChannel<Int>(Int.MAX_VALUE) }.message shouldBe
                "batchSize must be in 1..1048576, but was 2147483647"
        }
    }
})
