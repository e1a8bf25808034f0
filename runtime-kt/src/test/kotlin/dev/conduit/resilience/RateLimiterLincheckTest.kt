package dev.conduit.resilience

import dev.conduit.ManualClock
import dev.conduit.context.Context
import dev.conduit.lincheckSize
import dev.conduit.lincheckTests
import dev.conduit.outcome
import dev.conduit.plainModelChecking
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.Validate
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentLinkedQueue

/** The burst both limiters start with (and start full at). */
private const val BURST = 2

/** Tokens granted at [at] nanoseconds on the clock; by [reservation] if one was made. */
private class Grant(val at: Long, val n: Int, val reservation: Reservation?)

/**
 * The limiter's never-suspending operations on a [ManualClock] (allow, allowN, reserve and
 * `Reservation.cancel`, tokens, setBurst, close), against the same limiter run sequentially, and
 * after every run the limiter's promise: by any time T it granted at most `burst + rate * T`
 * tokens, at the highest rate it had (a cancelled reservation counts none; one never due, none).
 * `cancelReservation` may cancel one reservation more than once.
 */
@Param(name = "n", gen = IntGen::class, conf = "1:3")
abstract class LimiterOps(rate: Double) {
    protected val clock = ManualClock()
    protected val limiter = RateLimiter(rate, BURST, clock)

    @Volatile
    protected var maxRate = rate

    private val grants = ConcurrentLinkedQueue<Grant>()
    private val cancelled = ConcurrentHashMap.newKeySet<Reservation>()
    /** The latest reservation; written and read under its own lock, with the reserve or cancel it goes with. */
    private var latest: Reservation? = null
    private val latestLock = Any()

    /** Counts [n] tokens granted now (read after the grant, so never earlier than it was). */
    protected fun granted(n: Int) {
        grants.add(Grant(clock.nanoTime(), n, null))
    }

    @Operation
    fun allow(): String = outcome { limiter.allow().also { if (it) granted(1) } }

    @Operation
    fun allowN(@Param(name = "n") n: Int): String = outcome { limiter.allowN(n).also { if (it) granted(n) } }

    /** How long a reservation made now must wait (it takes the bucket into debt). */
    @Operation
    fun reserve(): String = outcome {
        val r = synchronized(latestLock) { limiter.reserve().also { latest = it } }
        if (r.ok) grants.add(Grant(r.timeToAct, r.tokens, r))
        r.delay.toMillis()
    }

    /** Cancels the latest reservation; whether there was one. */
    @Operation
    fun cancelReservation(): Boolean {
        val r = synchronized(latestLock) { latest?.also { it.cancel() } } ?: return false
        cancelled.add(r)
        return true
    }

    @Operation
    fun tokens(): Double = limiter.tokens()

    @Operation
    fun setBurst(@Param(name = "n") n: Int) = limiter.setBurst(n)

    @Operation
    fun close() = limiter.close()

    @Validate
    fun neverOverGrants() {
        var total = 0
        val counted = grants.filter { it.at != Long.MAX_VALUE && (it.reservation == null || it.reservation !in cancelled) }
        for (g in counted.sortedBy { it.at }) {
            total += g.n
            val bound = BURST + maxRate * g.at / 1e9
            check(total <= bound + 1e-9) { "$total tokens granted by ${g.at} ns, more than $bound" }
        }
    }
}

/**
 * A limiter at 2 tokens per second, burst 2: the shared operations plus setRate and the passing
 * of time.
 *
 * `wait` is checked at rate 0 by [ZeroRateLimiterOps]: at a positive rate a wait that is not
 * due at once sleeps in a `select` with `onTimeout`, measured by the caller's dispatcher, not by
 * the limiter's clock, and Lincheck gives an operation no dispatcher whose time it can move.
 * RateLimiterTest covers those waits in virtual time ("waiters are served in arrival order", "a
 * waiter that gives up keeps the waiters behind it on their schedule", "a cancelled coroutine
 * gives its reserved token back", "close releases every waiter with an error, and later calls
 * fail").
 */
class RateLimiterOps : LimiterOps(2.0) {
    @Operation
    fun halfASecondPasses() = clock.advance(500_000_000)

    @Operation
    fun setRate() {
        maxRate = 4.0
        limiter.setRate(4.0)
    }
}

/**
 * A limiter at rate 0 (the burst once, never refilled), where a wait that is not due at once
 * waits only for its context or the limiter's close, never for time: `wait` under a context that
 * `cancelContext` ends and `waitN` without one, both cancelled by Lincheck too, each failed wait
 * giving its tokens back, with the shared operations. (`setRate` is left out: at a positive rate
 * a wait sleeps on the dispatcher's clock, see [RateLimiterOps].)
 */
class ZeroRateLimiterOps : LimiterOps(0.0) {
    private val ctx = Context.background(clock).withCancel()

    @Operation
    suspend fun waitUnderContext(): String = outcome { limiter.wait(ctx).also { granted(1) } }

    @Operation
    suspend fun waitN(@Param(name = "n") n: Int): String = outcome { limiter.waitN(Context.background(), n).also { granted(n) } }

    @Operation
    fun cancelContext() = ctx.cancel()
}

class RateLimiterLincheckTest : FunSpec({
    // Every interleaving walks the limiter's lock, the clock and the grant records, so these run
    // fewer scenarios than the helpers' defaults (the two took 4.5 minutes at those on a loaded
    // machine, the whole Lincheck set's budget).
    lincheckTests(
        RateLimiterOps::class,
        plainModelChecking().iterations(lincheckSize(8, 100)).invocationsPerIteration(lincheckSize(200, 5_000)),
        name = "the rate limiter",
    )
    lincheckTests(
        ZeroRateLimiterOps::class,
        suspendingModelChecking().iterations(lincheckSize(5, 100)),
        name = "waits on a rate limiter at rate 0",
    )
})
