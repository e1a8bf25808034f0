package dev.conduit.sync

import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.util.Collections
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.seconds

class LockOrderTest : FunSpec({
    val found = Collections.synchronizedList(ArrayList<LockOrderViolation>())
    beforeTest { found.clear(); LockOrder.enable { found += it } }
    afterTest { LockOrder.disable() }

    test("an inversion is reported on a run that does not deadlock, naming the cycle and both orders") {
        runTest {
            val a = Mutex("a")
            val b = Mutex("b")
            launch(CoroutineName("first")) { a.withLock { b.withLock {} } }.join()
            found shouldBe emptyList()
            launch(CoroutineName("second")) { b.withLock { a.withLock {} } }.join()
            val v = found.single()
            v.cycle shouldContainExactly listOf("Mutex 'b'", "Mutex 'a'")
            v.witnesses.map { Triple(it.from, it.to, it.by) } shouldContainExactly listOf(
                Triple("Mutex 'b'", "Mutex 'a'", "coroutine 'second'"),
                Triple("Mutex 'a'", "Mutex 'b'", "coroutine 'first'"),
            )
            v.selfDeadlock shouldBe false
            v.toString() shouldContain "lock order inversion, a possible deadlock: Mutex 'b' -> Mutex 'a' -> Mutex 'b'"
            v.toString() shouldContain "LockOrderTest"
            withClue("each inversion once") {
                launch { b.withLock { a.withLock {} } }.join()
                found.size shouldBe 1
            }
        }
    }

    /** Runs [body] on a thread of its own (not a coroutine's), joined. */
    fun onThread(body: () -> Unit) {
        var failure: Throwable? = null
        thread { try { body() } catch (e: Throwable) { failure = e } }.join(30_000)
        failure?.let { throw it }
    }

    test("a thread's tryLockOnThread counts as held, as lockBlocking does (a lock taken after it is ordered after it, and the try itself is not checked); a plain tryLock knows no holder") {
        val a = Mutex("a")
        val b = Mutex("b")
        onThread {
            a.tryLockOnThread() shouldBe true
            b.lockBlocking() shouldBe true
            b.unlock()
            a.unlock()
            b.lockBlocking() shouldBe true
            a.tryLockOnThread() shouldBe true // b then a, but a try cannot deadlock: not checked
            a.unlock()
            b.unlock()
        }
        found shouldBe emptyList()
        onThread {
            b.lockBlocking() shouldBe true
            a.lockBlocking() shouldBe true // b then a: the inverse of what the try began
            a.unlock()
            b.unlock()
        }
        found.single().cycle shouldContainExactly listOf("Mutex 'b'", "Mutex 'a'")
        found.clear()
        val c = Mutex("c")
        val d = Mutex("d")
        onThread {
            c.tryLock() shouldBe true
            d.lockBlocking() shouldBe true // nothing known held before: no edge
            d.unlock()
            c.unlock()
            d.lockBlocking() shouldBe true
            c.lockBlocking() shouldBe true
            c.unlock()
            d.unlock()
        }
        found shouldBe emptyList()
    }

    test("on a thread of kotlinx's shared pool a thread's lock records nothing: a coroutine there may suspend holding it") {
        val a = Mutex("a")
        val b = Mutex("b")
        runBlocking(Dispatchers.Default) {
            a.tryLockOnThread() shouldBe true
            b.lockBlocking() shouldBe true // would be an edge a -> b on a thread of its own
            b.unlock()
            a.unlock()
        }
        onThread {
            b.lockBlocking() shouldBe true
            a.lockBlocking() shouldBe true
            a.unlock()
            b.unlock()
        }
        found shouldBe emptyList()
    }

    test("a cycle through three mutexes and three callers is found, in order") {
        runTest {
            val (a, b, c) = listOf(Mutex("a"), Mutex("b"), Mutex("c"))
            a.withLock { b.withLock {} }
            b.withLock { c.withLock {} }
            found shouldBe emptyList()
            c.withLock { a.withLock {} }
            found.single().cycle shouldContainExactly listOf("Mutex 'c'", "Mutex 'a'", "Mutex 'b'")
        }
    }

    test("a consistent order, unnamed mutexes and unlocking by another caller raise nothing") {
        runTest {
            val a = Mutex()
            val b = Mutex()
            repeat(3) { a.withLock { b.withLock {} } }
            a.lock()
            launch { a.unlock() }.join() // Go allows it: a leaves its locker's held set all the same
            b.withLock {}
            a.withLock {}
            found shouldBe emptyList()
            a.toString() shouldBe "Mutex#${a.order}(locked=false)"
        }
    }

    test("threads are callers too: lockBlocking records the thread's order") {
        val a = Mutex("a")
        val b = Mutex("b")
        fun nest(first: Mutex, second: Mutex) {
            first.lockBlocking(); second.lockBlocking(); second.unlock(); first.unlock()
        }
        thread(name = "t1") { nest(a, b) }.join(10_000)
        thread(name = "t2") { nest(b, a) }.join(10_000)
        found.single().witnesses.map { it.by } shouldContainExactly listOf("thread 't2'", "thread 't1'")
    }

    test("locking a mutex the caller holds is a self-deadlock report; THROW fails the call before it waits") {
        runTest {
            LockOrder.enable(LockOrder.THROW)
            val a = Mutex("a")
            val b = Mutex("b")
            a.lock()
            val e = shouldThrow<LockOrderException> { a.lock() }
            e.violation.selfDeadlock shouldBe true
            e.message shouldContain "self-deadlock: Mutex 'a'"
            a.unlock()
            b.withLock { a.withLock {} }
            shouldThrow<LockOrderException> { a.withLock { b.lock() } }
            withClue("the failed call did not lock") { b.isLocked shouldBe false }
            a.isLocked shouldBe false
        }
    }

    test("a bounded wait is not checked (it cannot deadlock), and Cond's re-lock after a wait is not checked again") {
        LockOrder.enable(LockOrder.THROW)
        val a = Mutex("a")
        val b = Mutex("b")
        b.lockBlocking(); a.lockBlocking(); a.unlock(); b.unlock() // b before a
        a.lockBlocking()
        withClue("a timed lock of b while holding a: no report, and it is taken") { b.lockBlocking(null, 1_000_000L) shouldBe true }
        b.unlock()
        withClue("a lock of a held mutex with a zero timeout just fails") { a.lockBlocking(null, 0L) shouldBe false }
        a.unlock()
        val cond = Cond(b)
        val x = Mutex("x")
        b.lockBlocking()
        x.lockBlocking() // b before x
        withClue("the wait times out and re-locks b while x is held; that re-lock is not a new order") {
            cond.awaitBlocking(null, 1_000_000L) shouldBe false
        }
        withClue("await returned holding its mutex") { b.isLocked shouldBe true }
        x.unlock()
        b.unlock()
    }

    test("off, nothing is recorded") {
        runTest {
            LockOrder.disable()
            LockOrder.isEnabled shouldBe false
            val a = Mutex("a")
            val b = Mutex("b")
            a.withLock { b.withLock {} }
            LockOrder.enable { found += it }
            b.withLock { a.withLock {} }
            found shouldBe emptyList()
        }
    }

    test("lockAll takes any set in the global order: crossing callers never deadlock and raise nothing") {
        val a = Mutex("a")
        val b = Mutex("b")
        val c = Mutex("c")
        var count = 0
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                (1..4).map { i ->
                    async {
                        repeat(2_000) {
                            val set = if (i % 2 == 0) arrayOf(c, b, a) else arrayOf(a, c)
                            withLockAll(*set) { count++ }
                        }
                    }
                }.awaitAll()
            }
        }
        count shouldBe 8_000
        found shouldBe emptyList()
        listOf(a, b, c).forEach { it.isLocked shouldBe false }
    }

    test("lockAll refuses a mutex given twice, and holds none when a lock fails") {
        runTest {
            val a = Mutex("a")
            val b = Mutex("b")
            shouldThrow<IllegalArgumentException> { lockAll(a, b, a) }.message shouldBe "mutexes must be distinct, but Mutex 'a' is given twice"
            a.isLocked shouldBe false
            b.lock()
            val ctx = Context.background().withCancel()
            val call = async(start = CoroutineStart.UNDISPATCHED) { runCatching { lockAll(b, a, ctx = ctx) } }
            runCurrent()
            withClue("a, first in the order, is held while it waits for b") { a.isLocked shouldBe true }
            ctx.cancel()
            (call.await().exceptionOrNull() is ContextCanceledException) shouldBe true
            a.isLocked shouldBe false
            b.unlock()
            lockAll(b, a)
            unlockAll(a, b)
            shouldThrow<IllegalStateException> { unlockAll(a, b) }.suppressed.size shouldBe 1
        }
    }
})
