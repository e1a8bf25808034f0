package dev.conduit.sync

import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CompletableDeferred
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
import kotlinx.coroutines.yield
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration.Companion.microseconds
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class SemaphoreTest : FunSpec({
    test("bad arguments and over-release fail loudly, naming the values") {
        shouldThrow<IllegalArgumentException> { Semaphore(0) }.message shouldBe "capacity must be > 0, but was 0"
        val sem = Semaphore(3)
        shouldThrow<IllegalArgumentException> { sem.tryAcquire(-1) }.message shouldBe "n must be >= 0, but was -1"
        runTest {
            withClue("a wait for more than the capacity could never end: rejected at the call (Go waits for ctx)") {
                shouldThrow<IllegalArgumentException> { sem.acquire(n = 4) }.message shouldBe "n must be in 0..3, but was 4"
                shouldThrow<IllegalArgumentException> { sem.tryAcquire(1.seconds, 4) }.message shouldBe "n must be in 0..3, but was 4"
            }
        }
        shouldThrow<IllegalArgumentException> { sem.acquireBlocking(null, 4) }
        shouldThrow<IllegalArgumentException> { sem.acquireFuture(null, -1) }
        withClue("2 of 3 free permits") { sem.tryAcquire(2) shouldBe true }
        shouldThrow<IllegalStateException> { sem.release(3) }.message shouldBe "released 3 permit(s) but only 2 are held"
        sem.available shouldBe 1
        shouldThrow<IllegalArgumentException> { sem.release(-1) }.message shouldBe "n must be >= 0, but was -1"
    }

    test("as Go: tryAcquire of more than the capacity is false, weight 0 is free unless someone waits, release(0) does nothing") {
        runTest {
            val sem = Semaphore(3)
            withClue("tryAcquire(4) on a free Semaphore(3)") { sem.tryAcquire(4) shouldBe false }
            sem.available shouldBe 3
            sem.tryAcquire(0) shouldBe true
            sem.acquire(n = 0)
            sem.release(0)
            sem.available shouldBe 3
            sem.acquire(n = 3)
            val big = launch(start = CoroutineStart.UNDISPATCHED) { sem.acquire(n = 2) }
            withClue("a zero-weight tryAcquire does not pass a queued waiter") { sem.tryAcquire(0) shouldBe false }
            val zero = launch(start = CoroutineStart.UNDISPATCHED) { sem.acquire(n = 0) }
            runCurrent()
            withClue("a zero-weight acquire queues behind the waiter ahead of it") { zero.isCompleted shouldBe false }
            sem.release(3)
            big.join()
            zero.join()
            sem.available shouldBe 1
        }
    }

    test("as Go: a context done before the call fails the acquire even when permits are free") {
        runTest {
            val sem = Semaphore(1)
            val ctx = Context.background().withCancel()
            ctx.cancel()
            shouldThrow<ContextCanceledException> { sem.acquire(ctx) }
            shouldThrow<ContextCanceledException> { sem.acquireBlocking(ctx) }
            withClue("the future fails with the context's error") { sem.acquireFuture(ctx).handle { _, e -> e }.get().shouldBeInstanceOf<ContextCanceledException>() }
            sem.available shouldBe 1
        }
    }

    test("tryAcquire takes what is free and never queues") {
        val sem = Semaphore(2)
        withClue("both permits are free") {
            sem.tryAcquire() shouldBe true
            sem.tryAcquire() shouldBe true
        }
        withClue("no permit is left") { sem.tryAcquire() shouldBe false }
        sem.release(2)
        withClue("both permits were released") { sem.tryAcquire(2) shouldBe true }
    }

    test("acquire suspends until a release, and waiters are served first come, first served") {
        runTest {
            val sem = Semaphore(10)
            sem.acquire(n = 9)
            val order = ArrayList<String>()
            val big = launch(start = CoroutineStart.UNDISPATCHED) { sem.acquire(n = 5); order.add("big") }
            val small = launch(start = CoroutineStart.UNDISPATCHED) { sem.acquire(n = 1); order.add("small") }
            runCurrent()
            order shouldBe emptyList() // 1 is free, but the small request must not pass the big one
            withClue("tryAcquire must not pass the queued big request either") { sem.tryAcquire() shouldBe false }
            sem.release(9)
            big.join()
            small.join()
            order shouldBe listOf("big", "small")
            sem.available shouldBe 4
        }
    }

    test("a waiter whose context is done fails and holds nothing; the queue moves on") {
        runTest {
            val sem = Semaphore(2)
            sem.acquire(n = 2)
            val ctx = Context.background().withCancel()
            val head = async(start = CoroutineStart.UNDISPATCHED) { runCatching { sem.acquire(ctx, 2) } }
            val next = launch(start = CoroutineStart.UNDISPATCHED) { sem.acquire(n = 1) }
            ctx.cancel()
            head.await().exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            sem.release(1)
            next.join()
            sem.available shouldBe 0
        }
    }

    test("tryAcquire with a timeout gives up in virtual time and holds nothing") {
        runTest {
            val sem = Semaphore(1)
            sem.acquire()
            withClue("the only permit is held: the timed tryAcquire must give up") { sem.tryAcquire(250.milliseconds) shouldBe false }
            currentTime shouldBe 250L
            sem.release()
            sem.available shouldBe 1
        }
    }

    test("permits granted to a waiter cancelled at that moment go back") {
        runTest {
            val sem = Semaphore(1)
            sem.acquire()
            val waiter = launch(start = CoroutineStart.UNDISPATCHED) { sem.acquire() }
            sem.release() // grants the waiter; its coroutine has not resumed yet
            waiter.cancel()
            runCurrent()
            sem.available shouldBe 1 // the permit granted to the cancelled waiter came back
        }
    }

    test("stress: weighted acquires, releases and cancellations never exceed capacity or leak") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                val sem = Semaphore(8)
                val inUse = AtomicLong()
                val peak = AtomicLong()
                val acquired = AtomicLong()
                val timedOut = AtomicLong()
                // Both ways a timed acquire ends must happen, by construction rather than by luck: the test
                // holds every permit until the first timed acquire has timed out, and no worker stops
                // before some acquire has succeeded.
                sem.acquire(n = 8)
                val firstTimeout = CompletableDeferred<Unit>()
                coroutineScope {
                    launch {
                        firstTimeout.await()
                        sem.release(8)
                    }
                    repeat(16) {
                        launch {
                            var round = 0
                            while (round++ < 300 || acquired.get() == 0L) {
                                val n = ThreadLocalRandom.current().nextLong(1, 5)
                                if (sem.tryAcquire(10.microseconds, n)) {
                                    acquired.incrementAndGet()
                                    peak.accumulateAndGet(inUse.addAndGet(n), ::maxOf)
                                    yield()
                                    inUse.addAndGet(-n)
                                    sem.release(n)
                                } else {
                                    timedOut.incrementAndGet()
                                    firstTimeout.complete(Unit)
                                }
                            }
                        }
                    }
                }
                withClue("$acquired acquired, $timedOut timed out, peak $peak permits in use") {
                    peak.get() shouldBeLessThanOrEqual 8L
                    acquired.get() shouldBeGreaterThan 0L
                    timedOut.get() shouldBeGreaterThan 0L
                }
                sem.available shouldBe 8
            }
        }
    }
})

