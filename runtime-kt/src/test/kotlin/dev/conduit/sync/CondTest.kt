package dev.conduit.sync

import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration.Companion.seconds

class CondTest : FunSpec({
    test("signal wakes the longest waiter, one at a time; each returns holding the lock") {
        runTest {
            val mu = Mutex()
            val cond = Cond(mu)
            val woke = ArrayList<Int>()
            val waiters = (1..3).map { i ->
                launch(start = CoroutineStart.UNDISPATCHED) {
                    mu.withLock {
                        cond.await()
                        woke.add(i)
                    }
                }
            }
            runCurrent()
            withClue("every waiter must release the lock while waiting") { mu.tryLock() shouldBe true }
            mu.unlock()
            cond.signal()
            runCurrent()
            woke shouldBe listOf(1)
            cond.signal()
            cond.signal()
            waiters.forEach { it.join() }
            woke shouldBe listOf(1, 2, 3)
        }
    }

    test("broadcast wakes everyone waiting now; a signal with nobody waiting is not remembered") {
        runTest {
            val mu = Mutex()
            val cond = Cond(mu)
            cond.signal()
            cond.broadcast()
            var woke = 0
            val waiters = (1..4).map {
                launch(start = CoroutineStart.UNDISPATCHED) { mu.withLock { cond.await(); woke++ } }
            }
            runCurrent()
            woke shouldBe 0
            cond.broadcast()
            waiters.forEach { it.join() }
            woke shouldBe 4
        }
    }

    test("a waiter whose context is done throws its error holding the lock again") {
        runTest {
            val mu = Mutex()
            val cond = Cond(mu)
            val ctx = Context.background().withCancel()
            val quitter = async(start = CoroutineStart.UNDISPATCHED) {
                mu.withLock {
                    runCatching { cond.await(ctx) }.also {
                        withClue("an await that gave up must still return holding the lock") { mu.tryLock() shouldBe false }
                    }
                }
            }
            ctx.cancel()
            quitter.await().exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            withClue("the quitter's withLock must have unlocked") { mu.tryLock() shouldBe true }
        }
    }

    test("a waiter cancelled after it was signalled passes the signal on") {
        runTest {
            val mu = Mutex()
            val cond = Cond(mu)
            val quitter = launch(start = CoroutineStart.UNDISPATCHED) { mu.withLock { cond.await() } }
            val stayer = async(start = CoroutineStart.UNDISPATCHED) { mu.withLock { cond.await(); "woke" } }
            cond.signal() // reaches the quitter first...
            quitter.cancel() // ...which is cancelled before it runs, so the signal goes on
            stayer.await() shouldBe "woke"
            withClue("neither waiter may leave the mutex held") { mu.tryLock() shouldBe true }
        }
    }

    test("a cancelled waiter is skipped by signal and still unlocks in its withLock") {
        runTest {
            val mu = Mutex()
            val cond = Cond(mu)
            val cancelled = launch(start = CoroutineStart.UNDISPATCHED) { mu.withLock { cond.await() } }
            val stayer = async(start = CoroutineStart.UNDISPATCHED) { mu.withLock { cond.await(); "woke" } }
            cancelled.cancel()
            runCurrent()
            cond.signal()
            stayer.await() shouldBe "woke"
            withClue("the cancelled waiter's withLock must have unlocked") { mu.tryLock() shouldBe true }
        }
    }

    test("await without holding the lock fails and leaves no waiter behind") {
        runTest {
            val cond = Cond(Mutex())
            shouldThrow<IllegalStateException> { cond.await() }.message shouldBe "await on a Cond whose mutex is not held"
            val waiter = launch(start = CoroutineStart.UNDISPATCHED) { cond.mutex.withLock { cond.await() } }
            runCurrent()
            cond.signal()
            waiter.join()
        }
    }

    test("stress: a bounded queue on one mutex and two conds moves every item once") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                val mu = Mutex()
                val notEmpty = Cond(mu)
                val notFull = Cond(mu)
                val queue = ArrayDeque<Int>()
                val producers = 4
                val perProducer = 2_000
                var sum = 0L
                coroutineScope {
                    repeat(producers) { p ->
                        launch {
                            repeat(perProducer) { i ->
                                mu.withLock {
                                    while (queue.size >= 8) notFull.await()
                                    queue.addLast(p * perProducer + i)
                                    notEmpty.signal()
                                }
                            }
                        }
                    }
                    repeat(2) {
                        launch {
                            repeat(producers * perProducer / 2) {
                                mu.withLock {
                                    while (queue.isEmpty()) notEmpty.await()
                                    sum += queue.removeFirst()
                                    notFull.signal()
                                }
                            }
                        }
                    }
                }
                val n = producers * perProducer
                sum shouldBe n.toLong() * (n - 1) / 2
            }
        }
    }
})
