package dev.conduit.chan

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.collections.shouldBeIn
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class SelectTest : FunSpec({
    test("with two always-ready channels each side wins 50% +- 3% of 10,000 selects") {
        runTest {
            val a = Chan<Int>(1)
            val b = Chan<Int>(1)
            var aWins = 0
            repeat(10_000) {
                a.trySend(1)
                b.trySend(2)
                val first = select<Int> {
                    a.onReceive { it }
                    b.onReceive { it }
                }
                if (first == 1) aWins++
                // Drain the other side so both are ready again next round.
                a.tryReceive()
                b.tryReceive()
            }
            // A first-clause bias gives 10,000; uniform gives 5,000 with sd 50.
            aWins shouldBeInRange 4_700..5_300
        }
    }

    test("a biased select prefers the first ready case") {
        runTest {
            val a = Chan<Int>(1)
            val b = Chan<Int>(1)
            repeat(100) {
                a.trySend(1)
                b.trySend(2)
                select(biased = true) {
                    a.onReceive { it }
                    b.onReceive { it }
                } shouldBe 1
                b.tryReceive()
            }
        }
    }

    test("default runs only when no case is ready") {
        runTest {
            val ch = Chan<Int>(1)
            select {
                ch.onReceive { "value" }
                default { "default" }
            } shouldBe "default"
            ch.send(5)
            select {
                ch.onReceive { "value $it" }
                default { "default" }
            } shouldBe "value 5"
            shouldThrow<IllegalArgumentException> {
                select<Unit> {
                    default {}
                    default {}
                }
            }
        }
    }

    test("a send case fires when a receiver is waiting; default otherwise") {
        runTest {
            val ch = Chan<Int>()
            select {
                ch.onSend(1) { "sent" }
                default { "would block" }
            } shouldBe "would block"
            val receiver = async(start = CoroutineStart.UNDISPATCHED) { ch.receive() }
            select {
                ch.onSend(7) { "sent" }
                default { "would block" }
            } shouldBe "sent"
            receiver.await() shouldBe 7
        }
    }

    test("the timeout case fires after its duration in virtual time") {
        runTest {
            val ch = Chan<Int>()
            val start = currentTime
            select {
                ch.onReceive { "value" }
                onTimeout(250.milliseconds) { "timeout" }
            } shouldBe "timeout"
            (currentTime - start) shouldBe 250L
        }
    }

    test("selects in a loop with timeouts: each value is taken, then the timeout ends the loop") {
        runTest {
            val ch = Chan<Int>()
            launch {
                for (i in 1..5) {
                    kotlinx.coroutines.delay(100.milliseconds)
                    ch.send(i)
                }
            }
            val got = ArrayList<Int>()
            var timedOut = false
            while (!timedOut) {
                select<Unit> {
                    ch.onReceive { got.add(it) }
                    onTimeout(150.milliseconds) { timedOut = true }
                }
            }
            got shouldBe listOf(1, 2, 3, 4, 5)
            currentTime shouldBe 650L
        }
    }

    test("a nil channel's case and a disabled case never fire") {
        runTest {
            val ready = Chan<Int>(1)
            ready.send(1)
            repeat(50) {
                select {
                    nilChan<Int>().onReceive { "nil" }
                    nilChan<Int>().onSend(1) { "nil send" }
                    ready.onReceive(enabled = false) { "disabled" }
                    default { "default" }
                } shouldBe "default"
            }
            withTimeoutOrNull(5.seconds) {
                select<String> { nilChan<Int>().onReceive { "never" } }
            } shouldBe null
        }
    }

    test("a select with no cases suspends until cancelled, like select {}") {
        runTest {
            withTimeoutOrNull(1.seconds) { select<Unit> { } } shouldBe null
        }
    }

    test("selects over closed channels: onReceiveOk sees closed, onReceive throws, onSend throws") {
        runTest {
            val closed = Chan<Int>()
            closed.close()
            val open = Chan<Int>()
            repeat(20) {
                select {
                    open.onReceiveOk { "open" }
                    closed.onReceiveOk { if (it.ok) "value" else "closed" }
                } shouldBe "closed"
            }
            shouldThrow<ClosedChannelException> {
                select<Int> {
                    closed.onReceive { it }
                    open.onReceive { it }
                }
            }.message shouldBe "receive from closed channel"
            shouldThrow<ClosedChannelException> {
                select<Unit> {
                    closed.onSend(1) {}
                    open.onReceive {}
                }
            }.message shouldBe "send on closed channel"
            shouldThrow<ClosedChannelException> { select<Int> { closed.onReceive { it } } }
            shouldThrow<ClosedChannelException> { select<Unit> { closed.onSend(1) {} } }
        }
    }

    test("selects that both send and receive pair with each other, across two channels") {
        runTest {
            val ab = Chan<Int>()
            val ba = Chan<Int>()
            val left = async {
                select<String> {
                    ab.onSend(1) { "left sent" }
                    ba.onReceive { "left got $it" }
                }
            }
            val right = async {
                select<String> {
                    ba.onSend(2) { "right sent" }
                    ab.onReceive { "right got $it" }
                }
            }
            val outcome = setOf(left.await(), right.await())
            outcome shouldBeIn listOf(setOf("left sent", "right got 1"), setOf("right sent", "left got 2"))
        }
    }

    test("a select may send and receive on the same channel, as Go's does") {
        runTest {
            val ch = Chan<Int>()
            // Two such selects pair with each other: one sends, the other receives.
            val outcomes = List(2) { i ->
                async {
                    select<String> {
                        ch.onSend(i) { "sent $i" }
                        ch.onReceive { "got $it" }
                    }
                }
            }.map { it.await() }.toSet()
            outcomes shouldBeIn listOf(setOf("sent 0", "got 0"), setOf("sent 1", "got 1"))
            select {
                ch.onSend(1, enabled = false) { "send" }
                ch.onReceive { "receive" }
                default { "guarded" }
            } shouldBe "guarded"
            // A buffered channel with room and a value: either case may fire, chosen at random, so
            // 200 rounds see both (each is missed with probability 2^-200).
            val b = Chan<Int>(2)
            val fired = HashMap<String, Int>()
            repeat(200) {
                b.send(7)
                val outcome = select {
                    b.onSend(8) { "sent" }
                    b.onReceive { "got $it" }
                }
                fired.merge(outcome, 1, Int::plus)
                while (b.tryReceive() != null) Unit // empty it for the next round
            }
            withClue("cases fired in 200 selects with both ready: $fired") {
                fired.keys shouldBe setOf("sent", "got 7")
            }
        }
    }

    test("a cancelled select takes no value") {
        runTest {
            val ch = Chan<Int>()
            val waiting = launch(start = CoroutineStart.UNDISPATCHED) {
                select<Int> { ch.onReceive { it } }
            }
            waiting.cancel()
            runCurrent()
            withClue("a cancelled select must withdraw its receive, leaving no receiver for trySend") { ch.trySend(1) shouldBe false }
        }
    }

    test("many goroutines selecting on shared channels: every value is counted once") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                val a = Chan<Int>(8)
                val b = Chan<Int>()
                val quit = Chan<Unit>()
                val seen = ConcurrentHashMap<Int, Int>()
                val total = 20_000
                val taken = AtomicInteger()
                coroutineScope {
                    repeat(8) {
                        launch {
                            var running = true
                            while (running) {
                                select<Unit> {
                                    a.onReceive { seen.merge(it, 1, Int::plus); taken.incrementAndGet() }
                                    b.onReceive { seen.merge(it, 1, Int::plus); taken.incrementAndGet() }
                                    quit.onReceiveOk { running = false }
                                }
                            }
                        }
                    }
                    coroutineScope {
                        repeat(4) { p ->
                            launch {
                                for (i in p until total step 4) {
                                    select<Unit> {
                                        a.onSend(i) {}
                                        b.onSend(i) {}
                                    }
                                }
                            }
                        }
                    }
                    while (taken.get() < total) kotlinx.coroutines.yield()
                    quit.close()
                }
                seen.size shouldBe total
                seen.filterValues { it != 1 } shouldBe emptyMap() // none received twice
            }
        }
    }
})
