package dev.conduit.chan

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.channels.produce
import kotlinx.coroutines.channels.toList
import kotlinx.coroutines.flow.consumeAsFlow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest

class KotlinxInteropTest : FunSpec({
    test("a Conduit channel read as a kotlinx channel: values in order, then kotlinx's closed") {
        runTest {
            val ch = Chan<Int>(2)
            val k = ch.asKotlinxChannel(backgroundScope)
            launch {
                for (i in 1..5) ch.send(i)
                ch.close()
            }
            k.consumeAsFlow().map { it * 10 }.toList() shouldBe listOf(10, 20, 30, 40, 50)
            shouldThrow<ClosedReceiveChannelException> { k.receive() }
        }
    }

    test("cancelling the kotlinx side hands the pump's one value to onUndelivered, never drops it") {
        runTest {
            val ch = Chan<Int>(4)
            val undelivered = ArrayList<Int>()
            val k = ch.asKotlinxChannel(backgroundScope) { undelivered.add(it) }
            ch.send(1)
            ch.send(2)
            runCurrent() // the pump has taken 1 and waits for a kotlinx receiver
            k.cancel()
            runCurrent()
            undelivered shouldBe listOf(1)
            ch.receive() shouldBe 2 // nothing else was taken
        }
    }

    test("a kotlinx send channel onto a Conduit channel: closing it closes the Conduit channel") {
        runTest {
            val ch = Chan<String>()
            val k = ch.asKotlinxSendChannel(backgroundScope)
            launch {
                k.send("a")
                k.send("b")
                k.close()
            }
            val got = ArrayList<String>()
            for (v in ch) got.add(v)
            got shouldBe listOf("a", "b")
        }
    }

    test("a kotlinx send channel onto a closed Conduit channel fails its senders with kotlinx's exception") {
        runTest {
            val ch = Chan<String>()
            ch.close()
            val undelivered = ArrayList<String>()
            val k = ch.asKotlinxSendChannel(backgroundScope) { undelivered.add(it) }
            k.send("lost?")
            runCurrent()
            undelivered shouldBe listOf("lost?")
            shouldThrow<Exception> { k.send("after") }
        }
    }

    test("a kotlinx producer used as a Conduit channel in select, beside a Conduit channel") {
        runTest {
            val produced = backgroundScope.produce { for (i in 1..3) send(i) }
            val fromKotlinx = produced.asChan(backgroundScope)
            val local = Chan<Int>(1)
            local.send(100)
            val got = ArrayList<Int>()
            var open = true
            while (open) {
                select<Unit> {
                    fromKotlinx.onReceiveOk { if (it.ok) got.add(it.value) else open = false }
                    local.onReceive { got.add(it) }
                }
            }
            got.sorted() shouldBe listOf(1, 2, 3, 100)
        }
    }

    test("a Conduit send channel onto a kotlinx channel: values arrive, close propagates") {
        runTest {
            val k = Channel<Int>(Channel.UNLIMITED)
            val s = k.asSendChan(backgroundScope)
            s.send(1)
            s.send(2)
            s.close()
            k.toList() shouldBe listOf(1, 2)
            val closedTarget = Channel<Int>()
            closedTarget.close()
            val undelivered = ArrayList<Int>()
            val s2 = closedTarget.asSendChan(backgroundScope) { undelivered.add(it) }
            s2.send(7)
            runCurrent()
            undelivered shouldBe listOf(7)
            shouldThrow<ClosedChannelException> { s2.send(8) }
            shouldThrow<ClosedSendChannelException> { closedTarget.send(9) }
        }
    }
})
