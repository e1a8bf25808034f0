package dev.conduit.chan

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds

class ShardedChanTest : FunSpec({
    test("a key keeps its items in one lane and in order; receivers take from every lane") {
        runTest {
            val ch = ShardedChan<String>(lanes = 4, capacityPerLane = 16)
            for (i in 0 until 5) {
                ch.send("a$i", key = "a")
                ch.send("b$i", key = "b")
            }
            val got = List(10) { ch.receiveOk().value }
            got.filter { it.startsWith("a") } shouldBe List(5) { "a$it" }
            got.filter { it.startsWith("b") } shouldBe List(5) { "b$it" }
        }
    }

    test("a receiver waits on all lanes at once; close drains every lane, then says closed") {
        runTest {
            val ch = ShardedChan<Int>(lanes = 3, capacityPerLane = 2)
            val waiting = async(start = CoroutineStart.UNDISPATCHED) { ch.receiveOk().value }
            runCurrent()
            withClue("receive must wait while every lane is empty") { waiting.isCompleted shouldBe false }
            ch.send(7, key = 2)
            waiting.await() shouldBe 7
            ch.send(1, key = 0)
            ch.send(2, key = 1)
            ch.close()
            setOf(ch.receiveOk().value, ch.receiveOk().value) shouldBe setOf(1, 2)
            ch.receiveOk() shouldBe Received.closed()
            ch.tryReceive() shouldBe Received.closed()
            shouldThrow<ClosedChannelException> { ch.send(3) }
        }
    }

    test("a lane that closes while others stay open does not spin the receiver") {
        runTest {
            val ch = ShardedChan<Int>(lanes = 2, capacityPerLane = 1)
            (ch.laneChannels[0] as dev.conduit.chan.Chan<Int>).close()
            val waiting = async(start = CoroutineStart.UNDISPATCHED) { ch.receiveOk().value }
            runCurrent()
            withClue("one closed lane must not end the receive while another lane is open") { waiting.isCompleted shouldBe false }
            ch.send(5, key = 1)
            waiting.await() shouldBe 5
        }
    }

    test("stress: 8 producers on their own keys, 2 receivers: every item once, each key in order") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                val ch = ShardedChan<Int>(lanes = 4, capacityPerLane = 32)
                val perProducer = 10_000
                val seen = java.util.concurrent.ConcurrentHashMap<Int, Int>()
                coroutineScope {
                    val producers = List(8) { p -> launch { for (i in 0 until perProducer) ch.send(p * perProducer + i, key = p) } }
                    val receivers = List(2) {
                        launch {
                            val last = IntArray(8) { -1 }
                            while (true) {
                                val r = ch.receiveOk()
                                if (!r.ok) break
                                val p = r.value / perProducer
                                check(r.value > last[p]) { "key $p out of order" }
                                last[p] = r.value
                                seen.merge(r.value, 1, Int::plus)
                            }
                        }
                    }
                    producers.forEach { it.join() }
                    ch.close()
                    receivers.forEach { it.join() }
                }
                seen.size shouldBe 8 * perProducer
                seen.filterValues { it != 1 } shouldBe emptyMap() // none received twice
            }
        }
    }

    test("the forms the Java facade uses: a timed blocking send and a future send into the key's lane") {
        val ch = ShardedChan<String>(lanes = 2, capacityPerLane = 1)
        ch.sendBlocking("a", "k", Long.MAX_VALUE, null) shouldBe true
        withClue("the lane of k is full: the timed send gives up and sends nothing") { ch.sendBlocking("lost", "k", 1_000_000, null) shouldBe false }
        val withdrawn = ch.sendFuture("withdrawn", "k")
        withClue("a pending future send is withdrawn by cancel") { withdrawn.cancel(true) shouldBe true }
        val pending = ch.sendFuture("c", "k")
        withClue("the future send waits for room in its lane") { pending.isDone shouldBe false }
        ch.tryReceive() shouldBe Received.of("a")
        pending.get(10, TimeUnit.SECONDS)
        ch.tryReceive() shouldBe Received.of("c")
        withClue("neither the timed-out nor the withdrawn send left a value") { ch.tryReceive() shouldBe null }
        ch.close()
        shouldThrow<ClosedChannelException> { ch.sendBlocking("x", "k", 0, null) }
        shouldThrow<ExecutionException> { ch.sendFuture("x", "k").get(10, TimeUnit.SECONDS) }.cause.shouldBeInstanceOf<ClosedChannelException>()
    }

    test("bad arguments are refused by name") {
        shouldThrow<IllegalArgumentException> { ShardedChan<Int>(0, 1) }.message shouldBe "lanes must be in 1..65536, but was 0"
    }
})
