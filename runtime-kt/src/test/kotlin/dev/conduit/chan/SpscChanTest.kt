package dev.conduit.chan

import dev.conduit.pipeline.map
import dev.conduit.pipeline.pipeline
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import dev.conduit.chan.ClosedChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class SpscChanTest : FunSpec({
    test("a buffered FIFO channel: cap rounds to a power of two, len counts, nulls pass") {
        runTest {
            val ch = SpscChan<String?>(3)
            ch.cap shouldBe 4
            withClue("trySend must succeed into an empty channel") { ch.trySend("a") shouldBe true }
            ch.send(null)
            ch.send("c")
            withClue("trySend must succeed into the fourth and last slot") { ch.trySend("d") shouldBe true }
            withClue("trySend must fail when all four slots are taken") { ch.trySend("e") shouldBe false }
            ch.len shouldBe 4
            List(4) { ch.receive() } shouldBe listOf("a", null, "c", "d")
            ch.tryReceive() shouldBe null
        }
    }

    test("close: values sent before it are delivered, then closed; send after close and double close fail") {
        runTest {
            val ch = SpscChan<Int>(4)
            ch.send(1)
            ch.send(2)
            ch.close()
            shouldThrow<ClosedChannelException> { ch.send(3) }
            shouldThrow<IllegalStateException> { ch.close() }.message shouldBe "close of closed channel"
            val got = ArrayList<Int>()
            for (v in ch) got.add(v)
            got shouldBe listOf(1, 2)
            ch.receiveOk() shouldBe Received.closed()
            shouldThrow<ClosedChannelException> { ch.receive() }
        }
    }

    test("an idle receiver suspends (not spins forever) and the next send resumes it; a full sender likewise") {
        runTest {
            val ch = SpscChan<Int>(2)
            val receiver = async(start = CoroutineStart.UNDISPATCHED) { ch.receive() }
            runCurrent()
            withClue("receive on an empty channel must wait for a value") { receiver.isCompleted shouldBe false }
            ch.send(7)
            receiver.await() shouldBe 7
            ch.send(1)
            ch.send(2)
            val sender = async(start = CoroutineStart.UNDISPATCHED) { ch.send(3) }
            runCurrent()
            withClue("send on a full channel must wait for room") { sender.isCompleted shouldBe false }
            ch.receive() shouldBe 1
            sender.await()
            List(2) { ch.receive() } shouldBe listOf(2, 3)
            val waiting = async(start = CoroutineStart.UNDISPATCHED) { ch.receiveOk() }
            runCurrent()
            ch.close()
            waiting.await() shouldBe Received.closed()
        }
    }

    test("a cancelled waiter withdraws; a second waiting receiver is refused") {
        runTest {
            val ch = SpscChan<Int>(2)
            val first = launch(start = CoroutineStart.UNDISPATCHED) { ch.receive() }
            runCurrent()
            val second = async(start = CoroutineStart.UNDISPATCHED) { runCatching { ch.receive() } }
            second.await().exceptionOrNull()!!.message shouldBe
                "two receivers waiting at once on a single-producer, single-consumer channel"
            first.cancel()
            runCurrent()
            val next = async(start = CoroutineStart.UNDISPATCHED) { ch.receive() }
            ch.send(5)
            next.await() shouldBe 5
        }
    }

    test("select: receive and send cases, and a select that picks another case takes nothing") {
        runTest {
            val ch = SpscChan<Int>(2)
            val other = Chan<String>(1)
            val picked = async(start = CoroutineStart.UNDISPATCHED) {
                select {
                    ch.onReceive { "spsc $it" }
                    other.onReceive { "other $it" }
                }
            }
            runCurrent()
            other.send("x")
            picked.await() shouldBe "other x"
            ch.send(1) // the select above registered on ch, but took nothing
            select<String> {
                ch.onReceive { "spsc $it" }
                onTimeout(10.milliseconds) { "timeout" }
            } shouldBe "spsc 1"
            select<String> {
                ch.onReceive { "spsc $it" }
                onTimeout(10.milliseconds) { "timeout" }
            } shouldBe "timeout"
            ch.send(2)
            ch.send(3)
            select<String> {
                ch.onSend(4) { "sent" }
                onTimeout(10.milliseconds) { "full" }
            } shouldBe "full"
            val sending = async(start = CoroutineStart.UNDISPATCHED) { select<String> { ch.onSend(4) { "sent" } } }
            runCurrent()
            ch.receive() shouldBe 2
            sending.await() shouldBe "sent"
            List(2) { ch.receive() } shouldBe listOf(3, 4)
        }
    }

    test("it works in pipelines unchanged") {
        runTest {
            pipeline {
                val source = SpscChan<Int>(8)
                launch {
                    for (i in 1..100) source.send(i)
                    source.close()
                }
                map(source) { it * 2 }.let { out -> ArrayList<Int>().also { for (v in out) it.add(v) } }
            } shouldBe (1..100).map { it * 2 }
        }
    }

    test("stress: one producer, one consumer on two threads, plain and through select: in order, none lost") {
        runBlocking(Dispatchers.Default) {
            withTimeout(60.seconds) {
                val items = 1_000_000
                val ch = SpscChan<Int>(64)
                coroutineScope {
                    launch {
                        for (i in 0 until items) ch.send(i)
                        ch.close()
                    }
                    var next = 0
                    for (v in ch) {
                        check(v == next) { "got $v, expected $next" }
                        next++
                    }
                    next shouldBe items
                }
                val viaSelect = SpscChan<Int>(16)
                val idle = Chan<Unit>()
                coroutineScope {
                    launch {
                        for (i in 0 until 100_000) select<Unit> { viaSelect.onSend(i) {} }
                        viaSelect.close()
                    }
                    var next = 0
                    while (true) {
                        val r = select {
                            viaSelect.onReceiveOk { it }
                            idle.onReceiveOk { error("never sent") }
                        }
                        if (!r.ok) break
                        check(r.value == next) { "got ${r.value}, expected $next" }
                        next++
                    }
                    next shouldBe 100_000
                }
            }
        }
    }
})
