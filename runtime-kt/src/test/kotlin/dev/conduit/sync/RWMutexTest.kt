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
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

class RWMutexTest : FunSpec({
    test("many readers at once, or one writer; unlocking what is not held fails loudly") {
        val rw = RWMutex()
        withClue("two readers may hold the lock at once") {
            rw.tryRLock() shouldBe true
            rw.tryRLock() shouldBe true
        }
        rw.readersHeld shouldBe 2
        withClue("a writer must not get in while readers hold the lock") { rw.tryLock() shouldBe false }
        rw.rUnlock()
        rw.rUnlock()
        shouldThrow<IllegalStateException> { rw.rUnlock() }.message shouldBe "rUnlock of unlocked RWMutex"
        withClue("a writer gets a free lock") { rw.tryLock() shouldBe true }
        withClue("isWriteLocked while a writer holds it") { rw.isWriteLocked shouldBe true }
        withClue("nobody else gets in while a writer holds it") {
            rw.tryRLock() shouldBe false
            rw.tryLock() shouldBe false
        }
        shouldThrow<IllegalStateException> { rw.rUnlock() }
        rw.unlock()
        shouldThrow<IllegalStateException> { rw.unlock() }.message shouldBe "unlock of unlocked RWMutex"
    }

    test("a waiting writer is not starved by a stream of readers: later readers queue behind it") {
        runTest {
            val rw = RWMutex()
            rw.rLock()
            val order = ArrayList<String>()
            val writer = launch(start = CoroutineStart.UNDISPATCHED) { rw.withLock { order.add("writer") } }
            withClue("a writer waits: no new reader gets in, not even by try") { rw.tryRLock() shouldBe false }
            val lateReaders = (1..3).map { i ->
                launch(start = CoroutineStart.UNDISPATCHED) { rw.withRLock { order.add("reader$i") } }
            }
            runCurrent()
            order shouldBe emptyList()
            rw.rUnlock() // the first reader leaves: the writer goes before the late readers
            writer.join()
            lateReaders.forEach { it.join() }
            order shouldBe listOf("writer", "reader1", "reader2", "reader3")
        }
    }

    test("readers queued behind a writer enter together when it unlocks") {
        runTest {
            val rw = RWMutex()
            rw.lock()
            val inside = AtomicInteger()
            var most = 0
            val gate = kotlinx.coroutines.CompletableDeferred<Unit>()
            val readers = (1..4).map {
                launch(start = CoroutineStart.UNDISPATCHED) {
                    rw.withRLock {
                        most = maxOf(most, inside.incrementAndGet())
                        gate.await()
                        inside.decrementAndGet()
                    }
                }
            }
            rw.unlock()
            runCurrent()
            most shouldBe 4
            gate.complete(Unit)
            readers.forEach { it.join() }
            withClue("the readers must have released the lock") { rw.tryLock() shouldBe true }
        }
    }

    test("a writer or reader that gives up holds nothing, and those behind it move up") {
        runTest {
            val rw = RWMutex()
            rw.rLock()
            val ctx = Context.background().withCancel()
            val writer = async(start = CoroutineStart.UNDISPATCHED) { runCatching { rw.lock(ctx) } }
            val reader = async(start = CoroutineStart.UNDISPATCHED) { rw.rLock(); "read" }
            runCurrent()
            withClue("a reader must queue behind a waiting writer") { reader.isCompleted shouldBe false }
            ctx.cancel()
            runCurrent()
            writer.await().exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            reader.await() shouldBe "read" // the writer left the queue, so the reader joins the first
            rw.readersHeld shouldBe 2
            withClue("the writer that gave up must not hold the lock") { rw.isWriteLocked shouldBe false }
            val cancelled = launch(start = CoroutineStart.UNDISPATCHED) { rw.lock() }
            cancelled.cancel()
            runCurrent()
            rw.rUnlock()
            rw.rUnlock()
            withClue("the cancelled writer must hold nothing once the readers left") { rw.tryLock() shouldBe true }
        }
    }

    test("thread and future forms: timeouts give up holding nothing; a cancelled future holds nothing") {
        val rw = RWMutex()
        rw.lockBlocking(null, 0) shouldBe true
        withClue("the write lock is held: a timed write or read lock gives up") {
            rw.lockBlocking(null, 1_000_000) shouldBe false
            rw.rLockBlocking(null, 0) shouldBe false
        }
        val reader = rw.rLockFuture()
        val writer = rw.lockFuture(Context.background())
        val ctx = Context.background().withCancel()
        val ended = rw.rLockFuture(ctx)
        withClue("a waiting request is withdrawn by cancel") { writer.cancel(false) shouldBe true }
        ctx.cancel()
        withClue("a request whose context ends fails with its error") {
            ended.handle { _, e -> e }.get(10, TimeUnit.SECONDS).shouldBeInstanceOf<ContextCanceledException>()
        }
        rw.unlock()
        reader.get(10, TimeUnit.SECONDS)
        rw.readersHeld shouldBe 1L
        rw.rLockBlocking(Context.background()) shouldBe true
        rw.readersHeld shouldBe 2L
        rw.rUnlock()
        rw.rUnlock()
        withClue("nothing is held or queued") { rw.tryLock() shouldBe true }
        rw.unlock()
        withClue("a context done already fails the future at once") {
            rw.lockFuture(ctx).isCompletedExceptionally shouldBe true
        }
    }

    test("a future cancelled as the lock is granted never leaves it held") {
        val rw = RWMutex()
        repeat(1_000) { round ->
            rw.lockBlocking()
            val writer = rw.lockFuture()
            val unlocker = Thread { rw.unlock() }.also { it.start() }
            val withdrawn = writer.cancel(false)
            unlocker.join(10_000)
            if (!withdrawn) {
                writer.get(10, TimeUnit.SECONDS)
                rw.unlock()
            }
            withClue("round $round: free again") { rw.tryLock() shouldBe true }
            rw.unlock()
        }
    }

    test("stress: writers exclude everyone, readers only writers") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                val rw = RWMutex()
                val readers = AtomicInteger()
                val writers = AtomicInteger()
                var value = 0
                var violations = 0
                coroutineScope {
                    repeat(2) {
                        launch {
                            repeat(2_000) {
                                rw.withLock {
                                    if (writers.incrementAndGet() != 1 || readers.get() != 0) violations++
                                    value++
                                    writers.decrementAndGet()
                                }
                                if (it % 50 == 0) yield()
                            }
                        }
                    }
                    repeat(6) {
                        launch {
                            repeat(4_000) {
                                rw.withRLock {
                                    readers.incrementAndGet()
                                    if (writers.get() != 0) violations++
                                    readers.decrementAndGet()
                                }
                                if (it % 50 == 0) yield()
                            }
                        }
                    }
                }
                violations shouldBe 0
                value shouldBe 4_000
            }
        }
    }
})
