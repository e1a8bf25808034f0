package dev.conduit.pool

import dev.conduit.Clock
import dev.conduit.context.Context
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import java.util.Collections
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** A pool on the test's scheduler: its workers, checks and timeouts all run in virtual time. */
fun TestScope.pool(configure: WorkerPoolConfig.Builder.() -> Unit = {}): WorkerPool =
    WorkerPool(WorkerPoolConfig.builder().apply(configure).build(), backgroundScope, Clock.of(backgroundScope, testScheduler.timeSource))

class WorkerPoolTest : FunSpec({
    test("submit runs a job and its handle gives the value; submitAll keeps the order") {
        runTest {
            val pool = pool { minWorkers(2).maxWorkers(2) }
            pool.submit(Job { 6 * 7 }).await() shouldBe 42
            val handles = pool.submitAll((1..20).map { i -> Job { delay(10); i } })
            handles.map { it.await() } shouldBe (1..20).toList()
            withClue("every job counted once") { pool.metrics().completed shouldBe 21 }
        }
    }

    test("awaitTermination returns only once the future of every job that ran is done") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1) }
            val h = pool.submit(Job { delay(10); 1 })
            var doneWhenWoken: Boolean? = null
            // Unconfined: the waiter runs the moment it is woken, on the thread that wakes it.
            launch(Dispatchers.Unconfined) {
                pool.awaitTermination()
                doneWhenWoken = h.isDone
            }
            pool.shutdown() shouldBe emptyList()
            doneWhenWoken shouldBe true
        }
    }

    test("a full queue suspends submit (backpressure) until a worker takes a job; trySubmit returns null") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1).queueCapacity(2) }
            val gate = CompletableDeferred<Unit>()
            pool.submit(Job { gate.await() })
            runCurrent()
            pool.submit(Job { 1 })
            pool.submit(Job { 2 })
            pool.trySubmit(Job { 3 }).shouldBeNull()
            val blocked = async { pool.submit(Job { 4 }) }
            runCurrent()
            withClue("the fourth submit waits for room") { blocked.isCompleted shouldBe false }
            gate.complete(Unit)
            blocked.await().await() shouldBe 4
        }
    }

    test("strict priority: a free worker takes the highest priority first, FIFO within one") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1).agingStep(1.seconds) }
            val order = Collections.synchronizedList(ArrayList<String>())
            val gate = CompletableDeferred<Unit>()
            pool.submit(Job { gate.await() })
            runCurrent()
            val hs = listOf(0 to "low", 2 to "high1", 1 to "mid", 2 to "high2").map { (p, name) -> pool.submit(Job(priority = p) { order.add(name) }) }
            gate.complete(Unit)
            hs.forEach { it.await() }
            order shouldContainExactly listOf("high1", "high2", "mid", "low")
        }
    }

    test("aging: a low-priority job starts after (high - low) * agingStep of waiting despite a stream of high ones") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1).queueCapacity(100).agingStep(1.seconds) }
            var lowStartedAt = -1L
            pool.submit(Job { delay(500) }) // the worker is busy, so the next ones queue
            val low = pool.submit(Job(priority = 0) { lowStartedAt = testScheduler.currentTime })
            // A high job every 500 ms, each taking 500 ms: without aging the low one would never run.
            val feeder = launch { repeat(20) { pool.submit(Job(priority = 2) { delay(500) }); delay(500) } }
            low.await()
            feeder.cancel()
            withClue("priority 0 ties priority 2 after 2 s of waiting, and then wins (oldest)") {
                lowStartedAt shouldBe 2_000L
            }
            pool.shutdownNow()
        }
    }

    test("a sheddable job is refused while the queue is at the threshold; higher classes are not") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1).queueCapacity(10).shedPriority(0).shedThreshold(2) }
            val gate = CompletableDeferred<Unit>()
            pool.submit(Job(priority = 1) { gate.await() })
            runCurrent()
            pool.submit(Job(priority = 0) { })
            pool.submit(Job(priority = 1) { })
            val e = shouldThrow<JobRejectedException> { pool.submit(Job(priority = 0) { }) }
            e.reason shouldBe JobRejectedException.Reason.SHED
            e.message shouldContain "shedThreshold"
            pool.submit(Job(priority = 1) { }).shouldNotBeNull()
            val batch = pool.submitAll(listOf(Job(priority = 0) { 1 }, Job(priority = 2) { 2 }))
            shouldThrow<JobRejectedException> { batch[0].await() }.reason shouldBe JobRejectedException.Reason.SHED
            pool.metrics().shed shouldBe 2
            gate.complete(Unit)
            batch[1].await() shouldBe 2
        }
    }

    test("reserved slots stay free for the higher class while sheddable jobs wait") {
        runTest {
            val pool = pool { minWorkers(2).maxWorkers(2).shedPriority(0).reservedSlots(1).shedThreshold(100).queueCapacity(100) }
            val gate = CompletableDeferred<Unit>()
            val low = (1..3).map { pool.submit(Job(priority = 0) { gate.await() }) }
            runCurrent()
            withClue("sheddable jobs use at most 2 - 1 slots") { pool.metrics().running shouldBe 1 }
            var highRan = false
            pool.submit(Job(priority = 1) { highRan = true }).await()
            highRan shouldBe true
            gate.complete(Unit)
            low.forEach { it.await() }
        }
    }

    test("the pool scales up one worker per check under a backlog and retires idle ones after keepAlive") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(3).checkInterval(100.milliseconds).keepAlive(1.seconds).queueCapacity(100) }
            val events = Collections.synchronizedList(ArrayList<Pair<Long, ScaleEvent>>())
            pool.addListener(object : WorkerPoolListener {
                override fun onScale(event: ScaleEvent) {
                    events.add(testScheduler.currentTime to event)
                }
            })
            val hs = pool.submitAll((1..30).map { Job { delay(1_000) } })
            hs.forEach { it.await() }
            delay(3_000)
            val grows = events.filter { it.second.to > it.second.from }
            grows.map { it.second.from to it.second.to } shouldBe listOf(1 to 2, 2 to 3)
            grows.map { it.first } shouldBe listOf(100L, 200L)
            grows.forEach { it.second.reason shouldBe ScaleEvent.Reason.QUEUE_DEPTH }
            val shrinks = events.filter { it.second.to < it.second.from }
            shrinks.map { it.second.from to it.second.to } shouldBe listOf(3 to 2, 2 to 1)
            shrinks.forEach { it.second.reason shouldBe ScaleEvent.Reason.IDLE }
            pool.workerCount shouldBe 1
            pool.scale(3)
            pool.workerCount shouldBe 3
            events.last().second.reason shouldBe ScaleEvent.Reason.MANUAL
            shouldThrow<IllegalArgumentException> { pool.scale(4) }.message shouldBe "target must be in 1..3, but was 4"
            pool.shutdownNow()
        }
    }

    test("shutdown stops intake, finishes until its context ends, then cancels and returns the jobs that never ran") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1) }
            val jobs = (1..5).map { i -> Job { delay(1_000); i } }
            val hs = jobs.map { pool.submit(it) }
            val unrun = pool.shutdown(Context.background(Clock.of(backgroundScope, testScheduler.timeSource)).withTimeout(java.time.Duration.ofMillis(2_500)))
            unrun shouldContainExactly jobs.subList(3, 5)
            hs[0].await() shouldBe 1
            hs[1].await() shouldBe 2
            withClue("the third was running when the time ran out: cancelled") { hs[2].isCancelled shouldBe true }
            for (h in hs.subList(3, 5)) {
                val e = shouldThrow<JobRejectedException> { h.await() }
                e.reason shouldBe JobRejectedException.Reason.SHUTDOWN
                e.message shouldContain "never ran"
            }
            shouldThrow<JobRejectedException> { pool.submit(Job { 0 }) }.reason shouldBe JobRejectedException.Reason.SHUTDOWN
            pool.shutdownNow() shouldBe emptyList()
        }
    }

    test("a graceful shutdown with time enough runs everything and returns nothing") {
        runTest {
            val pool = pool { minWorkers(2).maxWorkers(2) }
            val hs = (1..6).map { i -> pool.submit(Job { delay(100); i }) }
            pool.shutdown() shouldBe emptyList()
            hs.map { it.await() } shouldBe (1..6).toList()
        }
    }

    test("cancelling a queued handle removes the job; cancelling a running one cancels it") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1) }
            var ran = false
            val running = pool.submit(Job { delay(10_000) })
            val queued = pool.submit(Job { ran = true })
            runCurrent()
            queued.cancel() shouldBe true
            pool.metrics().queued shouldBe 0
            running.cancel() shouldBe true
            running.isCancelled shouldBe true
            pool.submit(Job { 7 }).await() shouldBe 7
            withClue("a job cancelled while queued never runs") { ran shouldBe false }
            queued.cancel() shouldBe false
        }
    }

    test("a job outliving its timeout is cancelled and fails with JobTimeoutException") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1) }
            val h = pool.submit(Job(timeout = 1.seconds) { ctx -> delay(5_000); ctx })
            val e = shouldThrow<JobTimeoutException> { h.await() }
            e.message shouldContain "1s"
            testScheduler.currentTime shouldBe 1_000L
            pool.metrics().timedOut shouldBe 1
            pool.submit(Job { "next" }).await() shouldBe "next"
        }
    }

    test("a worker whose job ignores cancellation past the grace is stuck and replaced; the job retries within its budget") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(2).stuckGrace(2.seconds).checkInterval(100.milliseconds) }
            val health = Collections.synchronizedList(ArrayList<WorkerHealthEvent>())
            pool.addListener(object : WorkerPoolListener {
                override fun onHealth(event: WorkerHealthEvent) {
                    health.add(event)
                }
            })
            var attempts = 0
            val h = pool.submit(Job(timeout = 1.seconds, maxRetries = 1) {
                if (++attempts == 1) withContext(NonCancellable) { delay(60_000) }
                "second try"
            })
            h.await() shouldBe "second try"
            attempts shouldBe 2
            health.map { it.health } shouldBe listOf(WorkerHealth.STUCK)
            withClue("the stuck worker shows until its job returns") {
                pool.workers().map { it.health }.count { it == WorkerHealth.STUCK } shouldBe 1
            }
            pool.metrics().retried shouldBe 1
            val lost = pool.submit(Job(timeout = 1.seconds) { withContext(NonCancellable) { delay(60_000) } })
            shouldThrow<WorkerLostException> { lost.await() }.message shouldContain "hung"
            pool.shutdownNow()
        }
    }

    test("a submitAll cancelled while it waits for room withdraws the jobs it had handed over") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1).queueCapacity(1) }
            val gate = CompletableDeferred<Unit>()
            val blocker = pool.submit(Job { gate.await() })
            runCurrent()
            val ran = Collections.synchronizedList(ArrayList<Int>())
            val call = launch { pool.submitAll((1..3).map { i -> Job { ran += i } }) }
            runCurrent()
            pool.metrics().queued shouldBe 1
            call.cancel()
            runCurrent()
            withClue("the queued job of the cancelled batch is gone") { pool.metrics().queued shouldBe 0 }
            gate.complete(Unit)
            blocker.await()
            pool.submit(Job { "after" }).await() shouldBe "after"
            ran shouldBe emptyList()
            pool.metrics().cancelled shouldBe 1
            pool.shutdownNow()
        }
    }

    test("a submitAll waiting for room when the pool shuts down gracefully withdraws the jobs it had handed over") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1).queueCapacity(1) }
            val gate = CompletableDeferred<Unit>()
            val blocker = pool.submit(Job { gate.await() })
            runCurrent()
            val ran = Collections.synchronizedList(ArrayList<Int>())
            val call = async { runCatching { pool.submitAll((1..3).map { i -> Job { ran += i } }) } }
            runCurrent()
            pool.metrics().queued shouldBe 1
            val shutdown = async { pool.shutdown(Context.background()) }
            runCurrent()
            (call.await().exceptionOrNull() is JobRejectedException) shouldBe true
            withClue("the batch's queued job was taken out before the graceful shutdown could run it") { pool.metrics().queued shouldBe 0 }
            gate.complete(Unit)
            blocker.await()
            shutdown.await() shouldBe emptyList()
            ran shouldBe emptyList()
        }
    }

    test("on a worker of capacity 2, a hung job abandons only its own slot: the other job finishes undisturbed") {
        runTest {
            val pool = pool {
                minWorkers(1).maxWorkers(1).profiles(listOf(WorkerProfile(capacity = 2))).stuckGrace(2.seconds).checkInterval(100.milliseconds)
            }
            val gate = CompletableDeferred<Unit>()
            val hung = pool.submit(Job(timeout = 1.seconds) { withContext(NonCancellable) { delay(60_000) } })
            val healthy = pool.submit(Job { gate.await(); "healthy" })
            delay(5_000)
            shouldThrow<WorkerLostException> { hung.await() }.message shouldContain "hung"
            withClue("the stuck worker keeps running the healthy job") {
                healthy.isDone shouldBe false
                pool.workers().map { it.health } shouldContainExactly listOf(WorkerHealth.STUCK, WorkerHealth.HEALTHY)
            }
            pool.submit(Job { "on the replacement" }).await() shouldBe "on the replacement"
            gate.complete(Unit)
            healthy.await() shouldBe "healthy"
            pool.metrics().completed shouldBe 2
            pool.shutdownNow()
        }
    }

    test("a job throwing an Error crashes its worker: RESTARTING, replaced, and a retryable job runs again elsewhere") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1) }
            val health = Collections.synchronizedList(ArrayList<WorkerHealthEvent>())
            pool.addListener(object : WorkerPoolListener {
                override fun onHealth(event: WorkerHealthEvent) {
                    health.add(event)
                }
            })
            var attempts = 0
            val h = pool.submit(Job(maxRetries = 2) { if (++attempts < 3) throw StackOverflowError("boom $attempts") else attempts })
            h.await() shouldBe 3
            health.map { it.health } shouldBe listOf(WorkerHealth.RESTARTING, WorkerHealth.RESTARTING)
            pool.workerCount shouldBe 1
            val noBudget = pool.submit(Job { throw OutOfMemoryError("fake") })
            val e = shouldThrow<WorkerLostException> { noBudget.await() }
            withClue("the Error is the cause (under -ea, kotlinx's stack-trace recovery may wrap the exception once more)") {
                generateSequence<Throwable>(e) { it.cause }.any { it is OutOfMemoryError } shouldBe true
            }
            e.message shouldContain "crashed"
            withClue("an ordinary exception is the job's result, never retried") {
                var runs = 0
                shouldThrow<IllegalStateException> { pool.submit(Job(maxRetries = 3) { runs++; error("plain") }).await() }
                runs shouldBe 1
            }
        }
    }

    test("capabilities: jobs requiring gpu run only on gpu workers, least loaded first; an impossible one is refused naming it") {
        runTest {
            val gpu = WorkerProfile(setOf("gpu"), capacity = 2)
            val pool = pool { minWorkers(3).maxWorkers(3).profiles(listOf(WorkerProfile(), gpu)) }
            runCurrent()
            val gate = CompletableDeferred<Unit>()
            val hs = (1..2).map { pool.submit(Job(requires = setOf("gpu")) { gate.await() }) }
            runCurrent()
            val busy = pool.workers().filter { it.running > 0 }
            withClue("two gpu jobs on the only gpu worker (the plain ones cannot take them)") {
                busy.map { it.profile } shouldBe listOf(gpu)
                busy.single().running shouldBe 2
            }
            val e = shouldThrow<JobRejectedException> { pool.submit(Job(requires = setOf("gpu", "tpu")) { }) }
            e.reason shouldBe JobRejectedException.Reason.NO_CAPABLE_WORKER
            e.message shouldContain "tpu"
            gate.complete(Unit)
            hs.forEach { it.await() }
        }
    }

    test("least loaded: jobs spread over idle capable workers") {
        runTest {
            val pool = pool { minWorkers(2).maxWorkers(2).profiles(listOf(WorkerProfile(setOf("gpu"), capacity = 2))) }
            runCurrent()
            val gate = CompletableDeferred<Unit>()
            val hs = (1..2).map { pool.submit(Job(requires = setOf("gpu")) { gate.await() }) }
            runCurrent()
            pool.workers().map { it.running } shouldBe listOf(1, 1)
            gate.complete(Unit)
            hs.forEach { it.await() }
        }
    }

    test("metrics count every outcome and the histograms give percentiles") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1) }
            pool.submit(Job { delay(100) }).await()
            shouldThrow<IllegalStateException> { pool.submit(Job { error("x") }).await() }
            val m = pool.metrics()
            m.submitted shouldBe 2
            m.completed shouldBe 1
            m.failed shouldBe 1
            m.queuedByPriority shouldBe listOf(0, 0, 0)
            withClue("a 100 ms job falls in the bucket [2^26, 2^27) ns") { m.runTimeP99Nanos shouldBe (1L shl 27) - 1 }
            m.workersByHealth[WorkerHealth.HEALTHY] shouldBe 1
        }
    }

    test("bad input is refused at the call, naming the value") {
        shouldThrow<IllegalArgumentException> { WorkerPoolConfig.builder().minWorkers(2).maxWorkers(1).build() }
            .message shouldBe "maxWorkers must be >= minWorkers (2), but was 1"
        shouldThrow<IllegalArgumentException> { WorkerPoolConfig.builder().queueCapacity(0) }.message shouldBe "queueCapacity must be >= 1, but was 0"
        shouldThrow<IllegalArgumentException> { WorkerPoolConfig.builder().scaleUpUtilisation(0.0) }.message shouldBe
            "scaleUpUtilisation must be in (0, 1], but was 0.0"
        shouldThrow<IllegalArgumentException> { WorkerPoolConfig.builder().shedPriority(3).build() }.message shouldBe
            "shedPriority must be < priorities (3), but was 3"
        shouldThrow<IllegalArgumentException> { WorkerPoolConfig.builder().profiles(listOf(WorkerProfile(), WorkerProfile(setOf("a")))).build() }
            .message shouldBe "minWorkers must be >= the number of profiles (2), but was 1"
        shouldThrow<IllegalArgumentException> { WorkerPoolConfig.builder().keepAlive(java.time.Duration.ZERO) }.message shouldBe
            "keepAlive must be > 0, but was 0s"
        shouldThrow<IllegalArgumentException> { WorkerProfile(capacity = 0) }.message shouldBe "capacity must be >= 1, but was 0"
        shouldThrow<IllegalArgumentException> { Job(timeout = 0.seconds) { } }.message shouldBe "timeout must be > 0, but was 0s"
        runTest {
            val pool = pool()
            shouldThrow<IllegalArgumentException> { pool.trySubmit(Job(priority = 3) { }) }.message shouldBe
                "priority must be in 0 until 3, but was 3"
        }
    }
})
