package dev.conduit.chan

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.time.Duration.Companion.seconds

class ChanTest : FunSpec({
    test("a negative capacity is rejected, naming the value") {
        val e = shouldThrow<IllegalArgumentException> { Chan<Int>(-1) }
        e.message shouldBe "capacity must be >= 0, but was -1"
    }

    test("an unbuffered channel is a rendezvous: send waits for a receiver") {
        runTest {
            val ch = Chan<Int>()
            val sender = launch { ch.send(1) }
            runCurrent()
            withClue("send on an unbuffered channel must wait for a receiver") { sender.isCompleted shouldBe false }
            withClue("trySend on an unbuffered channel must fail when only a sender waits") { ch.trySend(2) shouldBe false }
            ch.receive() shouldBe 1
            runCurrent()
            withClue("the waiting send must complete once a receiver took its value") { sender.isCompleted shouldBe true }
            ch.cap shouldBe 0
            ch.len shouldBe 0
        }
    }

    test("a buffered channel holds cap values, reports len, and then blocks the sender") {
        runTest {
            val ch = Chan<Int>(2)
            ch.cap shouldBe 2
            ch.send(1)
            ch.len shouldBe 1
            withClue("trySend must succeed while the buffer has room") { ch.trySend(2) shouldBe true }
            ch.len shouldBe 2
            withClue("trySend must fail once the buffer is full") { ch.trySend(3) shouldBe false }
            val blocked = launch { ch.send(3) }
            runCurrent()
            withClue("send must wait while the buffer is full") { blocked.isCompleted shouldBe false }
            ch.receive() shouldBe 1
            runCurrent()
            withClue("the waiting send must complete once a receive made room") { blocked.isCompleted shouldBe true }
            ch.len shouldBe 2
            ch.tryReceive() shouldBe Received.of(2)
            ch.tryReceive() shouldBe Received.of(3)
            ch.tryReceive() shouldBe null
            ch.len shouldBe 0
        }
    }

    test("len is exact after a receive that was withdrawn and a send that was cancelled") {
        runTest {
            val ch = Chan<Int>(2)
            select {
                ch.onReceive { "value" }
                default { "nothing" }
            } shouldBe "nothing"
            val waiting = launch(start = CoroutineStart.UNDISPATCHED) { ch.receive() }
            waiting.cancel()
            ch.send(1)
            ch.len shouldBe 1
            ch.send(2)
            ch.len shouldBe 2
            val blocked = launch(start = CoroutineStart.UNDISPATCHED) { ch.send(3) }
            ch.len shouldBe 2
            blocked.cancel()
            ch.receive() shouldBe 1
            ch.len shouldBe 1 // the cancelled sender left nothing behind
            ch.receive() shouldBe 2
            ch.tryReceive() shouldBe null
            ch.len shouldBe 0
        }
    }

    test("a nil channel blocks send and receive until cancelled and rejects close") {
        runTest {
            val nil = nilChan<Int>()
            withTimeoutOrNull(10.seconds) { nil.send(1) } shouldBe null
            withTimeoutOrNull(10.seconds) { nil.receive() } shouldBe null
            withTimeoutOrNull(10.seconds) { nil.receiveOk() } shouldBe null
            withClue("trySend on a nil channel must never succeed") { nil.trySend(1) shouldBe false }
            nil.tryReceive() shouldBe null
            shouldThrow<IllegalStateException> { nil.close() }.message shouldBe "close of nil channel"
        }
    }

    test("send on a closed channel fails with ClosedChannelException") {
        runTest {
            val ch = Chan<Int>(1)
            ch.close()
            shouldThrow<ClosedChannelException> { ch.send(1) }.message shouldBe "send on closed channel"
            shouldThrow<ClosedChannelException> { ch.trySend(1) }.message shouldBe "send on closed channel"
        }
    }

    test("closing twice fails") {
        val ch = Chan<Int>()
        ch.close()
        shouldThrow<IllegalStateException> { ch.close() }.message shouldBe "close of closed channel"
    }

    test("receive on a closed channel yields what is buffered and then closed at once") {
        runTest {
            val ch = Chan<String>(3)
            ch.send("a")
            ch.send("b")
            ch.close()
            ch.receive() shouldBe "a"
            ch.receiveOk() shouldBe Received.of("b")
            val (v, ok) = ch.receiveOk()
            withClue("a receive from a closed, drained channel destructures to (null, false)") { (v to ok) shouldBe (null to false) }
            ch.tryReceive() shouldBe Received.closed()
            shouldThrow<ClosedChannelException> { ch.receive() }.message shouldBe "receive from closed channel"
            shouldThrow<ClosedChannelException> { ch.receiveOk().value }
        }
    }

    test("closing wakes every waiting receiver with closed") {
        runTest {
            val ch = Chan<Int>()
            val waiting = List(3) { async(start = CoroutineStart.UNDISPATCHED) { ch.receiveOk() } }
            ch.close()
            waiting.map { it.await() } shouldBe List(3) { Received.closed<Int>() }
        }
    }

    test("a sender waiting when the channel closes fails, as Go panics it; buffered values stay") {
        runTest {
            val ch = Chan<Int>(1)
            ch.send(1)
            val blocked = async(start = CoroutineStart.UNDISPATCHED) { runCatching { ch.send(2) }.exceptionOrNull() }
            ch.close()
            shouldThrow<ClosedChannelException> { ch.send(3) }
            blocked.await().shouldBeInstanceOf<ClosedChannelException>().message shouldBe "send on closed channel"
            ch.receive() shouldBe 1
            ch.receiveOk() shouldBe Received.closed()
        }
    }

    test("a rendezvous sender waiting when the channel closes fails too") {
        runTest {
            val ch = Chan<Int>()
            val blocked = async(start = CoroutineStart.UNDISPATCHED) { runCatching { ch.send(2) }.exceptionOrNull() }
            ch.close()
            blocked.await().shouldBeInstanceOf<ClosedChannelException>().message shouldBe "send on closed channel"
            ch.receiveOk() shouldBe Received.closed()
        }
    }

    test("values from one sender arrive in order") {
        runTest {
            val ch = Chan<Int>(4)
            launch {
                for (i in 0 until 1000) ch.send(i)
                ch.close()
            }
            val got = ArrayList<Int>()
            for (v in ch) got.add(v)
            got shouldBe (0 until 1000).toList()
        }
    }

    test("iteration ends when the channel is closed and drained") {
        runTest {
            val ch = Chan<Int>(3)
            ch.send(1)
            ch.send(2)
            ch.close()
            val got = ArrayList<Int>()
            for (v in ch) got.add(v)
            got shouldBe listOf(1, 2)
            ch.len shouldBe 0
        }
    }
})
