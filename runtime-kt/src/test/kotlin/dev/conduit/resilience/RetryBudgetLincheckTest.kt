package dev.conduit.resilience

import dev.conduit.ManualClock
import dev.conduit.lincheckSize
import dev.conduit.lincheckTests
import dev.conduit.plainModelChecking
import dev.conduit.stressChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.Operation
import kotlin.time.Duration.Companion.seconds

/**
 * A budget shared by concurrent calls (20 % of calls plus 1 per 1 s window, on a [ManualClock]):
 * recording calls, taking retries, reading what is left and the refusals, and time passing by a
 * slot or a whole window, each outcome checked against the same budget run sequentially. So no
 * two callers share the last retry, and a window's end frees exactly what left it.
 */
class RetryBudgetOps {
    private val clock = ManualClock()
    private val budget = RetryBudget(percent = 20.0, minRetriesPerWindow = 1, window = 1.seconds, clock = clock)

    @Operation
    fun recordCall() = budget.recordCall()

    @Operation
    fun tryRetry(): Boolean = budget.tryRetry()

    @Operation
    fun available(): Long = budget.available()

    @Operation
    fun rejected(): Long = budget.rejected

    @Operation
    fun aSlotPasses() = clock.advance(100_000_000)

    @Operation
    fun aWindowPasses() = clock.advance(1_000_000_000)
}

class RetryBudgetLincheckTest : FunSpec({
    // Sized as the rate limiter's plain run: at the helpers' defaults the pair took 22 s in the
    // full build on the shared machine, over this class's 15 s budget.
    lincheckTests(
        RetryBudgetOps::class,
        plainModelChecking().iterations(lincheckSize(10, 100)).invocationsPerIteration(lincheckSize(300, 5_000)),
        stressChecking().iterations(lincheckSize(10, 100)),
        name = "a shared retry budget",
    )
})
