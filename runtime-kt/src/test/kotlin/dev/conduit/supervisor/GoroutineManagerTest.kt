package dev.conduit.supervisor

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.context.runWithContext
import dev.conduit.context.withTimeout
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import java.io.IOException
import java.util.Collections
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** A manager on the test's scheduler: its goroutines, grace periods and deadlines run in virtual time. */
private fun TestScope.manager(max: Int, name: String = "m"): GoroutineManager {
    val clock = Clock.of(backgroundScope, testScheduler.timeSource)
    return GoroutineManager(Context.background(clock), max, name, backgroundScope, clock)
}

private fun log(): MutableList<String> = Collections.synchronizedList(ArrayList())

class GoroutineManagerTest : FunSpec({
    test("go waits for a slot: at most maxGoroutines run at once, the others queue and show BLOCKED on a slot") {
        runTest {
            val m = manager(3)
            var running = 0
            var peak = 0
            val starters = (1..10).map { i ->
                launch {
                    m.go("job-$i") {
                        running++
                        peak = maxOf(peak, running)
                        delay(100.milliseconds)
                        running--
                    }
                }
            }
            runCurrent()
            withClue("7 goroutines wait for a slot, shown as blocked on it") {
                val blocked = m.goroutines().filter { it.state == GoroutineState.BLOCKED }
                blocked.size shouldBe 7
                blocked.map { it.blockedOn }.toSet() shouldBe setOf("a slot of manager 'm'")
            }
            starters.forEach { it.join() }
            m.wait()
            withClue("never more than 3 at once") { peak shouldBe 3 }
            withClue("10 jobs of 100 ms, 3 at a time: 4 rounds") { testScheduler.currentTime shouldBe 400 }
        }
    }

    test("tryGo refuses when every slot is taken, and starts once one is free") {
        runTest {
            val m = manager(2)
            val gate = CompletableDeferred<Unit>()
            m.go("a") { gate.await() }
            m.go("b") { gate.await() }
            withClue("both slots taken") { m.tryGo("c") { }.shouldBeNull() }
            gate.complete(Unit)
            runCurrent()
            val c = m.tryGo("c") { }
            withClue("a slot is free again") { c.shouldNotBeNull() }
            m.wait()
            c!!.state shouldBe GoroutineState.FINISHED
        }
    }

    test("wait throws every error joined, each tagged with its goroutine's name, as cause and suppressed") {
        runTest {
            val m = manager(4)
            val disk = IOException("disk full")
            val state = IllegalStateException("bad state")
            m.go("writer") { delay(10); throw disk }
            m.go("checker") { delay(20); throw state }
            m.go("fine") { delay(5) }
            val e = shouldThrow<GoroutineManagerException> { m.wait() }
            e.failures.map { it.goroutine } shouldContainExactly listOf("writer", "checker")
            e.failures[0].error shouldBeSameInstanceAs disk
            e.failures[1].error shouldBeSameInstanceAs state
            e.cause shouldBeSameInstanceAs disk
            e.suppressed.toList() shouldContainExactly listOf(disk, state)
            e.message.shouldNotBeNull() shouldContain "writer"
            withClue("the error of a goroutine is also in its info") {
                m.goroutines().first { it.name == "writer" }.failure shouldBeSameInstanceAs disk
            }
        }
    }

    test("errors streams each error when it happens, in the order they happened, and is closed when the manager ends") {
        runTest {
            val m = manager(4)
            m.go("late") { delay(30); throw IOException("late") }
            m.go("early") { delay(10); throw IOException("early") }
            m.go("middle") { delay(20); throw IOException("middle") }
            val seen = ArrayList<Pair<String, Long>>()
            repeat(3) { seen.add(m.errors.receive().goroutine to testScheduler.currentTime) }
            withClue("each received at the moment it happened") {
                seen shouldContainExactly listOf("early" to 10L, "middle" to 20L, "late" to 30L)
            }
            shouldThrow<GoroutineManagerException> { m.wait() }
            withClue("closed once the manager ended") { m.errors.receiveOk().ok shouldBe false }
        }
    }

    test("cleanups run last in first out however a goroutine ends: returning, failing, cancelled; the manager's run last") {
        runTest {
            val m = manager(4)
            val order = mapOf("returns" to log(), "fails" to log(), "cancelled" to log())
            val all = log()
            m.defer { all.add("manager 1") }
            m.defer { all.add("manager 2") }
            for ((name, seen) in order) {
                val g = m.go(name) {
                    for (i in 1..3) defer { seen.add("$i"); all.add("$name $i") }
                    when (name) {
                        "returns" -> delay(10)
                        "fails" -> { delay(20); throw IOException("boom") }
                        else -> awaitCancellation()
                    }
                }
                if (name == "cancelled") launch { delay(30); g.cancel() }
            }
            shouldThrow<GoroutineManagerException> { m.wait() }
            for ((name, seen) in order) withClue(name) { seen shouldContainExactly listOf("3", "2", "1") }
            withClue("the manager's cleanups after every goroutine's, last registered first") {
                all.takeLast(2) shouldContainExactly listOf("manager 2", "manager 1")
                all.size shouldBe 11
            }
            m.goroutines().associate { it.name to it.state } shouldBe mapOf(
                "returns" to GoroutineState.FINISHED,
                "fails" to GoroutineState.FAILED,
                "cancelled" to GoroutineState.CANCELLED,
            )
        }
    }

    test("a failing cleanup does not stop the others, and its error is aggregated into wait's, a manager's cleanup's too") {
        runTest {
            val m = manager(2)
            val ran = log()
            val broken = IOException("close failed")
            val managerBroken = IllegalStateException("manager cleanup failed")
            m.defer { ran.add("manager a") }
            m.defer { throw managerBroken }
            m.go("g") {
                defer { ran.add("c1") }
                defer { throw broken }
                defer { ran.add("c3") }
            }
            val e = shouldThrow<GoroutineManagerException> { m.wait() }
            ran shouldContainExactly listOf("c3", "c1", "manager a")
            e.failures.map { Triple(it.goroutine, it.goroutineId == 0L, it.inCleanup) } shouldContainExactly listOf(
                Triple("g", false, true),
                Triple("m", true, true),
            )
            e.failures.map { it.error } shouldContainExactly listOf(broken, managerBroken)
            withClue("a goroutine whose cleanup failed ends FAILED") { m.goroutines().single().state shouldBe GoroutineState.FAILED }
        }
    }

    test("a cancelled goroutine's cleanup still runs to its end, even when it suspends") {
        runTest {
            val m = manager(1)
            val ran = log()
            val g = m.go("g") {
                defer { delay(50); ran.add("flushed") }
                awaitCancellation()
            }
            runCurrent()
            g.cancel()
            runCurrent()
            withClue("in its cleanup it is shown as blocked on its cleanups") {
                g.info().state shouldBe GoroutineState.BLOCKED
                g.info().blockedOn shouldBe "cleanups"
            }
            g.join()
            ran shouldContainExactly listOf("flushed")
            g.state shouldBe GoroutineState.CANCELLED
            m.wait()
        }
    }

    test("nested managers: the parent ends only after its child's goroutine and manager cleanups; child errors reach the parent") {
        runTest {
            val parent = manager(2, "app")
            val child = parent.child("db", 2)
            val order = log()
            parent.defer { order.add("app cleanup") }
            child.defer { delay(20); order.add("db cleanup") }
            child.go("query") {
                defer { delay(50); order.add("query cleanup") }
                delay(10)
                throw IOException("connection reset")
            }
            parent.go("web") { delay(5) }
            runCurrent()
            withClue("the parent lists its child's goroutines") {
                parent.goroutines().map { it.owner to it.name } shouldContainExactly listOf("app/db" to "query", "app" to "web")
            }
            val e = shouldThrow<GoroutineManagerException> { parent.wait() }
            order shouldContainExactly listOf("query cleanup", "db cleanup", "app cleanup")
            withClue("the child ended first") { child.state shouldBe GoroutineManagerState.TERMINATED }
            e.failures.single().manager shouldBe "app/db"
            e.failures.single().goroutine shouldBe "query"
            withClue("the child reports its own error too") { shouldThrow<GoroutineManagerException> { child.wait() } }
        }
    }

    test("shutdown: stop accepting, signal, grace, force-cancel, deadline, cleanups; one that ignores cancellation is reported, not waited for") {
        runTest {
            val m = manager(4, "svc")
            val events = ArrayList<Pair<GoroutineManagerPhase, Long>>()
            val origin = m.clock.now()
            m.addListener { e -> events.add(e.phase to java.time.Duration.between(origin, e.at).toMillis()) }
            val stubbornGate = CompletableDeferred<Unit>()
            val ran = log()
            m.defer { ran.add("manager cleanup") }
            m.go("polite") { ctx -> ctx.done.receiveOk() }
            m.go("deaf") { delay(1.hours) } // ignores the context, but its coroutine can be cancelled
            m.go("stubborn") {
                defer { ran.add("stubborn cleanup") }
                withContext(NonCancellable) { stubbornGate.await() } // ignores every kind of cancellation
            }
            runCurrent()
            val report = m.shutdown(grace = 1.seconds, timeout = 3.seconds)
            withClue("the shutdown lasted until its deadline, not longer") { testScheduler.currentTime shouldBe 3_000 }
            events shouldContainExactly listOf(
                GoroutineManagerPhase.STOP_ACCEPTING to 0L,
                GoroutineManagerPhase.SIGNAL to 0L,
                GoroutineManagerPhase.FORCE_CANCEL to 1_000L,
                GoroutineManagerPhase.DEADLINE to 3_000L,
                GoroutineManagerPhase.CLEANUP to 3_000L,
                GoroutineManagerPhase.TERMINATED to 3_000L,
            )
            report.ended.map { it.name } shouldContainExactly listOf("polite")
            report.forceCancelled.map { it.name } shouldContainExactly listOf("deaf")
            report.forceCancelled.single().state shouldBe GoroutineState.CANCELLED
            report.neverEnded.map { it.name } shouldContainExactly listOf("stubborn")
            report.neverEnded.single().state shouldBe GoroutineState.RUNNING
            report.isClean shouldBe false
            withClue("the manager's cleanups ran; the stubborn goroutine's not yet") { ran shouldContainExactly listOf("manager cleanup") }
            m.state shouldBe GoroutineManagerState.TERMINATED
            stubbornGate.complete(Unit)
            runCurrent()
            withClue("when it ends at last, its own cleanups run") { ran shouldContainExactly listOf("manager cleanup", "stubborn cleanup") }
        }
    }

    test("shutdown returns as soon as every goroutine has ended by itself, without waiting out the grace period") {
        runTest {
            val m = manager(4)
            repeat(3) { i -> m.go("w$i") { ctx -> ctx.done.receiveOk(); delay(10) } }
            val report = m.shutdown(grace = 10.seconds, timeout = 20.seconds)
            testScheduler.currentTime shouldBe 10
            report.ended.size shouldBe 3
            report.forceCancelled.shouldBeEmpty()
            report.isClean shouldBe true
        }
    }

    test("go and tryGo after shutdown are refused naming the manager and its state; a go waiting for a slot is refused when it begins") {
        runTest {
            val m = manager(1, "pool")
            m.go("holder") { ctx -> ctx.done.receiveOk() }
            val waiting = async { runCatching { m.go("waiter") { } } }
            runCurrent()
            val shutdown = async { m.shutdown(1.seconds, 2.seconds) }
            runCurrent()
            val refused = waiting.await().exceptionOrNull()
            withClue("the waiting go was refused") {
                (refused as GoroutineManagerClosedException).state shouldBe GoroutineManagerState.SHUTTING_DOWN
            }
            val report = shutdown.await()
            withClue("a refused go never ran and is not in the report") { report.ended.map { it.name } shouldContainExactly listOf("holder") }
            val e = shouldThrow<GoroutineManagerClosedException> { m.go("later") { } }
            e.message shouldBe "manager 'pool' is TERMINATED: it starts no more goroutines"
            shouldThrow<GoroutineManagerClosedException> { m.tryGo("later") { } }.state shouldBe GoroutineManagerState.TERMINATED
            shouldThrow<GoroutineManagerClosedException> { m.child("c", 1) }
        }
    }

    test("a parent's shutdown reaches its children: their goroutines are reported, and their cleanups run before the parent's") {
        runTest {
            val parent = manager(2, "app")
            val child = parent.child("jobs", 2)
            val order = log()
            val phases = log()
            child.addListener { phases.add("${it.manager} ${it.phase}") }
            parent.defer { order.add("app") }
            child.defer { order.add("jobs") }
            val gate = CompletableDeferred<Unit>()
            child.go("stuck") { withContext(NonCancellable) { gate.await() } }
            child.go("cancellable") { delay(1.hours) }
            parent.go("polite") { ctx -> ctx.done.receiveOk() }
            runCurrent()
            val report = parent.shutdown(1.seconds, 2.seconds)
            report.ended.map { it.name } shouldContainExactly listOf("polite")
            report.forceCancelled.map { it.owner to it.name } shouldContainExactly listOf("app/jobs" to "cancellable")
            report.neverEnded.map { it.owner to it.name } shouldContainExactly listOf("app/jobs" to "stuck")
            order shouldContainExactly listOf("jobs", "app")
            phases shouldContainExactly GoroutineManagerPhase.entries.map { "app/jobs $it" }
            gate.complete(Unit)
        }
    }

    test("cancel stops accepting and force-cancels every goroutine at once; their cleanups run and the manager ends") {
        runTest {
            val m = manager(2)
            val ran = log()
            val phases = ArrayList<GoroutineManagerPhase>()
            m.addListener { phases.add(it.phase) }
            repeat(2) { i -> m.go("g$i") { defer { ran.add("g$i") }; delay(1.hours) } }
            runCurrent()
            m.cancel()
            m.state shouldBe GoroutineManagerState.CANCELLED
            shouldThrow<GoroutineManagerClosedException> { m.go("late") { } }.state shouldBe GoroutineManagerState.CANCELLED
            m.wait()
            testScheduler.currentTime shouldBe 0
            ran.toSet() shouldBe setOf("g0", "g1")
            m.goroutines().map { it.state }.toSet() shouldBe setOf(GoroutineState.CANCELLED)
            phases shouldContainExactly listOf(
                GoroutineManagerPhase.STOP_ACCEPTING,
                GoroutineManagerPhase.SIGNAL,
                GoroutineManagerPhase.FORCE_CANCEL,
                GoroutineManagerPhase.CLEANUP,
                GoroutineManagerPhase.TERMINATED,
            )
        }
    }

    test("events come once each, in phase order: a manager ended by wait reports its cleanup and end, and nothing after") {
        runTest {
            val m = manager(1)
            val phases = ArrayList<GoroutineManagerPhase>()
            m.addListener { phases.add(it.phase) }
            m.go("g") { delay(10) }
            m.wait()
            m.cancel()
            m.shutdown(1.seconds, 1.seconds).ended.shouldBeEmpty()
            phases shouldContainExactly listOf(GoroutineManagerPhase.CLEANUP, GoroutineManagerPhase.TERMINATED)
        }
    }

    test("goroutines() is an immutable snapshot: id, name, labels, state, what it is blocked on, start time on the manager's clock") {
        runTest {
            val m = manager(2, "crawler")
            val gate = CompletableDeferred<Unit>()
            delay(250)
            val g = m.go("fetch", mapOf("url" to "https://a.example")) {
                blockedOn("the rate limiter") { gate.await() }
                delay(100)
            }
            runCurrent()
            val snapshot = m.goroutines()
            val info = snapshot.single()
            info.id shouldBe g.id
            info.name shouldBe "fetch"
            info.labels shouldBe mapOf("url" to "https://a.example")
            info.owner shouldBe "crawler"
            info.state shouldBe GoroutineState.BLOCKED
            info.blockedOn shouldBe "the rate limiter"
            java.time.Duration.between(m.clock.now(), info.startedAt).toMillis() shouldBe 0
            gate.complete(Unit)
            runCurrent()
            withClue("back to running after blockedOn, and the old snapshot did not change") {
                g.info().state shouldBe GoroutineState.RUNNING
                g.info().blockedOn.shouldBeNull()
                info.state shouldBe GoroutineState.BLOCKED
            }
            shouldThrow<UnsupportedOperationException> { (snapshot as MutableList<GoroutineInfo>).clear() }
            shouldThrow<UnsupportedOperationException> { (info.labels as MutableMap<String, String>).clear() }
            m.wait()
            m.goroutines().single().state shouldBe GoroutineState.FINISHED
            withClue("ids are unique and ordered") { m.goroutines().single().id shouldBe g.id }
        }
    }

    test("a goroutine that gives up because its context is done is cancelled, not failed; a context error of its own is a failure") {
        runTest {
            val m = manager(2)
            m.go("watcher") { ctx -> runWithContext(ctx) { awaitCancellation() } }
            m.go("own-timeout") { ctx -> runWithContext(ctx.withTimeout(10.milliseconds)) { awaitCancellation() } }
            delay(20)
            m.cancel()
            val e = shouldThrow<GoroutineManagerException> { m.wait() }
            e.failures.map { it.goroutine } shouldContainExactly listOf("own-timeout")
            m.goroutines().first { it.name == "watcher" }.state shouldBe GoroutineState.CANCELLED
        }
    }

    test("bad arguments and misuse are refused at the call") {
        runTest {
            shouldThrow<IllegalArgumentException> { manager(0) }.message shouldBe "maxGoroutines must be >= 1, but was 0"
            val m = manager(1)
            shouldThrow<IllegalArgumentException> { m.shutdown((-1).seconds, 1.seconds) }.message shouldBe "grace must be >= 0, but was -1s"
            m.wait()
            shouldThrow<IllegalStateException> { m.defer { } }.message shouldBe "manager 'm' has ended: its cleanups have already run"
        }
    }
})
