package dev.conduit.resilience

import dev.conduit.ManualClock
import dev.conduit.context.Context
import dev.conduit.lincheckSize
import dev.conduit.lincheckTests
import dev.conduit.outcome
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.Operation
import kotlin.time.Duration.Companion.hours

/**
 * A bulkhead of 2 places under concurrent callers: `tryAcquire`, a waiting `acquire` (cancelled
 * by Lincheck while it waits; its wait, an hour on a [ManualClock] that never moves, does not
 * end on its own), `release` (failing when nothing is held) and the metrics, each checked
 * against the same bulkhead run sequentially. So no more than 2 callers ever hold a place, a
 * cancelled waiter holds none, and `available`, `waiting` and `rejected` agree with the calls.
 * A wait that times out is the context-bounded acquire of the core `Semaphore`, whose
 * done-at-the-grant rule is not linearizable by design (see SyncLincheckTest's SemaphoreOps);
 * BulkheadTest covers it in virtual time.
 */
class BulkheadOps {
    private val ctx = Context.background(ManualClock())
    private val bulkhead = Bulkhead(2, 1.hours, "lincheck")

    @Operation
    fun tryAcquire(): Boolean = bulkhead.tryAcquire()

    @Operation
    suspend fun acquire(): String = outcome { bulkhead.acquire(ctx) }

    @Operation
    fun release(): String = outcome { bulkhead.release() }

    @Operation
    fun available(): Int = bulkhead.metrics().available

    @Operation
    fun rejected(): Long = bulkhead.metrics().rejected
}

class BulkheadLincheckTest : FunSpec({
    // Each interleaving of a waiting acquire walks the semaphore's queue and a context's timer on
    // the clock, so this explores fewer scenarios than the helper's default (its then 8 x 110 took 31 s
    // on the shared 2-core machine). No stress run: on real threads it took 16 s more and would
    // only race the core Semaphore's own queue, which its stress tests (ContextFirstStressTest,
    // MixedWaitersStressTest) already race; the bulkhead adds a counter.
    lincheckTests(
        BulkheadOps::class,
        suspendingModelChecking().iterations(lincheckSize(4, 100)).invocationsPerIteration(lincheckSize(50, 5_000)),
        stress = null,
        name = "a bulkhead's places",
    )
})
