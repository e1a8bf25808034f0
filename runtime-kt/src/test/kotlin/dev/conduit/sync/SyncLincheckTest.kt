package dev.conduit.sync

import dev.conduit.plainModelChecking
import dev.conduit.stressChecking
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.Validate
import org.jetbrains.lincheck.datastructures.LongGen

/** Semaphore operations; every outcome, errors included, is part of what is checked. */
@Param(name = "n", gen = LongGen::class, conf = "1:3")
class SemaphoreOps {
    private val sem = Semaphore(3)

    @Operation
    fun tryAcquire(@Param(name = "n") n: Long): Boolean = sem.tryAcquire(n)

    @Operation
    fun release(@Param(name = "n") n: Long): String =
        try {
            sem.release(n)
            "released"
        } catch (e: IllegalStateException) {
            e.message!!
        }

    @Operation
    fun available(): Long = sem.available

    @Operation
    suspend fun acquire(@Param(name = "n") n: Long): String {
        sem.acquire(n = n)
        return "acquired"
    }
}

/**
 * Mutual exclusion of the channel-built mutex, checked as an invariant over every explored
 * interleaving: a counter read and written in two steps under the lock (taken by `tryLock` or
 * by the suspending `lock`) never loses an update.
 * (`tryLock`/`unlock` are not checked for linearizability: they inherit the relaxation of
 * kotlinx's `trySend`/`tryReceive`, so two racing `tryLock`s on a free mutex may both fail.)
 */
class MutexOps {
    private val mu = Mutex()
    private var counter = 0
    private val entered = java.util.concurrent.atomic.AtomicInteger()

    @Operation
    fun incrementIfFree() {
        if (!mu.tryLock()) return
        try {
            val seen = counter
            counter = seen + 1
            entered.incrementAndGet()
        } finally {
            mu.unlock()
        }
    }

    @Operation
    suspend fun increment() {
        mu.withLock {
            val seen = counter
            counter = seen + 1
            entered.incrementAndGet()
        }
    }

    @Validate
    fun noLostUpdate() {
        check(counter == entered.get()) { "two holders at once: counter=$counter, entries=${entered.get()}" }
    }
}

/** WaitGroup counting; errors for a negative count included. */
class WaitGroupOps {
    private val wg = WaitGroup()

    @Operation
    fun add(): Unit = wg.add(1)

    @Operation
    fun done(): String =
        try {
            wg.done()
            "done"
        } catch (e: IllegalStateException) {
            e.message!!
        }

    @Operation
    fun count(): Long = wg.count
}

class SyncLincheckTest : FunSpec({
    test("Semaphore is linearizable under model checking") {
        suspendingModelChecking().check(SemaphoreOps::class)
    }

    test("Mutex excludes under model checking") {
        suspendingModelChecking().check(MutexOps::class)
    }

    test("WaitGroup is linearizable under model checking") {
        plainModelChecking().check(WaitGroupOps::class)
    }

    for (ops in listOf(SemaphoreOps::class, MutexOps::class, WaitGroupOps::class)) {
        test("${ops.simpleName} holds under stress") {
            stressChecking().check(ops)
        }
    }
})
