@file:OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)

package dev.conduit.chan

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import kotlin.time.Duration.Companion.seconds

/**
 * Go's select test programs (`test/chan/select*.go` and `test/chan/doubleselect.go` in
 * golang/go) ported to Conduit's [select].
 *
 * Ported: `select.go` (case expressions evaluated once on entry, nil cases), `select3.go`
 * (blocking and non-blocking semantics of operations and selects on empty, ready, closed and
 * nil channels), `select4.go` (only the chosen case's body runs), `select6.go` (issue 2075: a
 * select's losing entries must not corrupt a queue with other waiters), `select7.go` (send and
 * receive forms, value discarded), `select8.go` (one-, two- and three-case selects; a select
 * never pairs with itself) and `doubleselect.go` (no two cases of one select both run).
 *
 * Skipped:
 * - `select2.go`: checks that 100,000 selects do not grow Go's heap (`runtime.ReadMemStats`);
 *   the JVM has no exact live-heap figure to compare (the GC and JIT allocate and free on their
 *   own schedule), so such a test could only pass or fail by luck.
 * - `select5.go`: a program that generates Go source for the compiler's select tests, not a
 *   test of the runtime.
 * - `sendstmt.go`: a parser test (`c <- x || y` and `<-cc <- v` as statements); Kotlin has no
 *   such syntax to check.
 *
 * How "blocks" is checked (Go's `testBlock` sleeps 0.1 s): the operation runs in a coroutine
 * on the single-threaded virtual-time scheduler of `runTest`; "never blocks" means it has
 * completed once the scheduler has run everything ready now (`runCurrent`), and "always
 * blocks" means it is still suspended once the scheduler is idle, with no task or timer left
 * that could wake it (`advanceUntilIdle`). Both are exact. Go's panics (`testPanic`) are
 * Conduit's [ClosedChannelException]. Go's nil channel is [nilChan], and the `enabled` guard
 * is checked beside it.
 */
