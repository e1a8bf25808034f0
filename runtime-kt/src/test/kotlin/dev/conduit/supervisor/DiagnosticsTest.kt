package dev.conduit.supervisor

import com.fasterxml.jackson.databind.ObjectMapper
import dev.conduit.chan.BatchChannel
import dev.conduit.chan.Chan
import dev.conduit.chan.SpscChan
import dev.conduit.chan.Ticker
import dev.conduit.chan.select
import dev.conduit.context.Context
import dev.conduit.chan.spi.BlockedWaits
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.go
import dev.conduit.sync.Barrier
import dev.conduit.sync.Cond
import dev.conduit.sync.Mutex
import dev.conduit.sync.RWMutex
import dev.conduit.sync.Semaphore
import dev.conduit.sync.WaitGroup
import io.kotest.assertions.withClue
import dev.conduit.testing.ExpectedDeadlock
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.withTimeout as kotlinxTimeout
import java.time.Duration
import java.util.concurrent.ArrayBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/** What [Diagnostics] sees: this suite's JVMs run with `-Dconduit.diagnostics=true` (see the pom). */
class DiagnosticsTest : FunSpec(spec@{
    val confirm = Duration.ofMillis(150)

    /** Waits, within a bound, until the goroutines named [names] are blocked in Conduit on what starts with [on] (polled in the dump). */
    fun awaitBlocked(names: Collection<String>, on: String = "") {
        awaitUntil {
            Diagnostics.dump().goroutines.filter { it.state == GoroutineState.BLOCKED && it.blockedOn?.startsWith(on) == true }.map { it.name }.containsAll(names)
        }
    }

    /**
     * "All asleep" needs the whole JVM stuck: a Conduit timer an earlier test left pending (an
     * `after` of a few seconds) would rightly stop the report. Waits, bounded, for those to fire;
     * one that never does (a ticker never stopped) is a leak of that test, named here.
     */
    fun awaitNoPendingTimers() {
        val deadline = System.nanoTime() + 30_000_000_000L
        while (BlockedWaits.timersPending > 0) {
            check(System.nanoTime() < deadline) { "${BlockedWaits.timersPending} Conduit timer(s) still pending after 30 s: an earlier test leaked one" }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L)
        }
    }

    test("detection is on in this suite's JVMs") {
        withClue("run with -Dconduit.diagnostics=true, as the pom does") { Diagnostics.isEnabled shouldBe true }
    }
    // Without detection nothing below could see a wait, and its programs would stay stuck.
    if (!Diagnostics.isEnabled) return@spec

    test("two goroutines each waiting to receive from the other: all goroutines are asleep, each named with what it waits on and where it started") {
        val m = GoroutineManager(Context.background(), 4, name = "pair")
        val ping = Chan<Int>()
        val pong = Chan<Int>()
        m.go("ping", mapOf("side" to "left")) { _ -> ping.receiveOk() }
        m.go("pong") { _ -> pong.receiveOk() }
        awaitBlocked(listOf("ping", "pong"))
        awaitNoPendingTimers()

        val reports = Diagnostics.findDeadlocks(confirm)
        val asleep = reports.single { it.kind == DeadlockKind.ALL_ASLEEP }
        asleep.goroutines.map { it.name } shouldContainExactlyInAnyOrder listOf("ping", "pong")
        val p = asleep.goroutines.single { it.name == "ping" }
        p.state shouldBe GoroutineState.BLOCKED
        p.blockedOn!! shouldStartWith "receive from Chan@"
        p.blockedOn!! shouldContain "(cap 0)"
        p.labels shouldBe mapOf("side" to "left")
        p.owner shouldBe "pair"
        p.since shouldNotBe null
        withClue(p.creationSite) { p.creationSite.any { it.className.startsWith(DiagnosticsTest::class.qualifiedName!!) } shouldBe true }
        asleep.asleepFor shouldBe confirm
        asleep.toString() shouldContain "all goroutines are asleep - deadlock!"
        asleep.toString() shouldContain "goroutine ${p.id} \"ping\" [BLOCKED on receive from Chan@"

        ping.close()
        pong.close()
        m.wait()
    }

    test("a lock cycle: each goroutine holds the mutex the other waits for, reported with who holds what") {
        val m = GoroutineManager(Context.background(), 4, name = "locks")
        startLockCycle(m, Mutex("A"), Mutex("B"), "first", "second")
        awaitBlocked(listOf("first", "second"), on = "lock of")
        val cycle = Diagnostics.findDeadlocks(confirm).single { it.kind == DeadlockKind.LOCK_CYCLE }
        cycle.goroutines.map { it.name } shouldContainExactlyInAnyOrder listOf("first", "second")
        val first = cycle.goroutines.single { it.name == "first" }
        first.blockedOn shouldBe "lock of Mutex 'B'"
        val line = cycle.cycle.single { it.startsWith("goroutine ${first.id} ") }
        line shouldContain "holds Mutex 'A' and waits for Mutex 'B' (held by goroutine"
        cycle.toString() shouldContain "lock cycle - deadlock!"
        m.cancel()
        m.wait()
    }

    test("a mutex re-taken by Cond.await is its goroutine's: its re-lock wait is seen, and a lock cycle through the re-taken mutex is reported") {
        val a = Mutex("A")
        val b = Mutex("B")
        val signalled = Cond(a)
        var ready = false
        val aHeld = Chan<Unit>(1)
        val bHeld = Chan<Unit>(1)
        val m = GoroutineManager(Context.background(), 4, name = "cond")
        m.go("waiter") { _ ->
            a.lock()
            while (!ready) signalled.await() // returns holding A again
            aHeld.send(Unit)
            bHeld.receive()
            b.lock()
        }
        // The waiter waits on the Cond (A released) before anybody signals it.
        awaitBlocked(listOf("waiter"), on = "wait on Cond")
        m.go("signaller") { _ ->
            a.lock()
            ready = true
            signalled.signal()
            aHeld.send(Unit) // the waiter cannot re-take A yet: its re-lock wait shows
        }
        awaitBlocked(listOf("waiter"), on = "lock of")
        Diagnostics.dump().goroutines.single { it.name == "waiter" }.blockedOn shouldBe "lock of Mutex 'A'"
        aHeld.receive()
        m.go("other") { _ ->
            b.lock()
            a.unlock() // Go allows it: the signaller's lock handed on to the waiter
            bHeld.send(Unit)
            aHeld.receive()
            a.lock()
        }
        awaitBlocked(listOf("waiter"), on = "lock of Mutex 'B'")
        awaitBlocked(listOf("other"), on = "lock of Mutex 'A'")
        val cycle = Diagnostics.findDeadlocks(confirm).single { it.kind == DeadlockKind.LOCK_CYCLE }
        cycle.goroutines.map { it.name } shouldContainExactlyInAnyOrder listOf("waiter", "other")
        val waiter = cycle.goroutines.single { it.name == "waiter" }
        cycle.cycle.single { it.startsWith("goroutine ${waiter.id} ") } shouldContain "holds Mutex 'A' and waits for Mutex 'B'"
        m.cancel()
        m.wait()
    }

    /** Runs [stuck] as the only goroutine, waits until it blocks, and checks that no deadlock is reported; then [release]s it. */
    suspend fun noReportWhile(stuck: suspend () -> Unit, release: () -> Unit = {}) {
        val g = go { stuck() }
        awaitUntil { Diagnostics.dump().goroutines.any { it.state == GoroutineState.BLOCKED } }
        Diagnostics.findDeadlocks(confirm).shouldBeEmpty()
        release()
        g.cancelAndJoin()
    }

    test("the same lone wait is reported without a timer, and not with one: a context deadline, a select timeout, a withTimeout, a pending Conduit timer") {
        val idle = Chan<Int>()
        val untimed = go { idle.receiveOk() }
        awaitUntil { Diagnostics.dump().goroutines.any { it.state == GoroutineState.BLOCKED } }
        awaitNoPendingTimers()
        Diagnostics.findDeadlocks(confirm).single().kind shouldBe DeadlockKind.ALL_ASLEEP
        untimed.cancelAndJoin()

        val held = Mutex("held").also { it.lock() }
        val deadlined = Context.background().withTimeout(Duration.ofMinutes(10))
        noReportWhile({ runCatching { held.lock(deadlined) } }) { deadlined.cancel() }
        noReportWhile({ select<Unit> { idle.onReceive { }; onTimeout(10.minutes) { } } })
        noReportWhile({ kotlinxTimeout(10.minutes) { idle.receiveOk() } })
        val ticker = Ticker(1.minutes)
        noReportWhile({ ticker.c.receive() }) { ticker.stop() }
        held.unlock()
    }

    test("a wait on a channel kind that does not list its queue stops the report while it lasts: nothing can tell what it waits for") {
        val ping = Chan<Int>()
        val pong = Chan<Int>()
        val m = GoroutineManager(Context.background(), 2, name = "unlisted")
        try {
            m.go("ping") { _ -> ping.receiveOk() }
            m.go("pong") { _ -> pong.receiveOk() }
            awaitBlocked(listOf("ping", "pong"))
            awaitNoPendingTimers()
            Diagnostics.findDeadlocks(confirm).single().kind shouldBe DeadlockKind.ALL_ASLEEP
            val opaque = OpaqueKind()
            val t = Thread({
                try {
                    opaque.receiveBlocking(60_000_000_000L, null)
                } catch (_: InterruptedException) {
                    // how the test ends its wait
                }
            }, "opaque-waiter").apply { isDaemon = true; start() }
            awaitUntil { t.state == Thread.State.TIMED_WAITING }
            Diagnostics.findDeadlocks(confirm).shouldBeEmpty()
            t.interrupt()
            t.join(30_000)
            t.isAlive shouldBe false
            // Its wait ended: the report is back.
            Diagnostics.findDeadlocks(confirm).single().kind shouldBe DeadlockKind.ALL_ASLEEP
            // An untimed wait on a nil channel never ends by itself: asleep, as Go counts it, so it does not stop the report.
            val onNil = Thread({
                try {
                    (dev.conduit.chan.NilChan as ChannelSource).receiveBlocking(Long.MAX_VALUE, null)
                } catch (_: InterruptedException) {
                    // how the test ends its wait
                }
            }, "nil-waiter").apply { isDaemon = true; start() }
            awaitUntil { onNil.state == Thread.State.WAITING }
            Diagnostics.findDeadlocks(confirm).single().kind shouldBe DeadlockKind.ALL_ASLEEP
            onNil.interrupt()
            onNil.join(30_000)
            onNil.isAlive shouldBe false
        } finally {
            ping.close()
            pong.close()
            m.wait()
        }
    }

    test("no report while another goroutine runs") {
        val running = AtomicBoolean(true)
        val spinner = go { while (running.get()) Thread.onSpinWait() }
        noReportWhile({ Chan<Int>().receiveOk() }) { running.set(false) }
        spinner.join()
    }

    test("a mutex held by a running goroutine is no cycle") {
        val a = Mutex("held")
        val release = Chan<Unit>(1)
        val holding = AtomicBoolean(true)
        val holder = go {
            a.lock()
            while (holding.get()) Thread.onSpinWait()
            a.unlock()
        }
        awaitUntil { a.isLocked }
        val waiter = go { a.withLock { release.trySend(Unit) } }
        awaitUntil { Diagnostics.dump().goroutines.any { it.blockedOn == "lock of Mutex 'held'" } }
        Diagnostics.findDeadlocks(confirm).shouldBeEmpty()
        holding.set(false)
        holder.join()
        waiter.join()
    }

    test("the dump names what every kind of wait waits on, and a thread that is not a goroutine") {
        val mu = Mutex("accounts")
        mu.lock()
        val rw = RWMutex().also { it.lock() }
        val sem = Semaphore(1).also { it.acquire() }
        val wg = WaitGroup().also { it.add(1) }
        val condMutex = Mutex("cond")
        val cond = Cond(condMutex)
        val barrier = Barrier(2)
        val a = Chan<Int>()
        val b = Chan<Int>(2).also { it.trySend(0); it.trySend(0) }
        val spsc = SpscChan<Int>(4)
        val batches = BatchChannel<Int>(this, 4, 1.minutes)
        val jobs = listOf<Job>(
            go { spsc.receiveOk() },
            go { batches.receiveOk() },
            go { mu.lock() },
            go { rw.rLock() },
            go { sem.acquire() },
            go { wg.wait() },
            go { condMutex.withLock { cond.await() } },
            go { barrier.await() },
            go { select<Unit> { a.onReceive { }; b.onSend(1) { }; b.onSend(2) { } } },
        )
        val fromThread = ArrayBlockingQueue<Any>(1)
        val thread = Thread({ fromThread.add((a as ChannelSource).receiveBlocking(Long.MAX_VALUE, null) ?: "null") }, "plain-thread").apply { start() }
        val expected = listOf(
            "lock of Mutex 'accounts'", "acquire of RWMutex@", "acquire of Semaphore@", "wait on WaitGroup@", "wait on Cond@",
            "await on Barrier@", "select on [receive from Chan@", "receive from SpscRingChan@", "receive from BatchChannel@",
        )
        awaitUntil {
            val on = Diagnostics.dump().goroutines.mapNotNull { it.blockedOn }
            expected.all { e -> on.any { it.startsWith(e) } } && on.count { it.startsWith("receive from Chan@") } >= 1
        }
        val dump = Diagnostics.dump()
        val t = dump.goroutines.single { it.name == "plain-thread" }
        t.owner shouldBe "thread"
        t.id shouldBe thread.id
        t.blockedOn!! shouldStartWith "receive from Chan@"
        val sel = dump.goroutines.single { it.blockedOn?.startsWith("select on") == true }.blockedOn!!
        sel shouldContain "send on Chan@"
        sel shouldContain "(cap 2)"
        dump.toString() shouldContain "owner=thread"
        dump.toString() shouldContain "started at:"

        val json = ObjectMapper().readTree(dump.toJson())
        json["goroutines"].size() shouldBe dump.goroutines.size
        val accounts = json["goroutines"].single { it["blockedOn"].asText() == "lock of Mutex 'accounts'" }
        accounts["state"].asText() shouldBe "BLOCKED"
        accounts["owner"].asText() shouldBe "go"
        accounts["creationSite"].size() shouldNotBe 0
        accounts["since"].isNull shouldBe false

        mu.unlock()
        rw.unlock()
        sem.release()
        wg.done()
        condMutex.withLock { cond.signal() }
        a.close()
        b.close()
        spsc.close()
        batches.close()
        barrier.reset()
        for (j in jobs) kotlinxTimeout(30.seconds) { j.join() }
        thread.join(30_000)
        fromThread.poll(30, TimeUnit.SECONDS) shouldBe Poll.CLOSED
    }

    test("the watchdog reports a deadlock that lasts, once, to its listeners").config(tags = setOf(ExpectedDeadlock)) {
        val before = Diagnostics.reportAfter
        val reports = ArrayBlockingQueue<DeadlockReport>(8)
        Diagnostics.reportAfter = Duration.ofMillis(200)
        val listening = Diagnostics.addDeadlockListener { reports.add(it) }
        val stuck = Chan<Int>()
        val m = GoroutineManager(Context.background(), 1, name = "watched")
        try {
            m.go("stuck") { _ -> stuck.receiveOk() }
            awaitNoPendingTimers()
            // This thread waits as an observer: its timed wait does not count as one that may wake the goroutine.
            val r = Diagnostics.awaitDeadlock(Duration.ofSeconds(30)) ?: error("no report within 30 s")
            r.kind shouldBe DeadlockKind.ALL_ASLEEP
            r.goroutines.map { it.name } shouldBe listOf("stuck")
            (r.asleepFor >= Duration.ofMillis(200)) shouldBe true
            reports.take() shouldBe r
            // Once: the same deadlock is not reported again, however long it lasts. The watchdog
            // checks every 20 ms: 30 more checks are three times reportAfter of it lasting on.
            val checked = Diagnostics.checksDone
            awaitUntil { Diagnostics.checksDone >= checked + 30 }
            reports.shouldBeEmpty()
        } finally {
            listening.close()
            Diagnostics.reportAfter = before
            stuck.close()
            m.wait()
        }
    }

    test("the watchdog reports a lock cycle while the rest of the program goes on").config(tags = setOf(ExpectedDeadlock)) {
        val before = Diagnostics.reportAfter
        Diagnostics.reportAfter = Duration.ofMillis(200)
        val running = AtomicBoolean(true)
        // Busy elsewhere: it blocks and wakes all the time, so "all asleep" never holds.
        val busy = go {
            val ch = Chan<Int>()
            val echo = go { for (v in ch) { } }
            while (running.get()) ch.send(1)
            ch.close()
            echo.join()
        }
        val m = GoroutineManager(Context.background(), 2, name = "transfers")
        try {
            startLockCycle(m, Mutex("left"), Mutex("right"), "left-first", "right-first")
            val r = Diagnostics.awaitDeadlock(Duration.ofSeconds(30)) ?: error("no report within 30 s")
            r.kind shouldBe DeadlockKind.LOCK_CYCLE
            r.goroutines.map { it.name } shouldContainExactlyInAnyOrder listOf("left-first", "right-first")
        } finally {
            Diagnostics.reportAfter = before
            running.set(false)
            busy.join()
            m.cancel()
            m.wait()
        }
    }

    test("bad input: a negative confirmation period and a watchdog period that is not positive are refused") {
        io.kotest.assertions.throwables.shouldThrow<IllegalArgumentException> { Diagnostics.findDeadlocks(Duration.ofMillis(-1)) }.message shouldContain "confirm"
        io.kotest.assertions.throwables.shouldThrow<IllegalArgumentException> { Diagnostics.reportAfter = Duration.ZERO }.message shouldContain "reportAfter"
        io.kotest.assertions.throwables.shouldThrow<IllegalArgumentException> { Diagnostics.awaitDeadlock(Duration.ofMillis(-1)) }.message shouldContain "timeout"
    }
})

