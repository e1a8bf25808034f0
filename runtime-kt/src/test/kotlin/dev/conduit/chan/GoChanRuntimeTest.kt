package dev.conduit.chan

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeIn
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration.Companion.seconds

/**
 * Go's channel runtime tests (`src/runtime/chan_test.go` in golang/go) ported to Conduit's
 * [Chan()][Chan] and [select], run on real threads ([Dispatchers.Default]).
 *
 * Ported, one test each (named after the Go test): `TestChan` (split into its six parts),
 * `TestNonblockRecvRace`, `TestNonblockSelectRace`, `TestNonblockSelectRace2`, `TestSelfSelect`,
 * `TestSelectStress`, `TestSelectFairness`, `TestChanSendInterface`, `TestPseudoRandomSend`,
 * `TestMultiConsumer`, `TestSelectDuplicateChannel`.
 *
 * Skipped, because they test Go-runtime internals that have no counterpart on the JVM:
 * - `TestShrinkStackDuringBlockedSend` and `TestNoShrinkStackWhileParking`: the Go GC shrinking
 *   the stack of a goroutine parked in a channel operation (a suspended coroutine's frame is a
 *   heap object, and a parked thread's stack never moves).
 * - `TestSelectStackAdjust`: the GC adjusting pointers into a goroutine stack held by a blocked
 *   select's receive slots. Its channel behaviour (a select with duplicate cases on two
 *   channels, woken by a close) is checked by the `TestSelectDuplicateChannel` port below.
 * - `Benchmark*`: benchmarks, not tests (see the `benchmarks` module).
 *
 * Adaptations to Conduit:
 * - Where Go sleeps "long enough" for a goroutine to block (`time.Sleep(time.Millisecond)`),
 *   these tests wait until the goroutine's waiter is in the channel's queue
 *   ([queuedWaiters]), which is exact: a goroutine queued on a channel nobody else touches is
 *   blocked. No test sleeps on real time; each is bounded by a `withTimeout` hang guard.
 * - Go's receive from a closed, drained channel yields the zero value; Conduit's [ReceiveChan.receive]
 *   throws [ClosedChannelException] and [ReceiveChan.receiveOk] returns "closed", so the
 *   zero-value checks become those two checks, and a Go `case <-c:` on a channel that may be
 *   closed becomes `onReceiveOk`.
 * - Go's nil-channel trick for switching a select case off becomes the case's `enabled` guard.
 * - Every test ends by checking that no waiter is left in any channel's queue.
 * - Iteration counts are Go's `testing.Short()` sizes; `-Dconduit.stress=true` gives Go's full
 *   sizes.
 */
