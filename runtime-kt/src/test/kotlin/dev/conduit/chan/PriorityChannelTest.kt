package dev.conduit.chan

import dev.conduit.Clock
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.milliseconds

class PriorityChannelTest : FunSpec({
    test("higher priority first; arrival order within a priority") {
        runTest {
            val ch = PriorityChannel<String>(levels = 3, capacity = 10, agingStep = 1_000.milliseconds,
                clock = Clock.of(backgroundScope, testScheduler.timeSource))
            ch.send("low-1", 0)
            ch.send("high-1", 2)
            ch.send("mid-1", 1)
            ch.send("high-2", 2)
            ch.send("low-2", 0)
            List(5) { ch.receive() } shouldBe listOf("high-1", "high-2", "mid-1", "low-1", "low-2")
        }
    }

    test("aging: a low-priority item is not starved by a steady stream of high-priority ones") {
        runTest {
            val clock = Clock.of(backgroundScope, testScheduler.timeSource)
            val ch = PriorityChannel<String>(levels = 3, capacity = 100, agingStep = 100.milliseconds, clock = clock)
            ch.send("low", 0)
            val order = ArrayList<String>()
            launch {
                repeat(30) { i ->
                    ch.send("high-$i", 2)
                    delay(10)
                }
            }
            repeat(31) {
                delay(10)
                order.add(ch.receive())
            }
            // low reaches effective priority 2 after 200 ms and wins ties as the oldest item
            val lowAt = order.indexOf("low")
            withClue("receive order: $order") { lowAt shouldBeInRange 18..21 }
            order.filter { it != "low" } shouldBe List(30) { "high-$it" }
        }
    }

    test("send suspends while full; receive suspends while empty; close drains then fails receivers") {
        runTest {
            val ch = PriorityChannel<Int>(levels = 2, capacity = 2, agingStep = 1.milliseconds,
                clock = Clock.of(backgroundScope, testScheduler.timeSource))
            withClue("trySend must succeed while there is room") {
                ch.trySend(1, 0) shouldBe true
                ch.trySend(2, 1) shouldBe true
            }
            withClue("trySend must fail once capacity 2 is reached") { ch.trySend(3, 1) shouldBe false }
            val blocked = async(start = CoroutineStart.UNDISPATCHED) { ch.send(3, 1) }
            runCurrent()
            withClue("send must wait while the channel is full") { blocked.isCompleted shouldBe false }
            ch.receive() shouldBe 2
            blocked.await()
            ch.close()
            shouldThrow<ClosedChannelException> { ch.send(4, 0) }
            setOf(ch.receive(), ch.receive()) shouldBe setOf(1, 3)
            shouldThrow<ClosedChannelException> { ch.receive() }
            val waiting = PriorityChannel<Int>(1, 1, 1.milliseconds)
            val receiver = async(start = CoroutineStart.UNDISPATCHED) { runCatching { waiting.receive() } }
            waiting.close()
            receiver.await().exceptionOrNull().shouldBeInstanceOf<ClosedChannelException>().message shouldBe "receive from closed channel"
        }
    }

    test("the forms the Java facade uses: a timed blocking send and a future send, each at its priority") {
        val ch = PriorityChannel<String>(levels = 3, capacity = 2, agingStep = 1.hours)
        ch.sendBlocking("low", 0, Long.MAX_VALUE, null) shouldBe true
        ch.sendBlocking("mid", 1, 0, null) shouldBe true
        withClue("full: the timed send gives up and sends nothing") { ch.sendBlocking("lost", 2, 1_000_000, null) shouldBe false }
        val withdrawn = ch.sendFuture("withdrawn", 2)
        withClue("a pending future send is withdrawn by cancel") { withdrawn.cancel(true) shouldBe true }
        val pending = ch.sendFuture("high", 2)
        withClue("full: the future send waits") { pending.isDone shouldBe false }
        ch.tryReceive() shouldBe Received.of("mid")
        pending.get(10, TimeUnit.SECONDS)
        ch.tryReceive() shouldBe Received.of("high")
        ch.tryReceive() shouldBe Received.of("low")
        withClue("neither the timed-out nor the withdrawn send left a value") { ch.tryReceive() shouldBe null }
        shouldThrow<IllegalArgumentException> { ch.sendFuture("x", 3) }.message shouldBe "priority must be in 0 until 3, but was 3"
        ch.close()
        shouldThrow<ClosedChannelException> { ch.sendBlocking("x", 1, 0, null) }
        shouldThrow<ExecutionException> { ch.sendFuture("x", 1).get(10, TimeUnit.SECONDS) }.cause.shouldBeInstanceOf<ClosedChannelException>()
    }

    test("bad arguments are refused by name") {
        shouldThrow<IllegalArgumentException> { PriorityChannel<Int>(0, 1, 1.milliseconds) }.message shouldBe
            "levels must be in 1..65536, but was 0"
        shouldThrow<IllegalArgumentException> { PriorityChannel<Int>(2, 1, 1.milliseconds).trySend(1, 2) }.message shouldBe
            "priority must be in 0 until 2, but was 2"
    }
})
