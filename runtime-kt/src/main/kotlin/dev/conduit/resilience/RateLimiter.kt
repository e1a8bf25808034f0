package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.chan.Chan
import dev.conduit.chan.select
import dev.conduit.context.Context
import dev.conduit.context.DeadlineExceededException
import dev.conduit.context.contextDone
import java.time.Duration
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.DurationUnit
import kotlin.time.Duration as KDuration

/**
 * Go's `rate.Every`: the rate, in events per second, of one event per [interval], for a
 * [RateLimiter]: `RateLimiter(every(100.milliseconds), burst = 1)`. A zero or negative
 * [interval] gives `Double.POSITIVE_INFINITY` (no limit), as Go's gives `rate.Inf`; an infinite
 * one gives 0. Never blocks.
 */
public fun every(interval: KDuration): Double =
    if (interval <= KDuration.ZERO) Double.POSITIVE_INFINITY else 1.0 / interval.toDouble(DurationUnit.SECONDS)

/** A reservation time that never comes: its tokens need a refill at rate 0. */
private const val NEVER = Long.MAX_VALUE

/** Go's `rate.InfDuration`: the delay of a reservation that is not ok or never comes due. */
private val INFINITE_DELAY: Duration = Duration.ofNanos(Long.MAX_VALUE)

/**
 * A token bucket, Go's `golang.org/x/time/rate.Limiter`: tokens refill at [rate] per second up
 * to [burst]; each event takes one (or `n`). Nothing runs in the background: tokens are
 * computed from the time elapsed since the last call.
 *
 * Over any window of length t it grants at most `burst + rate * t` tokens. Waiters are served in
 * the order they arrived: each [wait] reserves its tokens at once, taking the bucket into debt,
 * so a later waiter's tokens come due after an earlier one's. A waiter that gives up returns
 * its tokens to the bucket unless a later waiter's time was already counted on them (then the
 * later waiter keeps its time, as in Go): the limiter may under-grant then, never over-grant.
 *
 * ```
 * val limiter = RateLimiter(rate = 100.0, burst = 10)
 * if (limiter.allow()) handle(request) else reject(request)
 * limiter.wait(ctx)            // suspends until a token is due, or fails when ctx is done
 * ```
 *
 * ## Edge cases, as in Go
 * - `rate = Double.POSITIVE_INFINITY` allows everything (burst is then ignored); [every] turns
 *   an interval into a rate.
 * - `rate = 0.0` allows the burst once and never refills: a reservation that needs a refill is
 *   [Reservation.ok] but never due (its delay is infinite), so a wait for it waits until its
 *   context is done (or fails at once if the context has a deadline, which it cannot meet).
 * - More tokens than the burst can never be had: [allowN] says `false` and [reserveN] gives a
 *   reservation that is not ok, taking nothing; [waitN] rejects it as a bad argument (Go's
 *   `WaitN` returns an error).
 * - `n = 0` takes nothing and only asks whether the bucket is out of debt: [allowN] is `true`
 *   unless waiters' reservations hold it below zero, and [waitN] waits until they no longer do.
 * - A negative `n` is a bad argument (Go does not check it).
 *
 * Rate and burst can be changed while running ([setRate], [setBurst]).
 *
 * Thread-safe. [allow], [reserve] and the setters never block; [wait] suspends.
 *
 * `RateLimiter(rate, burst)` makes a limiter that refills [rate] tokens per second up to
 * [burst], starting full, on [clock] (a virtual clock in tests).
 *
 * @throws IllegalArgumentException if [rate] is negative or NaN, or [burst] negative.
 */
public class RateLimiter @JvmOverloads constructor(rate: Double, burst: Int, private val clock: Clock = Clock.system()) : AutoCloseable {
    private val lock = Any()
    private var rate = checkRate(rate)
    private var burst = checkBurst(burst)
    private var tokens = burst.toDouble()
    private var last = clock.nanoTime()

    /** When the latest reservation's tokens come due. */
    private var lastEvent = last
    private var closed = false
    private val closedSignal = Chan<Unit>()

    /** Tokens per second; see [setRate]. */
    public fun rate(): Double = synchronized(lock) { rate }

    /** The bucket's size; see [setBurst]. */
    public fun burst(): Int = synchronized(lock) { burst }

    /** Tokens available now (negative while waiters hold reservations). Never blocks. */
    public fun tokens(): Double = synchronized(lock) { advance(clock.nanoTime()) }

    /**
     * Takes one token if one is available now. Never blocks.
     *
     * @throws IllegalStateException if the limiter is closed.
     */
    public fun allow(): Boolean = allowN(1)