/** Polls [done] until it holds, for at most 30 s. */
/**
 * Starts in [m] a lock cycle: goroutine [first] locks [a] then [b], [second] locks [b] then
 * [a], each taking its second only once the other holds its first. Suspends for [m]'s slots.
 */
internal suspend fun startLockCycle(m: GoroutineManager, a: Mutex, b: Mutex, first: String, second: String) {
    val aHeld = Chan<Unit>(1)
    val bHeld = Chan<Unit>(1)
    m.go(first) { _ -> a.lock(); aHeld.send(Unit); bHeld.receive(); b.lock() }
    m.go(second) { _ -> b.lock(); bHeld.send(Unit); aHeld.receive(); a.lock() }
}

internal fun awaitUntil(done: () -> Boolean) {
    val deadline = System.nanoTime() + 30_000_000_000L
    while (!done()) {
        check(System.nanoTime() < deadline) { "not reached within 30 s" }
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L) // a poll's pause, bounded by the deadline above
    }
}

/** A channel kind that never completes anything and does not list its queue to diagnostics (no `forEachQueued`). */
private class OpaqueKind : ChannelSource() {
    private val queued = ArrayList<dev.conduit.chan.spi.WaitEntry>()

    override fun pollReceive(): Any? = Poll.NOT_READY

    override fun pollSend(element: Any?): Any? = Poll.NOT_READY

    override fun enqueue(entry: dev.conduit.chan.spi.WaitEntry) {
        queued += entry
    }

    override fun dequeue(entry: dev.conduit.chan.spi.WaitEntry) {
        queued -= entry
    }
}