class GoChanRuntimeTest : FunSpec({
    val stress = System.getProperty("conduit.stress") == "true"
    /** TestChan's range of capacities: Go's N (200, or 20 under -short). */
    val chanCaps = if (stress) 200 else 20

    /** Port of TestChan (chan_test.go), part 1: a receive from an empty channel blocks; a non-blocking one does not. */
    test("TestChan: receive from an empty channel blocks, and a select with default does not") {
        onThreads {
            for (cap in 0 until chanCaps) {
                val c = Chan<Int>(cap)
                val r1 = async { c.receive() }
                val r2 = async { c.receiveOk() }
                awaitQueued(c, senders = 0, receivers = 2)
                withClue("chan[$cap]: receive from empty chan") {
                    r1.isCompleted shouldBe false
                    r2.isCompleted shouldBe false
                }
                select<Unit> {
                    c.onReceive { unreachable("chan[$cap]: receive from empty chan") }
                    default {}
                }
                select<Unit> {
                    c.onReceiveOk { unreachable("chan[$cap]: receive from empty chan") }
                    default {}
                }
                c.tryReceive() shouldBe null
                c.send(1)
                c.send(2)
                setOf(r1.await(), r2.await().value) shouldBe setOf(1, 2)
                c.queuedWaiters() shouldBe (0 to 0)
            }
        }
    }

    /** Port of TestChan (chan_test.go), part 2: a send to a full channel blocks; a non-blocking one does not. */
    test("TestChan: send to a full channel blocks, and a select with default does not") {
        onThreads {
            for (cap in 0 until chanCaps) {
                val c = Chan<Int>(cap)
                for (i in 0 until cap) c.send(i)
                val sender = launch { c.send(0) }
                awaitQueued(c, senders = 1, receivers = 0)
                withClue("chan[$cap]: send to full chan") { sender.isCompleted shouldBe false }
                withClue("chan[$cap]: len with a sender blocked") { c.len shouldBe cap }
                select<Unit> {
                    c.onSend(0) { unreachable("chan[$cap]: send to full chan") }
                    default {}
                }
                withClue("chan[$cap]: trySend to full chan") { c.trySend(0) shouldBe false }
                c.receive()
                sender.join() // the blocked send completes once a receive made room (bounded by onThreads)
                c.queuedWaiters() shouldBe (0 to 0)
            }
        }
    }

    /** Port of TestChan (chan_test.go), part 3: a closed channel yields its buffered values in order, then "closed". */
    test("TestChan: a closed channel drains in order, then reports closed") {
        onThreads {
            for (cap in 0 until chanCaps) {
                val c = Chan<Int>(cap)
                for (i in 0 until cap) c.send(i)
                c.close()
                for (i in 0 until cap) withClue("chan[$cap]") { c.receive() shouldBe i }
                // Go yields 0 here; Conduit's receive throws and receiveOk says "closed".
                shouldThrow<ClosedChannelException> { c.receive() }.message shouldBe "receive from closed channel"
                val (v, ok) = c.receiveOk()
                withClue("chan[$cap]: v/ok from a closed chan") {
                    v shouldBe null
                    ok shouldBe false
                }
            }
        }
    }

    /** Port of TestChan (chan_test.go), part 4: close wakes a blocked receiver with "closed". */
    test("TestChan: close unblocks a waiting receiver") {
        onThreads {
            for (cap in 0 until chanCaps) {
                val c = Chan<Int>(cap)
                val received = async { c.receiveOk() }
                awaitQueued(c, senders = 0, receivers = 1)
                c.close()
                withClue("chan[$cap]: received a value from a closed chan") { received.await() shouldBe Received.closed() }
                c.queuedWaiters() shouldBe (0 to 0)
            }
        }
    }

    /** Port of TestChan (chan_test.go), part 5: FIFO order with one sender, and every value exactly once with four. */
    test("TestChan: 100 values arrive in FIFO order; 4x1000 values from 4 senders arrive exactly once") {
        onThreads {
            for (cap in 0 until chanCaps) {
                val c = Chan<Int>(cap)
                launch { for (i in 0 until 100) c.send(i) }
                for (i in 0 until 100) withClue("chan[$cap]") { c.receive() shouldBe i }

                launch { for (i in 0 until 100) c.send(i) }
                for (i in 0 until 100) {
                    withClue("chan[$cap]") { c.receiveOk() shouldBe Received.of(i) }
                }

                val p = 4
                val l = 1000
                repeat(p) { launch { for (i in 0 until l) c.send(i) } }
                val done = Chan<Map<Int, Int>>()
                repeat(p) {
                    launch {
                        val recv = HashMap<Int, Int>()
                        repeat(l) { val v = c.receive(); recv[v] = (recv[v] ?: 0) + 1 }
                        done.send(recv)
                    }
                }
                val recv = HashMap<Int, Int>()
                repeat(p) { for ((k, v) in done.receive()) recv[k] = (recv[k] ?: 0) + v }
                withClue("chan[$cap]: distinct values received") { recv.size shouldBe l }
                for ((k, v) in recv) withClue("chan[$cap]: copies of $k") { v shouldBe p }
                c.queuedWaiters() shouldBe (0 to 0)
            }
        }
    }

    /** Port of TestChan (chan_test.go), part 6: len and cap. */
    test("TestChan: len and cap") {
        onThreads {
            for (cap in 0 until chanCaps) {
                val c = Chan<Int>(cap)
                withClue("chan[$cap]: empty") {
                    c.len shouldBe 0
                    c.cap shouldBe cap
                }
                for (i in 0 until cap) c.send(i)
                withClue("chan[$cap]: full") {
                    c.len shouldBe cap
                    c.cap shouldBe cap
                }
            }
        }
    }

    /**
     * Port of TestNonblockRecvRace (chan_test.go): a value is buffered before a goroutine's
     * non-blocking receive starts, and the channel is then closed and received from; whatever
     * the interleaving, the goroutine's select has a ready case (the value or "closed") and must
     * never run `default`.
     */
    test("TestNonblockRecvRace: a select with default on a channel with a value or closed never takes default") {
        onThreads {
            val race = RaceBalance("the goroutine's select against close and receive")
            repeat(if (stress) 10_000 else 1_000) { i ->
                val c = Chan<Int>(1)
                c.send(1)
                val start = StartLine()
                val ready = async {
                    start.arrive()
                    select<String> {
                        c.onReceiveOk { if (it.ok) "value" else "closed" }
                        default { "default" }
                    }
                }
                start.release()
                race.hold()
                c.close()
                c.receiveOk()
                val outcome = ready.await()
                withClue("iteration $i: chan is not ready") { outcome shouldBeIn listOf("value", "closed") }
                c.queuedWaiters() shouldBe (0 to 0)
                race.record(releasedSideWon = outcome == "value")
            }
            race.requireBothWon()
        }
    }

    /**
     * Port of TestNonblockSelectRace (chan_test.go): from the moment the goroutine starts, at
     * least one of c1 and c2 is always ready, so a select that sees both channels at one
     * instant (Conduit locks them all for its poll) can never choose `default`.
     */
    test("TestNonblockSelectRace: a select with default over c1 and c2 never takes default while one is ready") {
        onThreads {
            val done = Chan<String>(1)
            val race = RaceBalance("the goroutine's select against c2 <- 1 and the receive from c1")
            repeat(if (stress) 100_000 else 1_000) { i ->
                val c1 = Chan<Int>(1)
                val c2 = Chan<Int>(1)
                c1.send(1)
                val start = StartLine()
                launch {
                    start.arrive()
                    val chosen = select<String> {
                        c1.onReceive { "c1" }
                        c2.onReceive { "c2" }
                        default { "default" }
                    }
                    done.send(chosen)
                }
                start.release()
                race.hold()
                c2.send(1)
                select<Unit> {
                    c1.onReceive {}
                    default {}
                }
                val chosen = done.receive()
                withClue("iteration $i: no chan is ready") { chosen shouldBeIn listOf("c1", "c2") }
                race.record(releasedSideWon = chosen == "c1")
            }
            race.requireBothWon()
        }
    }

    /** Port of TestNonblockSelectRace2 (chan_test.go): as TestNonblockSelectRace, with close(c2) for the send on c2. */
    test("TestNonblockSelectRace2: as TestNonblockSelectRace with c2 closed instead of sent to") {
        onThreads {
            val done = Chan<String>(1)
            val race = RaceBalance("the goroutine's select against close(c2) and the receive from c1")
            repeat(if (stress) 100_000 else 1_000) { i ->
                val c1 = Chan<Int>(1)
                val c2 = Chan<Int>()
                c1.send(1)
                val start = StartLine()
                launch {
                    start.arrive()
                    val chosen = select<String> {
                        c1.onReceiveOk { "c1" }
                        c2.onReceiveOk { "c2 closed" }
                        default { "default" }
                    }
                    done.send(chosen)
                }
                start.release()
                race.hold()
                c2.close()
                select<Unit> {
                    c1.onReceive {}
                    default {}
                }
                val chosen = done.receive()
                withClue("iteration $i: no chan is ready") { chosen shouldBeIn listOf("c1", "c2 closed") }
                race.record(releasedSideWon = chosen == "c1")
            }
            race.requireBothWon()
        }
    }

    /**
     * Port of TestSelfSelect (chan_test.go): two goroutines each run 1000 selects that both
     * send and receive on the same channel. Nothing may deadlock, and on an unbuffered channel
     * a select must never receive its own value (it would have paired with itself).
     */
    test("TestSelfSelect: send and receive on one channel in one select, no self-receive, no deadlock") {
        val iterations = if (stress) 10_000 else 1_000
        for (cap in listOf(0, 10)) {
            onThreads {
                val c = Chan<Int>(cap)
                coroutineScope {
                    for (p in 0 until 2) {
                        launch {
                            for (i in 0 until iterations) {
                                val check: (Int) -> Unit = { v ->
                                    if (cap == 0 && v == p) unreachable("self receive: goroutine $p, iteration $i")
                                }
                                if (p == 0 || i % 2 == 0) {
                                    select<Unit> {
                                        c.onSend(p) {}
                                        c.onReceive { check(it) }
                                    }
                                } else {
                                    select<Unit> {
                                        c.onReceive { check(it) }
                                        c.onSend(p) {}
                                    }
                                }
                            }
                        }
                    }
                }
                withClue("cap $cap: waiters left after the selects") { c.queuedWaiters() shouldBe (0 to 0) }
            }
        }
    }

    /**
     * Port of TestSelectStress (chan_test.go): on four channels (two unbuffered, capacities 2
     * and 3) a plain sender and a plain receiver per channel, plus one goroutine that makes all
     * its sends through a four-case select and one that receives through one; a finished
     * channel's case is switched off (Go sets it to nil; here its `enabled` guard). Go checks
     * only that everything completes; this port also sends distinct values (the plain sender
     * 0 until n, the select sender n until 2n) and checks that each arrives exactly once, and
     * that every channel ends empty with no waiter left.
     */
    test("TestSelectStress: plain and select senders and receivers on four channels complete, nothing lost or duplicated") {
        val n = if (stress) 100_000 else 10_000
        onThreads(timeoutSeconds = 120) {
            val c = arrayOf(Chan<Int>(), Chan<Int>(), Chan<Int>(2), Chan<Int>(3))
            // Per channel, how often each value was received: by the plain receivers, by the select.
            val plainCounts = Array(4) { IntArray(2 * n) }
            val selectCounts = Array(4) { IntArray(2 * n) }
            coroutineScope {
                for (k in 0 until 4) {
                    launch { for (i in 0 until n) c[k].send(i) }
                    launch { repeat(n) { plainCounts[k][c[k].receive()]++ } }
                }
                launch {
                    val sent = IntArray(4)
                    repeat(4 * n) {
                        select<Unit> {
                            c[3].onSend(n + sent[3], enabled = sent[3] < n) { sent[3]++ }
                            c[2].onSend(n + sent[2], enabled = sent[2] < n) { sent[2]++ }
                            c[0].onSend(n + sent[0], enabled = sent[0] < n) { sent[0]++ }
                            c[1].onSend(n + sent[1], enabled = sent[1] < n) { sent[1]++ }
                        }
                    }
                    sent.toList() shouldBe List(4) { n }
                }
                launch {
                    val received = IntArray(4)
                    repeat(4 * n) {
                        select<Unit> {
                            c[0].onReceive(enabled = received[0] < n) { received[0]++; selectCounts[0][it]++ }
                            c[1].onReceive(enabled = received[1] < n) { received[1]++; selectCounts[1][it]++ }
                            c[2].onReceive(enabled = received[2] < n) { received[2]++; selectCounts[2][it]++ }
                            c[3].onReceive(enabled = received[3] < n) { received[3]++; selectCounts[3][it]++ }
                        }
                    }
                    received.toList() shouldBe List(4) { n }
                }
            }
            for (k in 0 until 4) withClue("c[$k]") {
                val wrong = (0 until 2 * n).filter { plainCounts[k][it] + selectCounts[k][it] != 1 }
                withClue("values not received exactly once (first 10 of ${wrong.size})") { wrong.take(10) shouldBe emptyList() }
                c[k].len shouldBe 0
                c[k].queuedWaiters() shouldBe (0 to 0)
            }
        }
    }

    /**
     * Port of TestSelectFairness (chan_test.go): a goroutine repeatedly selects over two
     * never-ready unbuffered channels and two always-ready buffered ones; over 10,000 trials the
     * two ready ones must each win about half the time.
     *
     * Bound: for a uniform choice the count of c1 is Binomial(10000, 1/2), mean 5000, standard
     * deviation 50. Like Go, the test allows 10 standard deviations (4500..5500); a correct
     * implementation falls outside with probability about 1.3e-23 (exact binomial tail), far below 1e-9, while a
     * first-case or last-case bias gives 0 or 10000.
     */
    test("TestSelectFairness: two always-ready cases each win 5000 +- 500 of 10,000 selects") {
        val trials = 10_000
        onThreads {
            val c1 = Chan<Byte>(trials + 1)
            val c2 = Chan<Byte>(trials + 1)
            repeat(trials + 1) {
                c1.send(1)
                c2.send(2)
            }
            val c3 = Chan<Byte>()
            val c4 = Chan<Byte>()
            val out = Chan<Byte>()
            val done = Chan<Unit>()
            val worker = launch {
                while (true) {
                    val b = select<Byte> {
                        c3.onReceive { it }
                        c4.onReceive { it }
                        c1.onReceive { it }
                        c2.onReceive { it }
                    }
                    val stop = select<Boolean> {
                        out.onSend(b) { false }
                        done.onReceiveOk { true }
                    }
                    if (stop) break
                }
            }
            var cnt1 = 0
            var cnt2 = 0
            repeat(trials) {
                when (val b = out.receive().toInt()) {
                    1 -> cnt1++
                    2 -> cnt2++
                    else -> unreachable("unexpected value $b on channel")
                }
            }
            done.close()
            worker.join()
            withClue("unfair select: in $trials trials, results were $cnt1, $cnt2") {
                cnt1 shouldBeInRange 4_500..5_500
            }
            for (ch in listOf(c3, c4, out)) ch.queuedWaiters() shouldBe (0 to 0)
        }
    }

    /**
     * Port of TestChanSendInterface (chan_test.go): send cases on a full channel of a reference
     * type, one case or two on the same channel, beside a default. Go only checks that nothing
     * crashes; since the channel is full, this port also checks that `default` runs and the
     * buffered object is untouched.
     */
    test("TestChanSendInterface: send cases on a full channel of objects take default") {
        onThreads {
            class Mt
            val m = Mt()
            val c = Chan<Any>(1)
            c.send(m)
            select<Unit> {
                c.onSend(m) { unreachable("sent to a full channel") }
                default {}
            }
            select<Unit> {
                c.onSend(m) { unreachable("sent to a full channel") }
                c.onSend(Mt()) { unreachable("sent to a full channel") }
                default {}
            }
            c.len shouldBe 1
            c.receive() shouldBeSameInstanceAs m
            c.queuedWaiters() shouldBe (0 to 0)
        }
    }

    /**
     * Port of TestPseudoRandomSend (chan_test.go): 100 selects each offer 1 and 0 on the same
     * channel (unbuffered, then with room for all); both values must appear more than 10 times.
     *
     * Bound: with a uniform choice the number of zeros is Binomial(100, 1/2); it is 10 or less
     * (or 90 or more) with probability 3.1e-17 per channel, so a correct implementation fails
     * this test with probability below 1e-16.
     */
    test("TestPseudoRandomSend: two send cases on one channel are chosen pseudo-randomly") {
        val n = 100
        for (cap in listOf(0, n)) {
            onThreads {
                val c = Chan<Int>(cap)
                val l = IntArray(n)
                val reader = launch {
                    for (i in 0 until n) {
                        yield()
                        l[i] = c.receive()
                    }
                }
                repeat(n) {
                    select<Unit> {
                        c.onSend(1) {}
                        c.onSend(0) {}
                    }
                }
                reader.join()
                val n1 = l.sum()
                val n0 = n - n1
                withClue("want pseudorandom, got $n0 zeros and $n1 ones (chan cap $cap)") {
                    n0 shouldBeGreaterThan n / 10
                    n1 shouldBeGreaterThan n / 10
                }
                c.queuedWaiters() shouldBe (0 to 0)
            }
        }
    }

    /**
     * Port of TestMultiConsumer (chan_test.go): 23 workers range over a work channel (some
     * yielding to disturb its FIFO-like order) and forward to a result channel, which is closed
     * once the work channel is closed and all workers are done; every item must arrive once.
     * Go's 271,828 items under -Dconduit.stress=true, a tenth of that otherwise.
     */
    test("TestMultiConsumer: 23 workers between two buffered channels lose and duplicate nothing") {
        val nwork = 23
        val niter = if (stress) 271_828 else 27_183
        val pn = intArrayOf(2, 3, 7, 11, 13, 17, 19, 23, 27, 31)
        onThreads(timeoutSeconds = 120) {
            val q = Chan<Int>(nwork * 3)
            val r = Chan<Int>(nwork * 3)
            val expect = AtomicLong()
            val workers = List(nwork) { w ->
                launch {
                    for (v in q) {
                        if (pn[w % pn.size] == v) yield()
                        r.send(v)
                    }
                }
            }
            launch {
                for (i in 0 until niter) {
                    val v = pn[i % pn.size]
                    expect.addAndGet(v.toLong())
                    q.send(v)
                }
                q.close()
                workers.joinAll()
                r.close()
            }
            var n = 0
            var s = 0L
            for (v in r) {
                n++
                s += v
            }
            withClue("expected sum ${expect.get()} (got $s) from $niter iterations (saw $n)") {
                n shouldBe niter
                s shouldBe expect.get()
            }
            q.queuedWaiters() shouldBe (0 to 0)
            r.queuedWaiters() shouldBe (0 to 0)
        }
    }

    /**
     * Port of TestSelectDuplicateChannel (chan_test.go): goroutine A waits in a select with two
     * cases on c and one on d; goroutine B then waits on c behind it. Waking A through d must
     * take both of A's entries out of c's queue and leave B's, so a later send on c reaches B.
     * (Go sleeps to order A before B; this port waits until each is queued.)
     */
    test("TestSelectDuplicateChannel: a select queued twice on one channel leaves that queue intact") {
        onThreads {
            val c = Chan<Int>()
            val d = Chan<Int>()
            val e = Chan<Int>()
            val a = launch {
                select<Unit> {
                    c.onReceive { unreachable("A received from c") }
                    c.onReceive { unreachable("A received from c") }
                    d.onReceive { it shouldBe 7 }
                }
                e.send(9)
            }
            awaitQueued(c, senders = 0, receivers = 2)
            awaitQueued(d, senders = 0, receivers = 1)
            val b = async { c.receive() }
            awaitQueued(c, senders = 0, receivers = 3)
            d.send(7)
            e.receive() shouldBe 9
            a.join()
            withClue("c's queue after A left it") { c.queuedWaiters() shouldBe (0 to 1) }
            d.queuedWaiters() shouldBe (0 to 0)
            c.send(8)
            b.await() shouldBe 8
            c.queuedWaiters() shouldBe (0 to 0)
        }
    }

    /**
     * The channel part of TestSelectStackAdjust (chan_test.go), without its stack shrinking:
     * two selects wait, one with a case each on c and d, one with two cases each; closing d
     * wakes each exactly once with "closed", and both leave no entry behind on c.
     */
    test("TestSelectStackAdjust (channel part): close wakes selects that have duplicate cases on the channel") {
        onThreads {
            val c = Chan<Int>()
            val d = Chan<Int>()
            val single = async {
                select<String> {
                    c.onReceive { "c" }
                    d.onReceiveOk { if (it.ok) "d value" else "d closed" }
                }
            }
            val dup = async {
                select<String> {
                    c.onReceive { "c" }
                    c.onReceive { "c" }
                    d.onReceiveOk { if (it.ok) "d value" else "d closed" }
                    d.onReceiveOk { if (it.ok) "d value" else "d closed" }
                }
            }
            awaitQueued(c, senders = 0, receivers = 3)
            awaitQueued(d, senders = 0, receivers = 3)
            d.close()
            single.await() shouldBe "d closed"
            dup.await() shouldBe "d closed"
            c.queuedWaiters() shouldBe (0 to 0)
            d.queuedWaiters() shouldBe (0 to 0)
        }
    }
})

