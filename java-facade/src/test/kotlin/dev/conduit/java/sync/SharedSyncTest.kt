package dev.conduit.java.sync

import dev.conduit.java.resilience.RateLimiter
import dev.conduit.sync.ErrGroupException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

/**
 * A sync object made through the Java facade is the Kotlin object behind [Semaphore.unwrap] and
 * friends, and the other way round with `wrap`: Java threads and Kotlin coroutines wait on it
 * together. The Java calls here block the test thread; the coroutines run on
 * `Dispatchers.Default`.
 */
class SharedSyncTest {
    private val limit = 10.seconds

    @Test
    fun javaAndKotlinShareOneSemaphore() = runBlocking {
        val sem = Semaphore.create(1)
        sem.acquire()
        val kotlin = async(Dispatchers.Default) { sem.unwrap().acquire(); "acquired" }
        sem.release()
        assertEquals("acquired", withTimeout(limit) { kotlin.await() })
        assertFalse(sem.tryAcquire(), "the coroutine holds the only permit")
        sem.unwrap().release()
        assertEquals(1L, sem.available())
    }

    @Test
    fun javaAndKotlinShareOneMutexAndRWMutex() = runBlocking {
        val mu = Mutex.create()
        mu.lock()
        val kotlin = async(Dispatchers.Default) { mu.unwrap().withLock { "locked in Kotlin" } }
        mu.unlock()
        assertEquals("locked in Kotlin", withTimeout(limit) { kotlin.await() })
        assertFalse(mu.isLocked)

        val rw = RWMutex.wrap(dev.conduit.sync.RWMutex())
        rw.lock()
        val reader = async(Dispatchers.Default) { rw.unwrap().withRLock { rw.readersHeld() } }
        rw.unlock()
        assertEquals(1L, withTimeout(limit) { reader.await() })
        assertTrue(rw.tryLock())
        rw.unlock()
    }

    @Test
    fun aJavaSignalWakesAKotlinWaiter() = runBlocking {
        val mu = Mutex.create()
        val cond = Cond.create(mu)
        val ready = CompletableDeferred<Unit>()
        val kotlin = launch(Dispatchers.Default) {
            mu.unwrap().withLock {
                ready.complete(Unit)
                cond.unwrap().await()
            }
        }
        withTimeout(limit) { ready.await() }
        mu.lock() // free only once the coroutine's await released it, queued
        cond.signal()
        mu.unlock()
        withTimeout(limit) { kotlin.join() }
        assertFalse(mu.isLocked)
    }

    @Test
    fun javaThreadsAndKotlinCoroutinesMeetAtOneBarrierAndWaitGroup() = runBlocking {
        val barrier = Barrier.create(2)
        val kotlin = async(Dispatchers.Default) { barrier.unwrap().await() }
        val javaIndex = barrier.await()
        assertEquals(setOf(0, 1), setOf(javaIndex, withTimeout(limit) { kotlin.await() }))

        val wg = WaitGroup.wrap(dev.conduit.sync.WaitGroup())
        val ran = AtomicInteger()
        repeat(3) { wg.unwrap().go { ran.incrementAndGet() } }
        wg.go { ran.incrementAndGet() }
        wg.await()
        assertEquals(4, ran.get())
    }

    @Test
    fun onceAndOnceValueAreSharedWithKotlin() = runBlocking {
        val once = Once.create()
        val runs = AtomicInteger()
        once.unwrap().run { runs.incrementAndGet() }
        once.run<RuntimeException> { runs.incrementAndGet() }
        assertEquals(1, runs.get())

        val computed = AtomicInteger()
        val kotlinValue = dev.conduit.sync.OnceValue { "computed #" + computed.incrementAndGet() }
        val value = OnceValue.wrap(kotlinValue)
        assertEquals("computed #1", value.get())
        assertEquals("computed #1", kotlinValue.get())
        assertEquals(1, computed.get())
    }

    @Test
    fun javaAndKotlinTasksInOneErrGroup() = runBlocking {
        val group = ErrGroup.collectAll()
        group.unwrap().go("kotlin task") { throw IOException("from Kotlin") }
        group.go("java task") { throw IOException("from Java") }
        val e = assertThrows(ErrGroupException::class.java) { group.await() }
        assertEquals(setOf("kotlin task", "java task"), e.failures.map { it.task }.toSet())
        e.failures.forEach { assertInstanceOf(IOException::class.java, it.error) }
    }

    @Test
    fun javaAndKotlinTakeFromOneBucket() = runBlocking {
        val limiter = RateLimiter.create(1000.0, 1)
        assertTrue(limiter.allow())
        withTimeout(limit) { limiter.unwrap().wait() } // the next token is due within a millisecond
        limiter.await()
        limiter.close()
        assertThrows(IllegalStateException::class.java) { limiter.unwrap().allow() }
        Unit
    }
}
