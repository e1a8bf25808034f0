package dev.conduit.supervisor

import com.fasterxml.jackson.databind.ObjectMapper
import dev.conduit.chan.Chan
import dev.conduit.context.Context
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import dev.conduit.testing.ExpectedLeak
import dev.conduit.testing.GoLeakKotestExtension
import io.kotest.engine.test.TestResult
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import java.lang.ref.WeakReference
import java.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/** A coroutine that only this function's locals refer to: a receive on a channel nothing else has, in a scope dropped at once. */
private fun leakReceiver(name: String): WeakReference<Job> {
    return receiverOf(Chan(), name)
}

/**
 * A receive on [ch] in a scope dropped at once. Made here, in a function that does not suspend,
 * so that no suspended test code keeps the job in a spilled local.
 */
private fun receiverOf(ch: Chan<Int>, name: String): WeakReference<Job> {
    val job = CoroutineScope(Dispatchers.Default).launch(CoroutineName(name)) { waitForValue(ch) }
    pinned[name] = job
    return WeakReference(job, cleared)
}

/**
 * [receiverOf]'s jobs, by name, kept reachable until the watchdog follows them ([awaitFollowed]):
 * a collection before its first check (any young collection, every 10 ms or less) would leave it
 * nothing to follow, and the test waiting for it would wait in vain.
 */
private val pinned = java.util.concurrent.ConcurrentHashMap<String, Job>()

/** Where the jobs of [receiverOf] go once collected: [collectUntilCleared] waits on it. */
private val cleared = java.lang.ref.ReferenceQueue<Job>()

/** A named suspend function, so the report's suspended frames can be checked (not a tail call, which would leave no frame). */
private suspend fun waitForValue(ch: Chan<Int>): Int {
    val v = ch.receive()
    return v + 1
}

/** Waits, bounded, until the watchdog follows a coroutine named [name] (it saw it blocked); then lets go of [receiverOf]'s pin. */
private fun awaitFollowed(name: String) {
    awaitUntil { LeakWatch.following().any { it.name == name } }
    pinned.remove(name)
}

/** The watchdog's record of the job [ref] refers to (it follows it): in a function that does not suspend, so no spilled local keeps the job. */
private fun recordOf(ref: WeakReference<Job>): Any = LeakWatch.recordOf(ref.get() ?: error("collected already")) ?: error("not followed")

/** Waits, bounded, until the watchdog has handed on [record] after its collection: reported it, if it was to be, or let it go. */
private fun awaitHandled(record: Any) = awaitUntil { LeakWatch.isHandled(record) }

/** Asks for collections until [ref] (one of [receiverOf]'s) is cleared and enqueued, waiting on the queue between them (bounded: 30 s). */
private fun collectUntilCleared(ref: WeakReference<Job>) {
    val deadline = System.nanoTime() + 30_000_000_000L
    while (true) {
        check(System.nanoTime() < deadline) { "not collected within 30 s" }
        System.gc()
        // Another test's job may come first: wait again for this one.
        if (cleared.remove(100) === ref) return
    }
}

