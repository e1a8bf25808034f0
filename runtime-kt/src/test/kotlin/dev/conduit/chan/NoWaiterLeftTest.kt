package dev.conduit.chan

import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.Selection
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import dev.conduit.stressRun
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeIn
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * After every way a waiter stops waiting — its coroutine cancelled, its thread interrupted, its
 * timeout passed, its context done, its channel closed, its select decided by another case,
 * its future cancelled — the core's queues hold nothing of it ([queuedWaiters]: senders and
 * receivers still queued), on every channel a select waited on, including selects with several
 * cases on one channel. A withdrawn waiter also took or gave nothing: what is sent afterwards
 * stays in the channel.
 *
 * The last group races each withdrawal against a claim (many rounds, real threads) and checks
 * the same, plus that the value went exactly one way; the select races are also explored by
 * Lincheck's model checker in [NoWaiterLeftLincheckTest].
 */
class NoWaiterLeftTest : FunSpec({
    val raceRounds = if (stressRun) 20_000 else 1_000

    // ---- coroutine cancellation ----------------------------------------------------------

    for (capacity in listOf(0, 1)) {
        test("a cancelled receive leaves no waiter and takes nothing (cap=$capacity)") {
            onDefault {
                val ch = Chan<Int>(capacity)
                val job = launch { ch.receive() }
                awaitQueued(ch, 0, 1)
                job.cancelAndJoinBounded()
                ch.queuedWaiters() shouldBe (0 to 0)
                if (capacity == 0) {
                    withClue("no receiver may be left to take an unbuffered trySend") { ch.trySend(1) shouldBe false }
                } else {
                    withClue("the cancelled receive must not hold the buffer slot") { ch.trySend(1) shouldBe true }
                    ch.tryReceive() shouldBe Received.of(1)
                }
            }
        }

        test("a cancelled send leaves no waiter and sends nothing (cap=$capacity)") {
            onDefault {
                val ch = Chan<Int>(capacity)
                repeat(capacity) { ch.send(100 + it) }
                val job = launch { ch.send(1) }
                awaitQueued(ch, 1, 0)
                job.cancelAndJoinBounded()
                ch.queuedWaiters() shouldBe (0 to 0)
                repeat(capacity) { ch.tryReceive() shouldBe Received.of(100 + it) }
                ch.tryReceive() shouldBe null
            }
        }
    }

    test("a cancelled select leaves no entry on any of its channels, with two cases on one channel") {
        onDefault {
            val a = Chan<Int>()
            val b = Chan<Int>()
            val job = launch {
                select<Unit> {
                    a.onReceive { }
                    a.onSend(1) { }
                    b.onSend(2) { }
                    b.onReceiveOk { }
                }
            }
            awaitQueued(a, 1, 1)
            awaitQueued(b, 1, 1)
            job.cancelAndJoinBounded()
            a.queuedWaiters() shouldBe (0 to 0)
            b.queuedWaiters() shouldBe (0 to 0)
            withClue("no receiver may be left on a") { a.trySend(3) shouldBe false }
            b.tryReceive() shouldBe null
        }
    }

    // ---- thread interruption -------------------------------------------------------------

    test("an interrupted blocked receive leaves no waiter and takes nothing") {
        val ch = Chan<Int>()
        val blocked = Blocked("receiver") { (ch as ChannelSource).receiveBlocking(Long.MAX_VALUE, null) }
        awaitQueued(ch, 0, 1)
        blocked.thread.interrupt()
        blocked.result().shouldBeInstanceOf<InterruptedException>()
        ch.queuedWaiters() shouldBe (0 to 0)
        withClue("no receiver may be left to take an unbuffered trySend") { ch.trySend(1) shouldBe false }
    }

    test("an interrupted blocked send leaves no waiter and sends nothing") {
        val ch = Chan<Int>(1)
        withClue("filling the one slot") { ch.trySend(100) shouldBe true }
        val blocked = Blocked("sender") { (ch as ChannelSource).sendBlocking(1, Long.MAX_VALUE, null) }
        awaitQueued(ch, 1, 0)
        blocked.thread.interrupt()
        blocked.result().shouldBeInstanceOf<InterruptedException>()
        ch.queuedWaiters() shouldBe (0 to 0)
        ch.tryReceive() shouldBe Received.of(100)
        ch.tryReceive() shouldBe null
    }

    test("an interrupted blocked select leaves no entry on any of its channels") {
        val a = Chan<Int>()
        val b = Chan<Int>()
        val blocked = Blocked("select") {
            Selection().apply {
                receive(a)
                send(a, 1)
                receive(b)
                receive(b)
            }.selectBlocking(false, Long.MAX_VALUE, null)
        }
        awaitQueued(a, 1, 1)
        awaitQueued(b, 0, 2)
        blocked.thread.interrupt()
        blocked.result().shouldBeInstanceOf<InterruptedException>()
        a.queuedWaiters() shouldBe (0 to 0)
        b.queuedWaiters() shouldBe (0 to 0)
    }

    // ---- timeouts ------------------------------------------------------------------------

    test("a blocked receive and send that time out leave no waiter") {
        val ch = Chan<Int>()
        val src = ch as ChannelSource
        src.receiveBlocking(1_000_000, null) shouldBe Poll.NOT_READY
        ch.queuedWaiters() shouldBe (0 to 0)
        src.sendBlocking(1, 1_000_000, null) shouldBe Poll.NOT_READY
        ch.queuedWaiters() shouldBe (0 to 0)
        ch.tryReceive() shouldBe null
    }

    test("a coroutine receive with a timeout that passes leaves no waiter") {
        runTest {
            val ch = Chan<Int>()
            (ch as ChannelSource).suspending(false, null, null, 1_000_000) shouldBe Poll.NOT_READY
            ch.queuedWaiters() shouldBe (0 to 0)
        }
    }

    test("a select whose onTimeout fires leaves no entry on any of its channels") {
        runTest {
            val a = Chan<Int>()
            val b = Chan<Int>(1)
            withClue("filling b's one slot") { b.trySend(0) shouldBe true }
            select<String> {
                a.onReceive { "a" }
                a.onSend(1) { "a <-" }
                b.onSend(2) { "b <-" }
                onTimeout(1.milliseconds) { "timeout" }
            } shouldBe "timeout"
            a.queuedWaiters() shouldBe (0 to 0)
            b.queuedWaiters() shouldBe (0 to 0)
            b.tryReceive() shouldBe Received.of(0)
        }
    }

    test("a blocked select and a future select that time out leave no entry") {
        val a = Chan<Int>()
        val b = Chan<Int>()
        Selection().apply {
            receive(a)
            send(b, 1)
            receive(b)
        }.selectBlocking(false, 1_000_000, null) shouldBe Selection.TIMED_OUT
        a.queuedWaiters() shouldBe (0 to 0)
        b.queuedWaiters() shouldBe (0 to 0)
        Selection().apply {
            send(a, 1)
            receive(a)
            receive(b)
        }.selectFuture(false, 1_000_000) { it }.get(10, TimeUnit.SECONDS) shouldBe Selection.TIMED_OUT
        a.queuedWaiters() shouldBe (0 to 0)
        b.queuedWaiters() shouldBe (0 to 0)
    }

    // ---- context done --------------------------------------------------------------------

    test("a blocked receive and a blocked select whose context is cancelled leave no waiter") {
        val a = Chan<Int>()
        val b = Chan<Int>()
        val ctx = Context.background().withCancel()
        val receiver = Blocked("receiver") { (a as ChannelSource).receiveBlocking(Long.MAX_VALUE, ctx) }
        val selector = Blocked("select") {
            Selection().apply {
                receive(a)
                send(b, 1)
            }.selectBlocking(false, Long.MAX_VALUE, ctx)
        }
        awaitQueued(a, 0, 2)
        awaitQueued(b, 1, 0)
        ctx.cancel()
        receiver.result().shouldBeInstanceOf<ContextCanceledException>()
        selector.result().shouldBeInstanceOf<ContextCanceledException>()
        a.queuedWaiters() shouldBe (0 to 0)
        b.queuedWaiters() shouldBe (0 to 0)
        withClue("no receiver may be left on a") { a.trySend(1) shouldBe false }
    }

    test("a suspended coroutine and a future whose context is cancelled leave no waiter") {
        onDefault {
            val ch = Chan<Int>(1)
            ch.send(100)
            val src = ch as ChannelSource
            val ctx = Context.background().withCancel()
            val sender = async { runCatching { src.suspending(true, 1, ctx) } }
            val future = src.future(true, 2, ctx) { it }
            awaitQueued(ch, 2, 0)
            ctx.cancel()
            withTimeout(10.seconds) { sender.await() }.exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            futureFailure(future).shouldBeInstanceOf<ContextCanceledException>()
            ch.queuedWaiters() shouldBe (0 to 0)
            ch.tryReceive() shouldBe Received.of(100)
            ch.tryReceive() shouldBe null
        }
    }

    test("an operation on a context that is already done fails without queueing") {
        val ch = Chan<Int>()
        val src = ch as ChannelSource
        val ctx = Context.background().withCancel().also { it.cancel() }
        runCatching { src.receiveBlocking(Long.MAX_VALUE, ctx) }.exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
        futureFailure(src.future(false, null, ctx) { it }).shouldBeInstanceOf<ContextCanceledException>()
        ch.queuedWaiters() shouldBe (0 to 0)
    }

    // ---- close ---------------------------------------------------------------------------

    test("close wakes every kind of waiting receiver, single and select, and leaves no entry anywhere") {
        onDefault {
            val a = Chan<Int>()
            val b = Chan<Int>()
            val c = Chan<Int>()
            val coroutine = async { a.receiveOk() }
            val coroutineSelect = async {
                select<String> {
                    a.onReceiveOk { "a: $it" }
                    b.onReceiveOk { "b: $it" }
                }
            }
            val thread = Blocked("receiver") { (a as ChannelSource).receiveBlocking(Long.MAX_VALUE, null) }
            val threadSelect = Blocked("select") {
                Selection().run {
                    receive(a)
                    receive(b)
                    selectBlocking(false, Long.MAX_VALUE, null)
                    chosen to result
                }
            }
            val future = (a as ChannelSource).receiveFuture { it }
            val futureSelect = Selection().run {
                receive(a)
                send(c, 9)
                selectFuture(false, Long.MAX_VALUE) { it to result }
            }
            awaitQueued(a, 0, 6)
            awaitQueued(b, 0, 2)
            awaitQueued(c, 1, 0)
            a.close()
            withTimeout(10.seconds) { coroutine.await() } shouldBe Received.closed()
            c.tryReceive() shouldBe null
            withTimeout(10.seconds) { coroutineSelect.await() } shouldBe "a: Received(closed)"
            thread.result() shouldBe Poll.CLOSED
            threadSelect.result() shouldBe (0 to Poll.CLOSED)
            future.get(10, TimeUnit.SECONDS) shouldBe Poll.CLOSED
            futureSelect.get(10, TimeUnit.SECONDS) shouldBe (0 to Poll.CLOSED)
            a.queuedWaiters() shouldBe (0 to 0)
            b.queuedWaiters() shouldBe (0 to 0)
            c.queuedWaiters() shouldBe (0 to 0)
        }
    }

    test("close fails every kind of waiting sender, single and select, keeps the buffered value, and leaves no entry anywhere") {
        onDefault {
            val a = Chan<Int>(1)
            val b = Chan<Int>()
            val c = Chan<Int>()
            a.send(100)
            val coroutine = async { runCatching { a.send(1) } }
            val coroutineSelect = async {
                runCatching {
                    select<String> {
                        a.onSend(2) { "a <- 2" }
                        b.onReceive { "b: $it" }
                    }
                }
            }
            val thread = Blocked("sender") { (a as ChannelSource).sendBlocking(3, Long.MAX_VALUE, null) }
            val threadSelect = Blocked("select") {
                Selection().run {
                    send(a, 4)
                    receive(b)
                    selectBlocking(false, Long.MAX_VALUE, null)
                    chosen to result
                }
            }
            val future = (a as ChannelSource).sendFuture(5) { it }
            val futureSelect = Selection().run {
                send(a, 6)
                send(c, 7)
                selectFuture(false, Long.MAX_VALUE) { it to result }
            }
            awaitQueued(a, 6, 0)
            awaitQueued(b, 0, 2)
            awaitQueued(c, 1, 0)
            a.close()
            withTimeout(10.seconds) { coroutine.await() }.exceptionOrNull().shouldBeInstanceOf<ClosedChannelException>()
            withTimeout(10.seconds) { coroutineSelect.await() }.exceptionOrNull().shouldBeInstanceOf<ClosedChannelException>()
            thread.result() shouldBe Poll.CLOSED
            threadSelect.result() shouldBe (0 to Poll.CLOSED)
            future.get(10, TimeUnit.SECONDS) shouldBe Poll.CLOSED
            futureSelect.get(10, TimeUnit.SECONDS) shouldBe (0 to Poll.CLOSED)
            a.queuedWaiters() shouldBe (0 to 0)
            b.queuedWaiters() shouldBe (0 to 0)
            c.queuedWaiters() shouldBe (0 to 0)
            c.tryReceive() shouldBe null
            a.tryReceive() shouldBe Received.of(100)
            a.tryReceive() shouldBe Received.closed()
        }
    }

    // ---- a select decided by another case ------------------------------------------------

    test("a coroutine select that chose another case leaves no entry on the others, with two cases on one channel") {
        onDefault {
            val a = Chan<Int>()
            val b = Chan<Int>()
            val chosen = async {
                select<String> {
                    a.onReceive { "a: $it" }
                    a.onSend(1) { "a <- 1" }
                    b.onReceive { "b: $it" }
                }
            }
            awaitQueued(a, 1, 1)
            awaitQueued(b, 0, 1)
            withClue("the waiting select's receive on b must take a trySend") { b.trySend(5) shouldBe true }
            withTimeout(10.seconds) { chosen.await() } shouldBe "b: 5"
            a.queuedWaiters() shouldBe (0 to 0)
            b.queuedWaiters() shouldBe (0 to 0)
            withClue("the decided select's receive on a must be gone") { a.trySend(2) shouldBe false }
            a.tryReceive() shouldBe null
        }
    }

    test("a select with the same receive case twice leaves neither entry once one is chosen") {
        onDefault {
            val a = Chan<Int>()
            val chosen = async {
                select<String> {
                    a.onReceive { "first: $it" }
                    a.onReceive { "second: $it" }
                }
            }
            awaitQueued(a, 0, 2)
            withClue("one of the select's two receives on a must take a trySend") { a.trySend(5) shouldBe true }
            withTimeout(10.seconds) { chosen.await() } shouldBeIn setOf("first: 5", "second: 5")
            a.queuedWaiters() shouldBe (0 to 0)
            withClue("the other receive of the decided select must be gone") { a.trySend(6) shouldBe false }
        }
    }

    test("a blocked select and a future select that chose another case leave no entry on the others") {
        val a = Chan<Int>()
        val b = Chan<Int>()
        val threadSelect = Blocked("select") {
            Selection().run {
                receive(a)
                send(a, 1)
                receive(b)
                selectBlocking(false, Long.MAX_VALUE, null)
                chosen to result
            }
        }
        awaitQueued(a, 1, 1)
        awaitQueued(b, 0, 1)
        withClue("the blocked select's receive on b must take a trySend") { b.trySend(5) shouldBe true }
        threadSelect.result() shouldBe (2 to 5)
        a.queuedWaiters() shouldBe (0 to 0)
        b.queuedWaiters() shouldBe (0 to 0)

        val futureSelect = Selection().run {
            receive(a)
            send(b, 7)
            send(a, 8)
            selectFuture(false, Long.MAX_VALUE) { it to result }
        }
        awaitQueued(a, 1, 1)
        awaitQueued(b, 1, 0)
        b.tryReceive() shouldBe Received.of(7)
        futureSelect.get(10, TimeUnit.SECONDS) shouldBe (1 to Poll.SENT)
        a.queuedWaiters() shouldBe (0 to 0)
        b.queuedWaiters() shouldBe (0 to 0)
    }

    test("two waiting selects that complete each other leave no entry on either channel") {
        onDefault {
            // y polls its two ready cases in random order, so 64 rounds take each pairing
            // (each is missed with probability 2^-64) and both kinds of withdrawal are checked.
            val pairings = HashMap<Pair<String, String>, Int>()
            repeat(64) { round ->
                val a = Chan<Int>()
                val b = Chan<Int>()
                // x waits on both channels; y then finds one of x's entries ready and takes it.
                val x = async {
                    select<String> {
                        a.onSend(1) { "x: a <- 1" }
                        b.onReceive { "x: b: $it" }
                    }
                }
                awaitQueued(a, 1, 0)
                awaitQueued(b, 0, 1)
                val y = select<String> {
                    a.onReceive { "y: a: $it" }
                    b.onSend(2) { "y: b <- 2" }
                }
                val xr = withTimeout(10.seconds) { x.await() }
                pairings.merge(xr to y, 1, Int::plus)
                withClue("round $round") {
                    (xr to y) shouldBeIn listOf("x: a <- 1" to "y: a: 1", "x: b: 2" to "y: b <- 2")
                    a.queuedWaiters() shouldBe (0 to 0)
                    b.queuedWaiters() shouldBe (0 to 0)
                }
            }
            withClue("pairings seen over 64 rounds: $pairings") { pairings.size shouldBe 2 }
        }
    }

    // ---- coroutines resumed inline ------------------------------------------------------

    test("an Unconfined coroutine receive and select, resumed inline by a blocked sender and a blocked select, leave no entry") {
        val a = Chan<Int>()
        val b = Chan<Int>()
        val scope = CoroutineScope(Dispatchers.Unconfined + Job())
        try {
            val single = CompletableFuture<Int>()
            scope.launch { single.complete(a.receive()) }
            awaitQueued(a, 0, 1)
            Blocked("sender") { (a as ChannelSource).sendBlocking(5, Long.MAX_VALUE, null) }.result() shouldBe Poll.SENT
            single.get(10, TimeUnit.SECONDS) shouldBe 5
            a.queuedWaiters() shouldBe (0 to 0)

            val selected = CompletableFuture<String>()
            scope.launch {
                selected.complete(
                    select {
                        a.onReceive { "a: $it" }
                        b.onReceive { "b: $it" }
                        a.onSend(6) { "a <- 6" }
                    },
                )
            }
            awaitQueued(a, 1, 1)
            awaitQueued(b, 0, 1)
            // A select on another thread, holding both channels' locks while it completes ours.
            Blocked("select") {
                Selection().run {
                    send(b, 7)
                    selectBlocking(false, Long.MAX_VALUE, null)
                }
            }.result() shouldBe 0
            selected.get(10, TimeUnit.SECONDS) shouldBe "b: 7"
            a.queuedWaiters() shouldBe (0 to 0)
            b.queuedWaiters() shouldBe (0 to 0)
        } finally {
            scope.coroutineContext[Job]!!.cancel()
        }
    }

    // ---- futures ------------------------------------------------------------------------

    test("a cancelled receive future leaves no waiter, and a value sent afterwards stays in the channel") {
        onDefault {
            val buffered = Chan<Int>(1)
            val f = (buffered as ChannelSource).receiveFuture { it }
            awaitQueued(buffered, 0, 1)
            withClue("cancelling a pending receive future must succeed") { f.cancel(true) shouldBe true }
            buffered.queuedWaiters() shouldBe (0 to 0)
            withClue("the cancelled future must not hold the buffer slot") { buffered.trySend(5) shouldBe true }
            buffered.len shouldBe 1
            buffered.tryReceive() shouldBe Received.of(5)

            val unbuffered = Chan<Int>()
            val g = (unbuffered as ChannelSource).receiveFuture { it }
            awaitQueued(unbuffered, 0, 1)
            withClue("cancelling a pending receive future must succeed") { g.cancel(true) shouldBe true }
            unbuffered.queuedWaiters() shouldBe (0 to 0)
            withClue("no receiver may be left to take an unbuffered trySend") { unbuffered.trySend(6) shouldBe false }
            val sender = launch { unbuffered.send(7) }
            awaitQueued(unbuffered, 1, 0)
            unbuffered.tryReceive() shouldBe Received.of(7)
            withTimeout(10.seconds) { sender.join() }
            unbuffered.queuedWaiters() shouldBe (0 to 0)
        }
    }

    test("a cancelled send future and a cancelled select future leave no entry and send nothing") {
        val a = Chan<Int>()
        val b = Chan<Int>()
        val f = (a as ChannelSource).sendFuture(1) { it }
        awaitQueued(a, 1, 0)
        withClue("cancelling a pending send future must succeed") { f.cancel(true) shouldBe true }
        a.queuedWaiters() shouldBe (0 to 0)
        a.tryReceive() shouldBe null

        val s = Selection().run {
            send(a, 2)
            receive(a)
            receive(b)
            selectFuture(false, Long.MAX_VALUE) { it }
        }
        awaitQueued(a, 1, 1)
        awaitQueued(b, 0, 1)
        withClue("cancelling a pending select future must succeed") { s.cancel(true) shouldBe true }
        a.queuedWaiters() shouldBe (0 to 0)
        b.queuedWaiters() shouldBe (0 to 0)
        a.tryReceive() shouldBe null
        withClue("no receiver may be left on b") { b.trySend(3) shouldBe false }
    }

    // ---- withdrawals racing claims ------------------------------------------------------

    test("a coroutine select cancelled while a sender completes one case: the value goes one way, no entry is left") {
        val crashes = ConcurrentLinkedQueue<Throwable>()
        val scope = CoroutineScope(Dispatchers.Default + Job() + CoroutineExceptionHandler { _, e -> crashes.add(e) })
        try {
            val race = RaceBalance("trySend against the withdrawal")
            repeat(raceRounds) { i ->
                val a = Chan<Int>()
                val b = Chan<Int>()
                val got = AtomicReference<Any?>()
                val job = scope.launch {
                    got.set(
                        select<Int> {
                            a.onReceive { it }
                            b.onReceive { -it }
                        },
                    )
                }
                awaitQueued(a, 0, 1)
                awaitQueued(b, 0, 1)
                val sender = Racer("sender") { a.trySend(i + 1) }
                sender.release()
                race.hold()
                job.cancel()
                val sent = sender.result() as Boolean
                joinBounded(job)
                race.record(releasedSideWon = sent)
                withClue("round $i: trySend=$sent, select got ${got.get()}, queued a=${a.queuedWaiters()} b=${b.queuedWaiters()}") {
                    crashes.toList() shouldBe emptyList() // the coroutine ended by its value or by its cancellation
                    got.get() shouldBe (if (sent) i + 1 else null)
                    a.queuedWaiters() shouldBe (0 to 0)
                    b.queuedWaiters() shouldBe (0 to 0)
                }
            }
            race.requireBothWon()
        } finally {
            scope.coroutineContext[Job]!!.cancel()
        }
    }

    test("a coroutine receive cancelled while a sender completes it: the value goes one way, no waiter is left") {
        val crashes = ConcurrentLinkedQueue<Throwable>()
        val scope = CoroutineScope(Dispatchers.Default + Job() + CoroutineExceptionHandler { _, e -> crashes.add(e) })
        try {
            val race = RaceBalance("trySend against the withdrawal")
            repeat(raceRounds) { i ->
                val a = Chan<Int>()
                val got = AtomicReference<Any?>()
                val job = scope.launch { got.set(a.receive()) }
                awaitQueued(a, 0, 1)
                val sender = Racer("sender") { a.trySend(i + 1) }
                sender.release()
                race.hold()
                job.cancel()
                val sent = sender.result() as Boolean
                joinBounded(job)
                race.record(releasedSideWon = sent)
                withClue("round $i: trySend=$sent, receive got ${got.get()}, queued ${a.queuedWaiters()}") {
                    crashes.toList() shouldBe emptyList() // the coroutine ended by its value or by its cancellation
                    got.get() shouldBe (if (sent) i + 1 else null)
                    a.queuedWaiters() shouldBe (0 to 0)
                }
            }
            race.requireBothWon()
        } finally {
            scope.coroutineContext[Job]!!.cancel()
        }
    }

    test("a blocked select interrupted while a sender completes one case: the value goes one way, no entry is left") {
        val race = RaceBalance("trySend against the withdrawal")
        repeat(raceRounds) { i ->
            val a = Chan<Int>()
            val b = Chan<Int>()
            val selector = Blocked("select") {
                Selection().run {
                    receive(a)
                    receive(b)
                    selectBlocking(false, Long.MAX_VALUE, null)
                    // The interrupt may also land after the select returned: the flag says nothing here.
                    Thread.interrupted()
                    result
                }
            }
            awaitQueued(a, 0, 1)
            awaitQueued(b, 0, 1)
            val sender = Racer("sender") { a.trySend(i + 1) }
            sender.release()
            race.hold()
            selector.thread.interrupt()
            val sent = sender.result() as Boolean
            val outcome = selector.result()
            race.record(releasedSideWon = sent)
            withClue("round $i: trySend=$sent, select ended with $outcome, queued a=${a.queuedWaiters()} b=${b.queuedWaiters()}") {
                if (sent) outcome shouldBe (i + 1) else outcome.shouldBeInstanceOf<InterruptedException>()
                a.queuedWaiters() shouldBe (0 to 0)
                b.queuedWaiters() shouldBe (0 to 0)
            }
        }
        race.requireBothWon()
    }

    test("a select future cancelled while a sender completes one case: the value goes one way, no entry is left") {
        val race = RaceBalance("trySend against the withdrawal")
        repeat(raceRounds) { i ->
            val a = Chan<Int>()
            val b = Chan<Int>()
            val s = Selection()
            s.receive(b)
            s.receive(a)
            val f = s.selectFuture(false, Long.MAX_VALUE) { s.result }
            val sender = Racer("sender") { a.trySend(i + 1) }
            sender.release()
            race.hold()
            val cancelled = f.cancel(true)
            val sent = sender.result() as Boolean
            race.record(releasedSideWon = sent)
            withClue("round $i: trySend=$sent, cancel=$cancelled, queued a=${a.queuedWaiters()} b=${b.queuedWaiters()}") {
                cancelled shouldBe !sent
                if (sent) f.get(10, TimeUnit.SECONDS) shouldBe (i + 1)
                a.queuedWaiters() shouldBe (0 to 0)
                b.queuedWaiters() shouldBe (0 to 0)
            }
        }
        race.requireBothWon()
    }

    test("a blocked receive whose context is cancelled while a sender completes it: the value goes one way, no waiter is left") {
        val race = RaceBalance("trySend against the withdrawal")
        repeat(raceRounds) { i ->
            val a = Chan<Int>()
            val ctx: CancelContext = Context.background().withCancel()
            val receiver = Blocked("receiver") { (a as ChannelSource).receiveBlocking(Long.MAX_VALUE, ctx) }
            awaitQueued(a, 0, 1)
            val sender = Racer("sender") { a.trySend(i + 1) }
            sender.release()
            race.hold()
            ctx.cancel()
            val sent = sender.result() as Boolean
            val outcome = receiver.result()
            race.record(releasedSideWon = sent)
            withClue("round $i: trySend=$sent, receive ended with $outcome, queued ${a.queuedWaiters()}") {
                if (sent) outcome shouldBe (i + 1) else outcome.shouldBeInstanceOf<ContextCanceledException>()
                a.queuedWaiters() shouldBe (0 to 0)
            }
        }
        race.requireBothWon()
    }
})