class GoChanSelectTest : FunSpec({
    val stress = System.getProperty("conduit.stress") == "true"

    /**
     * Port of `test/chan/select.go`: every case's value is computed once each time the select
     * starts, also for a case on a nil channel (Go's spec; in Kotlin an argument is always
     * evaluated), so after the two runs 10 values were computed; the first run sends on both
     * channels and stops at `default` once both are nil.
     */
    test("select.go: send values are computed once per select, nil cases included; default ends the loop") {
        for (guard in listOf("nil channel", "enabled = false")) {
            runTest {
                var counter = 0
                var shift = 0
                fun getValue(): Int {
                    counter++
                    return 1 shl shift
                }

                suspend fun send(a0: Chan<Int>, b0: Chan<Int>): Int {
                    var a = a0
                    var b = b0
                    var aOn = true
                    var bOn = true
                    var i = 0
                    while (true) {
                        val sent = select<Boolean> {
                            a.onSend(getValue(), enabled = aOn) {
                                i++
                                if (guard == "nil channel") a = nilChan() else aOn = false
                                true
                            }
                            b.onSend(getValue(), enabled = bOn) {
                                i++
                                if (guard == "nil channel") b = nilChan() else bOn = false
                                true
                            }
                            default { false }
                        }
                        if (!sent) break
                        shift++
                    }
                    return i
                }

                val a = Chan<Int>(1)
                val b = Chan<Int>(1)
                withClue(guard) {
                    send(a, b) shouldBe 2
                    (a.receive() or b.receive()) shouldBe 3
                    send(a, nilChan()) shouldBe 1
                    counter shouldBe 10
                }
            }
        }
    }

    /** Port of `test/chan/select3.go`: operations on nil channels block; in a select they are never chosen. */
    test("select3.go: nil channels block, and their select cases are never chosen") {
        runTest {
            val nilch = nilChan<Int>()
            assertBlocks("send on a nil channel") { nilch.send(7) }
            assertBlocks("receive from a nil channel") { nilch.receive() }
            assertBlocks("receiveOk from a nil channel") { nilch.receiveOk() }
            withClue("trySend on a nil channel must never succeed") { nilch.trySend(7) shouldBe false }
            nilch.tryReceive() shouldBe null
            select<Unit> {
                nilch.onSend(7) { unreachable("nil send case chosen") }
                default {}
            }
            select<Unit> {
                nilch.onReceive { unreachable("nil receive case chosen") }
                default {}
            }
        }
    }

    /** Port of `test/chan/select3.go`: a send with buffer room and receives from a closed channel never block; a send on a closed one fails. */
    test("select3.go: buffered send with room and receive from closed never block; send to closed throws") {
        runTest {
            assertNeverBlocks("send to a buffered channel with room") {
                val ch = Chan<Int>(1)
                ch.send(7)
            }
            val closedch = Chan<Int>()
            closedch.close()
            assertNeverBlocks("receive from a closed channel") {
                repeat(10) {
                    // Go returns 0; Conduit's receive throws, receiveOk says "closed".
                    shouldThrow<ClosedChannelException> { closedch.receive() }.message shouldBe "receive from closed channel"
                    val (x, ok) = closedch.receiveOk()
                    withClue("receiveOk on a closed channel destructures to (null, false)") { (x to ok) shouldBe (null to false) }
                    closedch.tryReceive() shouldBe Received.closed()
                }
            }
            shouldThrow<ClosedChannelException> { closedch.send(7) }.message shouldBe "send on closed channel"
            shouldThrow<ClosedChannelException> { closedch.trySend(7) }.message shouldBe "send on closed channel"
        }
    }

    /**
     * Extends `test/chan/select3.go`'s "sending to a closed channel panics" to a send that is
     * already blocked when the channel is closed, which Go also panics: a plain send and a
     * select's send case, waiting on a full buffered channel and on an unbuffered one, both
     * throw [ClosedChannelException] once the channel closes, the buffered value stays
     * receivable, and no waiter is left queued.
     */
    test("select3.go (extended): a send blocked when the channel closes throws, plain or in a select") {
        runTest {
            for (cap in listOf(0, 1)) {
                val ch = Chan<Int>(cap)
                repeat(cap) { ch.send(-1) }
                val plain = async(start = CoroutineStart.UNDISPATCHED) { runCatching { ch.send(7) }.exceptionOrNull() }
                val inSelect = async(start = CoroutineStart.UNDISPATCHED) {
                    runCatching { select<Unit> { ch.onSend(8) { unreachable("send block ran on a closed channel") } } }
                        .exceptionOrNull()
                }
                advanceUntilIdle()
                withClue("cap $cap: both senders wait") {
                    plain.isActive shouldBe true
                    inSelect.isActive shouldBe true
                    ch.queuedWaiters() shouldBe (2 to 0)
                }
                ch.close()
                for ((what, sender) in listOf("plain send" to plain, "select send" to inSelect)) {
                    val e = sender.await()
                    withClue("cap $cap, $what") {
                        e.shouldBeInstanceOf<ClosedChannelException>().message shouldBe "send on closed channel"
                    }
                }
                ch.queuedWaiters() shouldBe (0 to 0)
                repeat(cap) { ch.receive() shouldBe -1 }
                ch.receiveOk() shouldBe Received.closed()
            }
        }
    }

    /** Port of `test/chan/select3.go`: a receive from an empty channel, an empty select and selects of nil or idle channels block. */
    test("select3.go: empty select, nil-only selects and selects on idle channels always block") {
        runTest {
            val nilch = nilChan<Int>()
            val idle = Chan<Int>()
            assertBlocks("receive from a channel nobody sends to", idle) { idle.receive() }
            assertBlocks("select {}") { select<Unit> {} }
            assertBlocks("select on a nil receive") {
                select<Unit> { nilch.onReceive { unreachable("nil receive case chosen") } }
            }
            assertBlocks("select on a nil send") {
                select<Unit> { nilch.onSend(7) { unreachable("nil send case chosen") } }
            }
            assertBlocks("select on a nil receive and a nil send") {
                select<Unit> {
                    nilch.onReceive { unreachable("nil receive case chosen") }
                    nilch.onSend(7) { unreachable("nil send case chosen") }
                }
            }
            assertBlocks("select on an idle channel", idle) {
                select<Unit> { idle.onReceive { unreachable("idle receive case chosen") } }
            }
            // Conduit's guard: a disabled case is a nil channel, even on a ready channel.
            val ready = Chan<Int>(1)
            ready.send(1)
            assertBlocks("select whose only case is disabled", ready) {
                select<Unit> {
                    ready.onReceive(enabled = false) { unreachable("disabled case chosen") }
                    ready.onSend(2, enabled = false) { unreachable("disabled case chosen") }
                }
            }
            ready.len shouldBe 1
        }
    }

    /** Port of `test/chan/select3.go`: selects with a default, or with a ready case, never block. */
    test("select3.go: selects with default or a ready case never block") {
        runTest {
            val nilch = nilChan<Int>()
            assertNeverBlocks("select { default }") { select<Unit> { default {} } }
            assertNeverBlocks("nil receive with default") {
                select<Unit> {
                    nilch.onReceive { unreachable("nil receive case chosen") }
                    default {}
                }
            }
            assertNeverBlocks("nil send with default") {
                select<Unit> {
                    nilch.onSend(7) { unreachable("nil send case chosen") }
                    default {}
                }
            }
            assertNeverBlocks("ready send beside default") {
                val ch = Chan<Int>(1)
                select<Unit> {
                    ch.onSend(7) {}
                    default { unreachable("default chosen with a ready send") }
                }
                ch.len shouldBe 1
            }
            assertNeverBlocks("ready receive beside default") {
                val ch = Chan<Int>(1)
                ch.send(7)
                select<Unit> {
                    ch.onReceive { it shouldBe 7 }
                    default { unreachable("default chosen with a ready receive") }
                }
            }
        }
    }

    /** Port of `test/chan/select3.go`: select cases on a closed channel behave as the plain operations do. */
    test("select3.go: select cases on a closed channel act like the plain operations") {
        runTest {
            val closedch = Chan<Int>()
            closedch.close()
            assertNeverBlocks("receiveOk case on a closed channel") {
                select<Received<Int>> { closedch.onReceiveOk { it } } shouldBe Received.closed()
            }
            // Go's `case x := <-closedch` yields 0; Conduit's onReceive throws, as receive does.
            assertNeverBlocks("receive case on a closed channel") {
                shouldThrow<ClosedChannelException> {
                    select<Unit> { closedch.onReceive { unreachable("receive block ran for a closed channel") } }
                }.message shouldBe "receive from closed channel"
            }
            assertNeverBlocks("send case on a closed channel") {
                shouldThrow<ClosedChannelException> {
                    select<Unit> { closedch.onSend(7) { unreachable("send block ran for a closed channel") } }
                }.message shouldBe "send on closed channel"
            }
            closedch.queuedWaiters() shouldBe (0 to 0)
        }
    }

    /** Port of `test/chan/select3.go`: a select that sends and receives on one idle unbuffered channel does not pair with itself. */
    test("select3.go: a select that sees its own channel twice blocks") {
        runTest {
            val c = Chan<Int>()
            assertBlocks("select { c <- 1; <-c }", c) {
                select<Unit> {
                    c.onSend(1) { unreachable("paired with itself") }
                    c.onReceive { unreachable("paired with itself") }
                }
            }
        }
    }

    /** Port of `test/chan/select4.go`: the body of the case that is not chosen never runs (Go: its assignment target is not evaluated). */
    test("select4.go: only the chosen case's body runs") {
        runTest {
            val c = Chan<Int>(1)
            val c1 = Chan<Int>()
            c.send(42)
            var fCalled = false
            var xa = 0
            select<Unit> {
                c1.onReceive { fCalled = true }
                c.onReceive { xa = it }
            }
            xa shouldBe 42
            withClue("the body of the case on c1, which never had a value, must not run") { fCalled shouldBe false }
            c1.queuedWaiters() shouldBe (0 to 0)
        }
    }

    /**
     * Port of `test/chan/select6.go` (Go issue 2075): G1 waits on c1, then a select waits on
     * c1 and c2 behind it; c2 wins, and the select's entry must leave c1's queue cleanly, so
     * that the two later sends on c1 reach G1 and the select's goroutine. (Go relies on
     * scheduling order; this port waits until each goroutine is queued.)
     */
    test("select6.go: a losing select entry behind another waiter leaves the queue intact") {
        onThreads {
            val c1 = Chan<Boolean>()
            val c2 = Chan<Boolean>()
            val c3 = Chan<Boolean>()
            val g1 = launch { c1.receive() }
            awaitQueued(c1, 0, 1)
            val g2 = launch {
                select<Unit> {
                    c1.onReceive { unreachable("dummy") }
                    c2.onReceive { c3.send(true) }
                }
                c1.receive()
            }
            awaitQueued(c1, 0, 2)
            awaitQueued(c2, 0, 1)
            launch { c2.send(true) }
            c3.receive()
            c1.send(true)
            c1.send(true)
            joinAll(g1, g2)
            for (ch in listOf(c1, c2, c3)) ch.queuedWaiters() shouldBe (0 to 0)
        }
    }

    /**
     * Port of `test/chan/select7.go`: every pairing of three receive forms (plain, one-case
     * select, two-case select) with three send forms, the received value discarded. Each
     * pairing runs with the receiver queued first (Go's `Gosched`), the sender queued first,
     * and racing; no waiter may be left behind.
     */
    test("select7.go: plain and select sends and receives pair in every combination") {
        val recvs: List<Pair<String, suspend (ReceiveChan<Int>) -> Unit>> = listOf(
            "recv1" to { c -> c.receive() },
            "recv2" to { c -> select<Unit> { c.onReceive {} } },
            "recv3" to { c ->
                val c2 = Chan<Int>()
                select<Unit> {
                    c.onReceive {}
                    c2.onReceive {}
                }
            },
        )
        val sends: List<Pair<String, suspend (SendChan<Int>) -> Unit>> = listOf(
            "send1" to { c -> c.send(1) },
            "send2" to { c -> select<Unit> { c.onSend(1) {} } },
            "send3" to { c ->
                val c2 = Chan<Int>()
                select<Unit> {
                    c.onSend(1) {}
                    c2.onSend(1) {}
                }
            },
        )
        val racingRounds = if (stress) 1_000 else 50
        onThreads {
            for ((sendName, send) in sends) for ((recvName, recv) in recvs) {
                withClue("$sendName($recvName), receiver first") {
                    val c = Chan<Int>()
                    val r = launch { recv(c) }
                    awaitQueued(c, 0, 1)
                    send(c)
                    r.join()
                    c.queuedWaiters() shouldBe (0 to 0)
                }
                withClue("$sendName($recvName), sender first") {
                    val c = Chan<Int>()
                    val s = launch { send(c) }
                    awaitQueued(c, 1, 0)
                    recv(c)
                    s.join()
                    c.queuedWaiters() shouldBe (0 to 0)
                }
                withClue("$sendName($recvName), racing") {
                    repeat(racingRounds) {
                        val c = Chan<Int>()
                        val r = launch { recv(c) }
                        send(c)
                        r.join()
                        c.queuedWaiters() shouldBe (0 to 0)
                    }
                }
            }
        }
    }

    /**
     * Port of `test/chan/select8.go` (`break` in selects of one, two and three cases): here the
     * early exit is the block's end. A goroutine only ever sends on ch, so in the three-case
     * select the send case on ch has no partner but the select itself and must never run.
     */
    test("select8.go: one-, two- and three-case selects; a send case never pairs with its own select") {
        val rounds = if (stress) 10_000 else 1_000
        onThreads {
            val ch = Chan<Int>()
            val sender = launch { while (true) ch.send(5) }
            select<Unit> { ch.onReceive { it shouldBe 5 } }
            select<Unit> { default {} }
            select<Unit> {
                ch.onReceive { it shouldBe 5 }
                default {}
            }
            repeat(rounds) {
                select<Unit> {
                    ch.onReceive { it shouldBe 5 }
                    ch.onSend(10) { unreachable("sent 10 with no receiver but the select itself") }
                    default {}
                }
            }
            sender.cancelAndJoin()
            ch.queuedWaiters() shouldBe (0 to 0)
        }
    }

    /**
     * Port of `test/chan/doubleselect.go`: a sender sends each counter value through a
     * four-case select over four unbuffered channels, each forwarded by a mux goroutine to one
     * channel; if two cases of one select ever both ran, a value would arrive twice. This port
     * also checks that every value arrives. Go's 100,000 iterations under -Dconduit.stress=true,
     * 10,000 otherwise.
     */
    test("doubleselect.go: no two cases of one select both run") {
        val iterations = if (stress) 100_000 else 10_000
        onThreads(timeoutSeconds = 120) {
            val c = List(4) { Chan<Int>() }
            val cmux = Chan<Int>()
            launch {
                try {
                    for (i in 0 until iterations) {
                        select<Unit> {
                            c[0].onSend(i) {}
                            c[1].onSend(i) {}
                            c[2].onSend(i) {}
                            c[3].onSend(i) {}
                        }
                    }
                } finally {
                    c.forEach { it.close() }
                }
            }
            val muxes = c.map { input -> launch { for (v in input) cmux.send(v) } }
            launch {
                muxes.joinAll()
                cmux.close()
            }
            val seen = BooleanArray(iterations)
            var count = 0
            for (v in cmux) {
                if (seen[v]) unreachable("got duplicate value: $v")
                seen[v] = true
                count++
            }
            count shouldBe iterations
            for (ch in c + cmux) ch.queuedWaiters() shouldBe (0 to 0)
        }
    }
})

