package dev.conduit.chan

import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.stressRun
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.isActive
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicIntegerArray
import kotlin.random.Random
import kotlin.time.Duration.Companion.nanoseconds

/**
 * One channel, and senders and receivers that are a mix of coroutines (on
 * `Dispatchers.Default`, suspending in the core) and platform threads (parked in the core through
 * [ChannelSource.sendBlocking] and [ChannelSource.receiveBlocking]), so coroutine and thread
 * waiters sit in the same queues and hand values to each other. Coroutine operations are
 * cancelled at random moments (before they start, while suspended, as they complete), threads
 * are interrupted at random moments, and the channel is closed part-way.
 *
 * Every value is accounted for: each sender records exactly one outcome per value (sent,
 * rejected by the close, or withdrawn by a cancellation or interruption); then each value a
 * sender saw sent is received exactly once and no other value is received at all. Each
 * receiver also sees each sender's values in the order they were sent (the channel is FIFO).
 * At the end no waiter is left in the channel's queues and the channel is closed and drained.
 */
class MixedWaitersStressTest : FunSpec({
    val rounds = if (stressRun) 200 else 30
    val perSender = if (stressRun) 4_000 else 1_000

    for (capacity in listOf(0, 1, 16)) {
        test("coroutines and threads on one channel lose and duplicate nothing under cancellation, interruption and close (cap=$capacity)") {
            val stats = Stats()
            // The point of the test: every racy path was taken. Which paths a round takes is up to
            // the scheduler, so after the planned rounds more run until each has been taken
            // (bounded: a path still missing after a minute fails the test below).
            var round = 0
            fun runRound() = MixedRound(capacity, perSender, Random.nextLong(), round++, stats).run()
            while (round < rounds) runRound()
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60)
            while (!stats.everyPathTaken() && System.nanoTime() < deadline) runRound()
            println("MixedWaitersStressTest cap=$capacity: $round rounds, $stats")
            withClue("over $round rounds: $stats") {
                stats.sent.get() shouldBeGreaterThan 0
                stats.rejected.get() shouldBeGreaterThan 0
                stats.withdrawnSends.get() shouldBeGreaterThan 0
                stats.abandonedReceives.get() shouldBeGreaterThan 0
            }
        }
    }
})

private class Stats {
    val sent = AtomicInteger()
    val rejected = AtomicInteger()
    val withdrawnSends = AtomicInteger()
    val abandonedReceives = AtomicInteger()
    val lateCompletions = AtomicInteger()

    /** Whether each racy outcome the test requires has happened at least once. */
    fun everyPathTaken(): Boolean =
        sent.get() > 0 && rejected.get() > 0 && withdrawnSends.get() > 0 && abandonedReceives.get() > 0

    override fun toString(): String =
        "sent=$sent rejected=$rejected withdrawnSends=$withdrawnSends abandonedReceives=$abandonedReceives " +
            "completedDespiteCancelOrInterrupt=$lateCompletions"
}

