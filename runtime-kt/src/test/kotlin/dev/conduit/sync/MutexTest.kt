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
import kotlinx.coroutines.yield
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds

class MutexTest : FunSpec({
    test("tryLock, unlock, and unlocking an unlocked mutex fails loudly") {
        val mu = Mutex()
        withClue("tryLock of a free mutex must succeed") { mu.tryLock() shouldBe true }
        withClue("tryLock of a held mutex must fail") { mu.tryLock() shouldBe false }
        mu.unlock()
        shouldThrow<IllegalStateException> { mu.unlock() }.message shouldBe "unlock of unlocked mutex"
    }

    test("waiters get the lock in arrival order") {
        runTest {
            val mu = Mutex()
            mu.lock()
            val order = ArrayList<Int>()
            val waiters = (1..4).map { i -> launch(start = CoroutineStart.UNDISPATCHED) { mu.withLock { order.add(i) } } }
            mu.unlock()
            waiters.forEach { it.join() }
            order shouldBe listOf(1, 2, 3, 4)
            withClue("the last waiter must have released the mutex") { mu.tryLock() shouldBe true }
        }
    }

    test("a waiter whose context is done, or whose coroutine is cancelled, never holds the lock") {
        runTest {
            val mu = Mutex()
            mu.lock()
            val ctx = Context.background().withCancel()
            val byContext = async(start = CoroutineStart.UNDISPATCHED) { runCatching { mu.lock(ctx) } }
            val byCancel = launch(start = CoroutineStart.UNDISPATCHED) { mu.lock() }
            ctx.cancel()
            byCancel.cancel()
            runCurrent()
            byContext.await().exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            mu.unlock()
            withClue("neither waiter that gave up may hold the mutex") { mu.tryLock() shouldBe true }
        }
    }

    test("a waiter cancelled just as the lock is handed to it does not leave it locked by nobody") {
        runTest {
            val mu = Mutex()
            mu.lock()
            val waiter = launch(start = CoroutineStart.UNDISPATCHED) { mu.withLock { } }
            mu.unlock() // hands the lock to the waiter, whose coroutine has not resumed yet
            waiter.cancel()
            runCurrent()
            withClue("the lock handed to a cancelled waiter must come back free") { mu.tryLock() shouldBe true }
        }
    }

    test("lockFuture: a waiting request is withdrawn by cancel, or failed by its context") {
        val mu = Mutex()
        mu.lockFuture().isDone shouldBe true
        val withdrawn = mu.lockFuture()
        val ctx = Context.background().withCancel()
        val ended = mu.lockFuture(ctx)
        val next = mu.lockFuture(Context.background())
        withClue("a waiting request is withdrawn by cancel") { withdrawn.cancel(false) shouldBe true }
        ctx.cancel()
        withClue("a request whose context ends fails with its error") {
            ended.handle { _, e -> e }.get(10, TimeUnit.SECONDS).shouldBeInstanceOf<ContextCanceledException>()
        }
        mu.unlock()
        withClue("the lock went to the one request still waiting") { next.get(10, TimeUnit.SECONDS) }
        mu.unlock()
        withClue("a context done already fails the future at once") { mu.lockFuture(ctx).isCompletedExceptionally shouldBe true }
        mu.isLocked shouldBe false
    }

    test("stress: a counter guarded by the mutex loses no increment") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                val mu = Mutex()
                var counter = 0
                coroutineScope {
                    repeat(8) {
                        launch {
                            repeat(5_000) {
                                mu.withLock { counter++ }
                                if (it % 100 == 0) yield()
                            }
                        }
                    }
                }
                counter shouldBe 40_000
            }
        }
    }
})