/** Go 1.26's leaked goroutines on the JVM: [Diagnostics] reports a coroutine collected while blocked in Conduit. */
class LeakDetectionTest : FunSpec(spec@{
    if (!Diagnostics.isEnabled) return@spec // DiagnosticsTest checks that it is on in this suite's JVMs
    val before = Diagnostics.reportAfter

    beforeSpec { Diagnostics.reportAfter = Duration.ofMillis(100) } // the watchdog checks every 10 ms
    afterSpec { Diagnostics.reportAfter = before }

    test("a coroutine blocked on a channel only it refers to, its scope dropped, is reported once collected: its name, its wait and where it was suspended").config(tags = setOf(ExpectedLeak)) {
        val reports = java.util.concurrent.LinkedBlockingQueue<LeakReport>()
        Diagnostics.addLeakListener { reports.add(it) }.use {
            val job = leakReceiver("forgotten-receiver")
            awaitFollowed("forgotten-receiver")
            val record = recordOf(job)
            // Detection itself keeps nothing reachable: the coroutine is collected.
            collectUntilCleared(job)
            val r = reports.poll(30, java.util.concurrent.TimeUnit.SECONDS) ?: error("no leak report within 30 s of the collection")
            r.goroutine.name shouldBe "forgotten-receiver"
            r.goroutine.state shouldBe GoroutineState.BLOCKED
            r.goroutine.blockedOn!! shouldStartWith "receive from Chan@"
            r.goroutine.since shouldNotBe null
            r.goroutine.suspendedAt.any { it.methodName == "waitForValue" && it.fileName == "LeakDetectionTest.kt" } shouldBe true
            r.toString() shouldContain "leaked coroutine"
            r.toString() shouldContain "suspended at:"
            // Once: its record is handed on and no longer followed, and no record is made for a
            // coroutine twice (they are kept by job), so nothing is left to report it again.
            awaitHandled(record)
            LeakWatch.following().none { it.name == "forgotten-receiver" } shouldBe true
            reports.poll() shouldBe null
        }
    }

    test("a followed coroutine that completed is not reported when it is collected") {
        val reports = java.util.concurrent.LinkedBlockingQueue<LeakReport>()
        Diagnostics.addLeakListener { reports.add(it) }.use {
            val ch = Chan<Int>()
            val job = receiverOf(ch, "finishes")
            awaitFollowed("finishes")
            val record = recordOf(job)
            ch.send(1)
            awaitUntil { job.get()?.isCompleted ?: true }
            collectUntilCleared(job)
            // A report would be delivered before the record is marked handled.
            awaitHandled(record)
            reports.poll() shouldBe null
        }
    }

    test("a blocked coroutine its channel still refers to is not collected, however long it waits") {
        val ch = Chan<Int>()
        val job = receiverOf(ch, "still-reachable")
        awaitFollowed("still-reachable")
        repeat(5) { System.gc() }
        // Not collected, so never reported: a report follows a collection.
        job.get() shouldNotBe null
        ch.send(1)
        job.get()?.join()
    }

    test("the dump shows where a blocked coroutine is suspended, in text and JSON") {
        val ch = Chan<Int>()
        val m = GoroutineManager(Context.background(), 1, name = "suspended")
        val started = java.time.Instant.now()
        m.go("waits") { _ -> waitForValue(ch) }
        awaitUntil { Diagnostics.dump().goroutines.any { it.name == "waits" && it.state == GoroutineState.BLOCKED } }
        val dump = Diagnostics.dump()
        val g = dump.goroutines.single { it.name == "waits" }
        g.suspendedAt.first { it.fileName == "LeakDetectionTest.kt" }.methodName shouldBe "waitForValue"
        // Stamped by the watchdog's 10 ms coarse clock: within a tick or so of the wait's start (a second allows for a late tick).
        val since = g.since!!
        (since >= started.minusSeconds(1) && since <= java.time.Instant.now()) shouldBe true
        dump.toString() shouldContain "suspended at:"
        val json = ObjectMapper().readTree(dump.toJson())
        json["goroutines"].single { it["name"].asText() == "waits" }["suspendedAt"].map { it.asText() }.any { "waitForValue" in it } shouldBe true
        ch.send(1)
        m.wait()
    }

    test("under GoLeakKotestExtension, a test during which a leak was reported fails with the report (the first test here, tagged ExpectedLeak, passes with one)") {
        val r = GoLeakKotestExtension.intercept(testCase) {
            val job = leakReceiver("leaked-in-a-test")
            awaitFollowed("leaked-in-a-test")
            val record = recordOf(job)
            collectUntilCleared(job)
            awaitHandled(record) // the extension's listener got the report before this
            TestResult.Success(1.milliseconds)
        }
        r.isFailure shouldBe true
        r.errorOrNull!!.message!! shouldStartWith "the watchdog reported a leaked coroutine during this test"
        r.errorOrNull!!.message!! shouldContain "\"leaked-in-a-test\""
    }

    test("bad input: a negative leak wait is refused") {
        shouldThrow<IllegalArgumentException> { Diagnostics.awaitLeak(Duration.ofMillis(-1)) }.message shouldContain "timeout"
    }
})