class WaitGroupTest : FunSpec({
    test("wait returns at once at zero and after the last done otherwise") {
        runTest {
            val wg = WaitGroup()
            wg.wait()
            wg.add(2)
            val waiting = List(3) { launch(start = CoroutineStart.UNDISPATCHED) { wg.wait() } }
            wg.done()
            runCurrent()
            withClue("no wait may return while the count is 1") { waiting.filter { it.isCompleted } shouldBe emptyList() }
            wg.done()
            waiting.forEach { it.join() }
            wg.count shouldBe 0
        }
    }

    test("a negative counter fails and leaves the count unchanged") {
        val wg = WaitGroup()
        wg.add(1)
        shouldThrow<IllegalStateException> { wg.add(-2) }.message shouldBe "negative WaitGroup counter: 1 + (-2)"
        wg.count shouldBe 1
        wg.done()
        shouldThrow<IllegalStateException> { wg.done() }
    }

    test("go counts each goroutine in and out, however it ends, and the group is reusable") {
        runBlocking {
            withTimeout(10.seconds) {
                val wg = WaitGroup()
                val finished = AtomicLong()
                repeat(50) { i ->
                    wg.go {
                        if (i % 10 == 0) error("task $i fails")
                        finished.incrementAndGet()
                    }
                }
                dev.conduit.GoRuntime.setUncaughtExceptionHandler { }
                try {
                    wg.wait()
                } finally {
                    dev.conduit.GoRuntime.setUncaughtExceptionHandler(null)
                }
                finished.get() shouldBe 45
                wg.go { finished.incrementAndGet() }
                wg.wait()
                finished.get() shouldBe 46
            }
        }
    }
})