/**
 * A thread that runs [body] the moment [release] is called. It spins until then rather than
 * parking, so [body] starts within a few hundred nanoseconds of [release] and races what the
 * caller does next (a parked thread takes tens of microseconds to wake, and the caller's
 * withdrawal would nearly always win); the caller then holds back by its [RaceBalance].
 */
private class Racer(name: String, body: () -> Any?) {
    private val spinning = CountDownLatch(1)
    private val go = java.util.concurrent.atomic.AtomicBoolean()
    private val thread = Blocked(name) {
        spinning.countDown()
        while (!go.get()) Thread.onSpinWait()
        body()
    }

    /** Waits (bounded) until the thread spins, then lets it run [body]. */
    fun release() {
        check(spinning.await(10, TimeUnit.SECONDS)) { "the racing thread did not start" }
        go.set(true)
    }

    fun result(): Any? = thread.result()
}

/** A thread running [body]; [result] is what it returned or threw. */
private class Blocked(name: String, body: () -> Any?) {
    private val outcome = CompletableFuture<Any?>()
    val thread: Thread = Thread({
        try {
            outcome.complete(body())
        } catch (e: Throwable) {
            outcome.complete(e)
        }
    }, "no-waiter-left-$name").apply {
        isDaemon = true
        start()
    }