/**
 * Go's `testBlock(always, f)`: [f] starts in a coroutine, the virtual-time scheduler runs until
 * nothing is left to do (no ready task, no timer), and [f] must still be suspended: nothing
 * can ever wake it. It is then cancelled, and must leave no waiter queued on [channels].
 */
private suspend fun TestScope.assertBlocks(what: String, vararg channels: Chan<*>, f: suspend () -> Unit) {
    val job = launch(start = CoroutineStart.UNDISPATCHED) { f() }
    advanceUntilIdle()
    withClue("$what: should block") { job.isActive shouldBe true }
    job.cancelAndJoin()
    for (ch in channels) withClue("$what: waiters left after cancellation") { ch.queuedWaiters() shouldBe (0 to 0) }
}

/**
 * Go's `testBlock(never, f)`: [f] starts in a coroutine and must have completed once the
 * scheduler has run what is ready now, without virtual time passing. A failure inside [f]
 * fails the test.
 */
private fun TestScope.assertNeverBlocks(what: String, f: suspend () -> Unit) {
    val job = launch(start = CoroutineStart.UNDISPATCHED) { f() }
    runCurrent()
    withClue("$what: should not block") { job.isCompleted shouldBe true }
}

/** Runs [block] on [Dispatchers.Default] (real threads), bounded by a hang guard. */
private fun onThreads(timeoutSeconds: Int = 60, block: suspend CoroutineScope.() -> Unit) {
    runBlocking(Dispatchers.Default) {
        withTimeout(timeoutSeconds.seconds) { coroutineScope(block) }
    }
}

/** Waits until exactly [senders] senders and [receivers] receivers are queued on [ch]. */
private suspend fun awaitQueued(ch: Chan<*>, senders: Int, receivers: Int) {
    while (ch.queuedWaiters() != (senders to receivers)) yield()
}

private fun unreachable(message: String): Nothing = throw AssertionError(message)