/** Runs [block] on [Dispatchers.Default] (real threads), bounded by a hang guard. */
private fun onThreads(timeoutSeconds: Int = 60, block: suspend CoroutineScope.() -> Unit) {
    runBlocking(Dispatchers.Default) {
        withTimeout(timeoutSeconds.seconds) { coroutineScope(block) }
    }
}

/**
 * Waits until exactly [senders] senders and [receivers] receivers are queued on [ch]: the
 * exact replacement for Go's "sleep until the goroutine has blocked". Bounded by the caller's
 * `withTimeout`.
 */
private suspend fun awaitQueued(ch: Chan<*>, senders: Int, receivers: Int) {
    while (ch.queuedWaiters() != (senders to receivers)) yield()
}

private fun unreachable(message: String): Nothing = throw AssertionError(message)

/**
 * The start of a race between a launched coroutine and its launcher, so that both sides run at
 * the same moment on two threads (a coroutine merely launched would nearly always start after
 * the launcher's next few steps, and the race would go one way only); the launcher then holds
 * back by its [RaceBalance].
 */
private class StartLine {
    private val arrived = AtomicBoolean()
    private val released = AtomicBoolean()

    /** The launched side: says it runs, then spins until [release] (10 ms at most, so it cannot hang). */
    fun arrive() {
        arrived.set(true)
        val deadline = System.nanoTime() + 10_000_000
        while (!released.get() && System.nanoTime() < deadline) Thread.onSpinWait()
    }

    /** The launcher: waits (yielding, bounded by the test's timeout) until the other side runs, then lets it go. */
    suspend fun release() {
        while (!arrived.get()) yield()
        released.set(true)
    }
}

