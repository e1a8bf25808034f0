package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.Stoppable
import dev.conduit.plainModelChecking
import dev.conduit.stressChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.Operation
import java.time.Instant
import java.util.concurrent.atomic.AtomicLong

/** A clock that only moves when an operation moves it, so runs are deterministic. */
class ManualClock : Clock {
    val nanos = AtomicLong()
    override fun now(): Instant = Instant.EPOCH.plusNanos(nanos.get())
    override fun nanoTime(): Long = nanos.get()
    override fun schedule(delayNanos: Long, action: Runnable): Stoppable = error("not used")
}

/** allow, reserve, set rate and the passing of time, concurrently. */
class RateLimiterOps {
    private val clock = ManualClock()
    private val limiter = RateLimiter(2.0, 2, clock)

    @Operation
    fun allow(): Boolean = limiter.allow()

    @Operation
    fun allowTwo(): Boolean = limiter.allowN(2)

    /** How long a reservation made now must wait (it takes the bucket into debt). */
    @Operation
    fun reserve(): Long = limiter.reserve().delay.toMillis()

    @Operation
    fun halfASecondPasses() {
        clock.nanos.addAndGet(500_000_000)
    }

    @Operation
    fun setRate() = limiter.setRate(4.0)
}

class RateLimiterLincheckTest : FunSpec({
    test("the rate limiter is linearizable under model checking") {
        plainModelChecking().check(RateLimiterOps::class)
    }

    test("the rate limiter is linearizable under stress") {
        stressChecking().check(RateLimiterOps::class)
    }
})
