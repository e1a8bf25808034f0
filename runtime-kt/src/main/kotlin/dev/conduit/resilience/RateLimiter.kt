package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.chan.Chan
import dev.conduit.chan.select
import dev.conduit.context.Context
import dev.conduit.context.DeadlineExceededException
import java.time.Duration
import kotlin.time.Duration.Companion.nanoseconds

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
 * Edge cases: `rate = Double.POSITIVE_INFINITY` allows everything (burst is then ignored);
 * `rate = 0.0` allows the burst once and never refills, so a wait that would need a refill
 * fails at once. Rate and burst can be changed while running ([setRate], [setBurst]).
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
     * @throws IllegalArgumentException if [n] is not positive or exceeds the burst.
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
     * @throws IllegalArgumentException if [n] is not positive or exceeds the burst.
     * @throws IllegalStateException if the limiter is closed.
     */
    public fun reserveN(n: Int): Reservation = synchronized(lock) { reserveLocked(n, Long.MAX_VALUE) }

    /**
     * Waits for one token; see [waitN].
     */
    public suspend fun wait(ctx: Context = Context.background()): Unit = waitN(ctx, 1)

    /**
     * Suspends until [n] tokens are due, in arrival order. If [ctx] is done first, or the tokens
     * could not come due before [ctx]'s deadline, or the limiter is closed meanwhile, it fails
     * and takes no tokens (they go back to the bucket for the waiters behind it).
     *
     * @throws IllegalArgumentException if [n] is not positive or exceeds the burst.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first.
     * @throws DeadlineExceededException at once if the tokens would come due after [ctx]'s
     *   deadline.
     * @throws IllegalStateException if the limiter is or becomes closed, or if the rate is zero
     *   and the tokens would never come due.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; the
     *   tokens are given back.
     */
    public suspend fun waitN(ctx: Context, n: Int) {
        ctx.err?.let { throw it }
        val r = synchronized(lock) {
            val now = clock.nanoTime()
            val maxWait = ctx.deadline?.let { Duration.between(clock.now(), it).toNanos().coerceAtLeast(0) } ?: Long.MAX_VALUE
            val r = reserveLocked(n, maxWait, now)
            if (!r.ok) {
                check(rate > 0.0) { "the rate is 0: $n token(s) would never come due" }
                throw DeadlineExceededException()
            }
            r
        }
        val waitNanos = r.timeToAct - clock.nanoTime()
        if (waitNanos <= 0) return
        val due = try {
            select<Boolean> {
                onTimeout(waitNanos.nanoseconds) { true }
                ctx.done.onReceiveOk { false }
                closedSignal.onReceiveOk { false }
            }
        } catch (e: Throwable) {
            r.cancel()
            throw e
        }
        if (due) return
        r.cancel()
        ctx.err?.let { throw it }
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

    private fun nanosFor(tokens: Double): Long = (tokens / rate * 1e9).toLong()

    private fun reserveLocked(n: Int, maxWaitNanos: Long, now: Long = clock.nanoTime()): Reservation {
        if (closed) throw closedError()
        require(n > 0) { "n must be > 0, but was $n" }
        if (rate == Double.POSITIVE_INFINITY) return Reservation(this, true, 0, now, now)
        require(n <= burst) { "n must be <= burst ($burst), but was $n" }
        val left = advance(now) - n
        val never = left < 0 && rate == 0.0
        val waitNanos = if (left >= 0 || never) 0L else nanosFor(-left)
        if (never || waitNanos > maxWaitNanos) return Reservation(this, false, 0, now, now)
        last = now
        tokens = left
        lastEvent = now + waitNanos
        return Reservation(this, true, n, now, lastEvent)
    }

    /** Gives back what [r] reserved and that no later reservation depends on (Go's CancelAt). */
    internal fun cancel(r: Reservation) {
        synchronized(lock) {
            val now = clock.nanoTime()
            if (!r.ok || r.tokens == 0 || r.timeToAct < now) return
            val restore = r.tokens - tokensFor(lastEvent - r.timeToAct)
            if (restore <= 0) return
            tokens = minOf(advance(now) + restore, burst.toDouble())
            last = now
            if (r.timeToAct == lastEvent) {
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
    /** Whether the tokens were reserved; `false` if they could not come due in time. */
    public val ok: Boolean,
    internal val tokens: Int,
    private val madeAt: Long,
    internal val timeToAct: Long,
) {
    /** How long after the reservation was made its tokens come due. Never blocks. */
    public val delay: Duration get() = Duration.ofNanos(timeToAct - madeAt)

    /**
     * Gives back the reserved tokens, as far as no later reservation already counts on them.
     * Does nothing once they are due. Never blocks.
     */
    public fun cancel(): Unit = limiter.cancel(this)
}