private class MixedRound(
    private val capacity: Int,
    private val perSender: Int,
    private val seed: Long,
    private val round: Int,
    private val stats: Stats,
) {
    private val ch = Chan<Int>(capacity)
    private val src = ch as ChannelSource

    /** Senders 0 and 1 are coroutines, 2 and 3 threads; receivers likewise. */
    private val senders = 4
    private val total = senders * perSender

    private val outcome = AtomicIntegerArray(total)
    private val received = AtomicIntegerArray(total)
    private val failures = ConcurrentLinkedQueue<String>()

    private val sentCount = AtomicInteger()
    private val closeAt = total / 3 + Random(seed).nextInt(total / 3)
    private val closeNow = CountDownLatch(1)

    /** Threads that asked to be interrupted "soon"; the chaos thread interrupts them in turn. */
    private val interruptRequests = LinkedBlockingQueue<Thread>()

    private fun record(v: Int, o: Int) {
        if (!outcome.compareAndSet(v, 0, o)) failures.add("value $v has two outcomes: ${outcome.get(v)} and $o")
        when (o) {
            SENT -> {
                stats.sent.incrementAndGet()
                if (sentCount.incrementAndGet() == closeAt) closeNow.countDown()
            }
            REJECTED -> stats.rejected.incrementAndGet()
            WITHDRAWN -> stats.withdrawnSends.incrementAndGet()
        }
    }

    private fun gotValue(receiver: String, v: Int, last: IntArray) {
        if (v < 0 || v >= total) {
            failures.add("$receiver received $v, never sent")
            return
        }
        received.incrementAndGet(v)
        val s = v / perSender
        if (v <= last[s]) failures.add("$receiver received $v after ${last[s]}, both from sender $s: out of order")
        last[s] = v
    }

    fun run() {
        // A coroutine that dies of anything unexpected is a failure of the round, not a log line.
        val recordCrash = CoroutineExceptionHandler { _, e ->
            failures.add("a coroutine failed: $e\n  " + e.stackTrace.joinToString("\n  "))
        }
        val scope = CoroutineScope(Dispatchers.Default + SupervisorJob() + recordCrash)
        val coroutines = mutableListOf<Job>()
        val threads = mutableListOf<Thread>()
        val sendersLeft = AtomicInteger(senders)
        // Close once a third to two thirds of the values are sent, or when every sender is done
        // (if cancellations and interruptions withdrew too many values to get there).
        val senderDone = { if (sendersLeft.decrementAndGet() == 0) closeNow.countDown() }
        for (s in 0 until 2) coroutines += scope.launch { try { coroutineSender(s) } finally { senderDone() } }
        for (r in 0 until 2) coroutines += scope.launch { coroutineReceiver(r) }
        for (s in 2 until 4) threads += worker("sender-$s") { try { threadSender(s) } finally { senderDone() } }
        for (r in 2 until 4) threads += worker("receiver-$r") { threadReceiver(r) }
        val chaos = worker("interrupter") {
            while (true) {
                val t = interruptRequests.take()
                if (t === STOP) break
                t.interrupt()
            }
        }
        val closer = worker("closer") {
            if (!closeNow.await(30, TimeUnit.SECONDS)) failures.add("the close was never due")
            ch.close()
        }
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        val coroutinesDone = runBlocking {
            withTimeoutOrNull((deadline - System.nanoTime()).nanoseconds) { coroutines.joinAll() } != null
        }
        for (t in threads + closer) t.join(maxOf(1L, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))
        val finished = coroutinesDone && (threads + closer).none { it.isAlive }
        interruptRequests.offer(STOP)
        chaos.join(10_000)
        if (!finished) {
            val dump = (threads + closer).filter { it.isAlive }.joinToString("\n") { t ->
                "${t.name} ${t.state}:\n  " + t.stackTrace.joinToString("\n  ")
            }
            val waiting = ch.queuedWaiters()
            scope.cancel()
            threads.forEach { it.interrupt() }
            throw AssertionError(
                "round $round (cap=$capacity, seed=$seed) hung: coroutines done=${coroutines.count { it.isCompleted }}/4, " +
                    "queued (senders, receivers)=$waiting, sent=${sentCount.get()}, closeAt=$closeAt\n$dump",
            )
        }
        scope.cancel()

        val problems = failures.toMutableList()
        for (v in 0 until total) {
            val o = outcome.get(v)
            val n = received.get(v)
            when {
                o == UNSET -> problems += "value $v has no sender outcome"
                o == SENT && n != 1 -> problems += "value $v was sent and received $n times"
                o != SENT && n != 0 -> problems += "value $v was ${if (o == REJECTED) "rejected by the close" else "withdrawn"} but received $n times"
            }
        }
        if (problems.isNotEmpty()) {
            throw AssertionError("round $round (cap=$capacity, seed=$seed): ${problems.size} problem(s):\n" + problems.take(30).joinToString("\n"))
        }
        ch.queuedWaiters() shouldBe (0 to 0)
        ch.tryReceive() shouldBe Received.closed()
    }

    private suspend fun coroutineSender(s: Int) = coroutineScope {
        val rnd = Random(seed + s)
        for (i in 0 until perSender) {
            val v = s * perSender + i
            // ATOMIC: the body runs even if cancelled before it starts, so every value gets
            // exactly one attempt (on a cancelled job, send may still complete on its fast path).
            val op = launch(start = CoroutineStart.ATOMIC) {
                try {
                    ch.send(v)
                    record(v, SENT)
                    if (!isActive) stats.lateCompletions.incrementAndGet()
                } catch (e: ClosedChannelException) {
                    record(v, REJECTED)
                } catch (e: CancellationException) {
                    record(v, WITHDRAWN)
                    throw e
                }
            }
            chaos(rnd, op)
            op.join()
        }
    }

    private suspend fun coroutineReceiver(r: Int) = coroutineScope {
        val rnd = Random(seed + 100 + r)
        val last = IntArray(senders) { -1 }
        var closed = false
        while (!closed) {
            val op = launch(start = CoroutineStart.ATOMIC) {
                try {
                    val got = ch.receiveOk()
                    if (got.ok) gotValue("coroutine receiver $r", got.value, last) else closed = true
                    if (!isActive) stats.lateCompletions.incrementAndGet()
                } catch (e: CancellationException) {
                    stats.abandonedReceives.incrementAndGet()
                    throw e
                }
            }
            chaos(rnd, op)
            op.join()
        }
    }

    /** Cancels [op] now, after a yield, or not at all. */
    private suspend fun chaos(rnd: Random, op: Job) {
        when (rnd.nextInt(10)) {
            0 -> op.cancel()
            1, 2 -> {
                yield()
                op.cancel()
            }
        }
    }

    private fun threadSender(s: Int) {
        val rnd = Random(seed + s)
        for (i in 0 until perSender) {
            val v = s * perSender + i
            if (rnd.nextInt(8) == 0) interruptRequests.offer(Thread.currentThread())
            try {
                when (val r = src.sendBlocking(v, Long.MAX_VALUE, null)) {
                    Poll.SENT -> {
                        record(v, SENT)
                        if (Thread.interrupted()) stats.lateCompletions.incrementAndGet()
                    }
                    Poll.CLOSED -> record(v, REJECTED)
                    else -> failures.add("sendBlocking($v) without a timeout returned $r")
                }
            } catch (e: InterruptedException) {
                record(v, WITHDRAWN)
            }
        }
        Thread.interrupted()
    }

    private fun threadReceiver(r: Int) {
        val rnd = Random(seed + 100 + r)
        val last = IntArray(senders) { -1 }
        while (true) {
            if (rnd.nextInt(8) == 0) interruptRequests.offer(Thread.currentThread())
            try {
                val got = src.receiveBlocking(Long.MAX_VALUE, null)
                if (got === Poll.CLOSED) break
                if (got === Poll.NOT_READY) {
                    failures.add("receiveBlocking without a timeout returned NOT_READY")
                    continue
                }
                gotValue("thread receiver $r", got as Int, last)
                if (Thread.interrupted()) stats.lateCompletions.incrementAndGet()
            } catch (e: InterruptedException) {
                stats.abandonedReceives.incrementAndGet()
            }
        }
        Thread.interrupted()
    }

    private fun worker(name: String, body: () -> Unit): Thread {
        val t = Thread({
            try {
                body()
            } catch (e: Throwable) {
                failures.add("$name failed: $e\n  " + e.stackTrace.joinToString("\n  "))
            }
        }, "mixed-$name-r$round")
        t.isDaemon = true
        t.start()
        return t
    }

    private companion object {
        const val UNSET = 0
        const val SENT = 1
        const val REJECTED = 2
        const val WITHDRAWN = 3

        /** The interrupter's stop signal (never started). */
        val STOP = Thread()
    }
}