    /**
     * Takes [n] tokens if they are all available now; otherwise takes none. Never blocks.
     *
     * @return whether they were taken: always `false` for more than the burst (unless the rate
     *   is infinite); for 0, whether the bucket is out of debt.
     * @throws IllegalArgumentException if [n] is negative.
     * @throws IllegalStateException if the limiter is closed.
     */
    public fun allowN(n: Int): Boolean = synchronized(lock) { reserveLocked(n, 0).ok }

    /**
     * Reserves one token; see [reserveN].
     *
     * @throws IllegalStateException if the limiter is closed.
     */
    public fun reserve(): Reservation = reserveN(1)

    /**
     * Reserves [n] tokens now and says how long to wait before acting on them; the caller waits
     * (or calls [Reservation.cancel] to give them back). Never blocks.
     *
     * @return the reservation; not [Reservation.ok] (and taking nothing) if [n] exceeds the
     *   burst and the rate is finite, as in Go.
     * @throws IllegalArgumentException if [n] is negative.
     * @throws IllegalStateException if the limiter is closed.
     */
    public fun reserveN(n: Int): Reservation = synchronized(lock) { reserveLocked(n, Long.MAX_VALUE) }

    /**
     * Reserves [n] tokens only if they come due within [maxWait] (Go's internal
     * `reserveN(t, n, maxFutureReserve)`, which `AllowN` and `WaitN` are made of):
     * `reserveN(n, ZERO)` is [allowN] with a reservation, `reserveN(n, INFINITE)` is [reserveN].
     * Never blocks.
     *
     * @return the reservation; not [Reservation.ok], taking nothing, if the tokens would come
     *   due later than [maxWait] from now or [n] exceeds the burst.
     * @throws IllegalArgumentException if [n] or [maxWait] is negative.
     * @throws IllegalStateException if the limiter is closed.
     */
    public fun reserveN(n: Int, maxWait: KDuration): Reservation {
        require(!maxWait.isNegative()) { "maxWait must be >= 0, but was $maxWait" }
        return synchronized(lock) { reserveLocked(n, maxWait.inWholeNanoseconds) }
    }

    /**
     * Waits for one token; see [waitN].
     */
    public suspend fun wait(ctx: Context = Context.background()): Unit = waitN(ctx, 1)

    /**
     * Suspends until [n] tokens are due, in arrival order. If [ctx] is done first, or the tokens
     * could not come due before [ctx]'s deadline, or the limiter is closed meanwhile, it fails
     * and takes no tokens (they go back to the bucket for the waiters behind it). At rate 0,
     * tokens that need a refill never come due: it waits for [ctx] (as Go's `WaitN`).
     *
     * @throws IllegalArgumentException if [n] is negative, or exceeds the burst while the rate is
     *   finite (such a wait could never end).
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first.
     * @throws DeadlineExceededException at once if the tokens would come due after [ctx]'s
     *   deadline (at rate 0: would need a refill, and [ctx] has a deadline).
     * @throws IllegalStateException if the limiter is or becomes closed.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; the
     *   tokens are given back.
     */
    public suspend fun waitN(ctx: Context, n: Int) {
        require(n >= 0) { "n must be >= 0, but was $n" }
        val r = synchronized(lock) {
            if (closed) throw closedError()
            require(n <= burst || rate == Double.POSITIVE_INFINITY) { "n must be <= burst ($burst), but was $n" }
            if (ctx.err != null) return@synchronized null
            val now = clock.nanoTime()
            val maxWait = ctx.deadline?.let { Duration.between(clock.now(), it).toNanos().coerceAtLeast(0) } ?: Long.MAX_VALUE
            reserveLocked(n, maxWait, now).also { if (!it.ok) throw DeadlineExceededException() }
        } ?: contextDone(ctx.err!!)
        val never = r.timeToAct == NEVER
        val waitNanos = r.timeToAct - clock.nanoTime()
        if (!never && waitNanos <= 0) return
        val due = try {
            select<Boolean> {
                if (!never) onTimeout(waitNanos.nanoseconds) { true }
                ctx.done.onReceiveOk { false }
                closedSignal.onReceiveOk { false }
            }
        } catch (e: Throwable) {
            r.cancel()
            throw e
        }
        if (due) return
        r.cancel()
        ctx.err?.let { contextDone(it) }
        throw closedError()
    }

    /**
     * Changes the refill rate from now on; tokens earned so far are kept. Reservations already
     * made keep their times. Never blocks.
     *
     * @throws IllegalArgumentException if [rate] is negative or NaN.
     */
    public fun setRate(rate: Double) {
        checkRate(rate)
        synchronized(lock) {
            val now = clock.nanoTime()
            tokens = advance(now)
            last = now
            this.rate = rate
        }
    }

