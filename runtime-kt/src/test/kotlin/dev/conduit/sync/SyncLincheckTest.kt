package dev.conduit.sync

import dev.conduit.lincheckTests
import dev.conduit.outcome
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.LongGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import kotlin.time.Duration

/**
 * Every operation of the semaphore that a sequential run can explain, each outcome (errors
 * included) checked against the same semaphore run sequentially; Lincheck cancels suspended
 * acquires.
 * - `tryAcquire(timeout)` runs with a timeout of zero (it never waits). With any other timeout
 *   the semaphore launches a timer coroutine in the caller's coroutine context, which under
 *   Lincheck is Lincheck's own interceptor: it takes the timer's resumptions for the
 *   operation's (a run with a 1,000-day timeout reported the acquire as timed out at once and a
 *   later `acquire` hung). SemaphoreTest ("tryAcquire with a timeout gives up in virtual time
 *   and holds nothing") covers a timeout that passes, and a long timeout that is met waits in
 *   the same queue as `acquire`, which is checked here.
 * - `acquire(ctx)` is left out. Under a context cancelled after the grant but before the waiter
 *   resumes, it gives the grant back and fails (Go's rule, golang/go#63615, see Semaphore's
 *   "Contexts"); for that moment others see the permits held (`available`, a failing
 *   `tryAcquire`, a `release` that succeeds) by an acquire that then fails as if it never held
 *   them, which no sequential run shows. The rule is not linearizable by design, so a check of
 *   it could only pass by not meeting that interleaving. ContextFirstStressTest races exactly
 *   that moment ("Semaphore.acquire(ctx, n)"), and SemaphoreTest ("a waiter whose context is
 *   done fails and holds nothing; the queue moves on") a context done while waiting.
 * - `acquireBlocking` and `acquireFuture` are the thread and future doors to the same queue;
 *   Lincheck drives coroutines only. ContextFirstStressTest ("Semaphore.acquireBlocking(ctx, n)",
 *   "Semaphore.acquireFuture(ctx, n)") races them with their contexts, SemaphoreTest covers the rest.
 */
@Param(name = "n", gen = LongGen::class, conf = "1:3")
class SemaphoreOps {
    private val sem = Semaphore(3)

    @Operation
    fun tryAcquire(@Param(name = "n") n: Long): Boolean = sem.tryAcquire(n)

    @Operation
    suspend fun tryAcquireWithoutWaiting(@Param(name = "n") n: Long): Boolean = sem.tryAcquire(Duration.ZERO, n)

    @Operation
    fun release(@Param(name = "n") n: Long): String = outcome { sem.release(n) }

    @Operation
    fun available(): Long = sem.available

    @Operation
    suspend fun acquire(@Param(name = "n") n: Long): String = outcome { sem.acquire(n = n) }
}

/**
 * Every operation of the channel-built mutex that a sequential run can explain, against the same
 * mutex run sequentially: `tryLock` is one locked `trySend` of the core (linearizable, as the
 * core's `trySend`), `lock` suspends (cancelled by Lincheck), `unlock` of a free mutex fails,
 * `isLocked` is a snapshot. Mutual exclusion follows: a second holder would be a `lock` or
 * `tryLock` that succeeds while the mutex is held, which the sequential run never does.
 * `lock(ctx)` is left out for the reason [SemaphoreOps] gives for `acquire(ctx)` (the same Go
 * rule; ContextFirstStressTest "Mutex.lock(ctx)" and MutexTest "a waiter whose context is done,
 * or whose coroutine is cancelled, never holds the lock" cover it). `lockBlocking` and `lockFuture` wait in the same queue as
 * threads and futures; Lincheck drives coroutines only, so MutexTest ("lockFuture: ...") and
 * ContextFirstStressTest ("Mutex.lockBlocking(ctx)") run them.
 */
class MutexOps {
    private val mu = Mutex()

    @Operation
    fun tryLock(): Boolean = mu.tryLock()

    @Operation
    suspend fun lock(): String = outcome { mu.lock() }

    @Operation
    fun unlock(): String = outcome { mu.unlock() }

    @Operation
    fun isLocked(): Boolean = mu.isLocked
}

/**
 * WaitGroup counting by any delta (errors for a negative count included) and waiting for zero,
 * the waits cancelled by Lincheck. `go` is not here: it counts in and starts a goroutine on
 * GoRuntime's dispatcher, whose threads Lincheck does not control, so when it counts out is not
 * an operation of the scenario; WaitGroupTest ("go counts each goroutine in and out, however it
 * ends, and the group is reusable") covers it.
 */
@Param(name = "delta", gen = IntGen::class, conf = "-1:2")
class WaitGroupOps {
    private val wg = WaitGroup()

    @Operation
    fun add(@Param(name = "delta") delta: Int): String = outcome { wg.add(delta) }

    @Operation
    fun done(): String = outcome { wg.done() }

    @Operation
    fun count(): Long = wg.count

    @Operation
    suspend fun await(): String = outcome { wg.wait() }
}

class SyncLincheckTest : FunSpec({
    lincheckTests(SemaphoreOps::class, suspendingModelChecking())
    lincheckTests(MutexOps::class, suspendingModelChecking())
    lincheckTests(WaitGroupOps::class, suspendingModelChecking())
})