    fun result(): Any? = outcome.get(10, TimeUnit.SECONDS)
}

private fun onDefault(block: suspend CoroutineScope.() -> Unit) = runBlocking(Dispatchers.Default) {
    withTimeout(30.seconds) { block() }
}

/** Waits (bounded, no sleeping) until [ch] has exactly these many queued senders and receivers. */
private fun awaitQueued(ch: Chan<*>, senders: Int, receivers: Int) {
    val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
    while (ch.queuedWaiters() != (senders to receivers)) {
        check(System.nanoTime() < deadline) { "expected $senders senders and $receivers receivers queued, found ${ch.queuedWaiters()}" }
        Thread.yield()
    }
}

private suspend fun Job.cancelAndJoinBounded() {
    cancel()
    withTimeout(10.seconds) { join() }
}

private fun joinBounded(job: Job) = runBlocking { withTimeout(10.seconds) { job.join() } }

private fun futureFailure(f: CompletableFuture<*>): Throwable? =
    try {
        f.get(10, TimeUnit.SECONDS)
        null
    } catch (e: ExecutionException) {
        e.cause
    } catch (e: java.util.concurrent.CancellationException) {
        // JDK 23+ throws a new CancellationException whose cause is the future's own one.
        (e.cause as? java.util.concurrent.CancellationException) ?: e
    }