    /**
     * Changes the bucket size from now on; tokens above the new size are dropped. Never blocks.
     *
     * @throws IllegalArgumentException if [burst] is negative.
     */
    public fun setBurst(burst: Int) {
        checkBurst(burst)
        synchronized(lock) {
            val now = clock.nanoTime()
            tokens = advance(now)
            last = now
            this.burst = burst
            tokens = minOf(tokens, burst.toDouble())
        }
    }

    /**
     * Closes the limiter: every waiter fails with [IllegalStateException], and so does every
     * later call. Idempotent; never blocks.
     */
    override fun close() {
        synchronized(lock) {
            if (closed) return
            closed = true
        }
        closedSignal.close()
    }

    private fun closedError() = IllegalStateException("the rate limiter is closed")

    /** Tokens at [now], without storing them. */
    private fun advance(now: Long): Double {
        val elapsed = (now - minOf(last, now)).coerceAtLeast(0)
        return minOf(tokens + tokensFor(elapsed), burst.toDouble())
    }

    private fun tokensFor(nanos: Long): Double = nanos / 1e9 * rate

    /** How long refilling [tokens] takes; [NEVER] at rate 0 or beyond a `Long` (Go's `durationFromTokens`). */
    private fun nanosFor(tokens: Double): Long = if (rate <= 0.0) NEVER else (tokens / rate * 1e9).toLong() // toLong saturates

    /**
     * Go's `reserveN`: reserves [n] tokens if they come due within [maxWaitNanos] (a reservation
     * due [NEVER] fits only an unbounded wait), else answers not ok and changes nothing. A
     * reservation of 0 tokens only answers.
     */
    private fun reserveLocked(n: Int, maxWaitNanos: Long, now: Long = clock.nanoTime()): Reservation {
        require(n >= 0) { "n must be >= 0, but was $n" }
        if (closed) throw closedError()
        if (rate == Double.POSITIVE_INFINITY) return Reservation(this, true, 0, now, now)
        if (n > burst) return Reservation(this, false, 0, now, NEVER)
        val left = advance(now) - n
        val waitNanos = if (left >= 0) 0L else nanosFor(-left)
        if (waitNanos > maxWaitNanos) return Reservation(this, false, 0, now, NEVER)
        val due = if (waitNanos >= NEVER - maxOf(now, 0)) NEVER else now + waitNanos
        if (n > 0) {
            last = now
            tokens = left
            lastEvent = due
        }
        return Reservation(this, true, n, now, due)
    }

    /**
     * Gives back what [r] reserved and that no later reservation depends on (Go's CancelAt), the
     * first time only: a second cancel would give the same tokens back again.
     */
    internal fun cancel(r: Reservation) {
        synchronized(lock) {
            val now = clock.nanoTime()
            if (r.cancelled) return
            r.cancelled = true
            if (!r.ok || r.tokens == 0 || r.timeToAct < now) return
            val restore = r.tokens - tokensFor((lastEvent - r.timeToAct).coerceAtLeast(0))
            if (restore <= 0) return
            tokens = minOf(advance(now) + restore, burst.toDouble())
            last = now
            if (r.timeToAct == lastEvent && r.timeToAct != NEVER) {
                val previous = r.timeToAct - nanosFor(r.tokens.toDouble())
                if (previous >= now) lastEvent = previous
            }
        }
    }

    private companion object {
        private fun checkRate(rate: Double): Double {
            require(rate >= 0.0) { "rate must be >= 0, but was $rate" }
            return rate
        }

        private fun checkBurst(burst: Int): Int {
            require(burst >= 0) { "burst must be >= 0, but was $burst" }
            return burst
        }
    }
}

/**
 * Tokens held for a future event, from [RateLimiter.reserveN]: act after [delay], or [cancel]
 * to give the tokens back.
 */
public class Reservation internal constructor(
    private val limiter: RateLimiter,
    /**
     * Whether the tokens were reserved; `false` (nothing taken) if they could not come due in
     * time or exceed the burst. `isOk()` from Java.
     */
    @get:JvmName("isOk") public val ok: Boolean,
    internal val tokens: Int,
    private val madeAt: Long,
    internal val timeToAct: Long,
) {
    /** Whether [cancel] was called; under the limiter's lock. */
    internal var cancelled = false

    /**
     * How long after the reservation was made its tokens come due. For a reservation that is not
     * [ok], or that never comes due (at rate 0), Go's `InfDuration`: `Duration.ofNanos(Long.MAX_VALUE)`.
     * Never blocks.
     */
    public val delay: Duration get() = if (timeToAct == NEVER) INFINITE_DELAY else Duration.ofNanos(timeToAct - madeAt)

    /**
     * Gives back the reserved tokens, as far as no later reservation already counts on them.
     * Does nothing once they are due, and nothing the second time. Never blocks.
     */
    public fun cancel(): Unit = limiter.cancel(this)
}
