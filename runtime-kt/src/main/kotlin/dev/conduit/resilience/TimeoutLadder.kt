package dev.conduit.resilience

import dev.conduit.context.Context
import dev.conduit.context.contextDone
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration

/**
 * Runs attempts of a call with escalating timeouts: the first gets `timeouts[0]`, and when it
 * times out the next starts with `timeouts[1]`, and so on; a fast path gets a tight timeout, a
 * slow one a longer chance. Optionally it hedges: when an attempt has not answered within
 * [hedgeAfter], the next rung starts alongside it and whichever answers first wins.
 *
 * ```
 * val ladder = TimeoutLadder(listOf(100.milliseconds, 300.milliseconds, 1.seconds), hedgeAfter = 50.milliseconds)
 * val quote = ladder.run(ctx) { c, attempt -> pricing.quote(c) }
 * ```
 *
 * ## Attempts
 * Each attempt runs in a coroutine of its own under a context derived from the caller's with
 * its rung's timeout. When that timeout passes the attempt is really cancelled: its coroutine
 * is cancelled and its context is done (`DeadlineExceededException`), so blocking code that
 * takes the context, or is interrupted on cancellation (the Java facade's), stops too. The
 * ladder does not wait for a timed-out attempt to stop before starting the next rung, but it
 * returns only once every attempt it started has ended (none outlives [run]).
 *
 * The next rung starts when the latest attempt times out, fails with a failure [nextRungOn]
 * accepts, or (hedging) has run [hedgeAfter] without answering; an earlier attempt still
 * running keeps its own timeout. The first attempt to return wins: the others are cancelled.
 * An attempt that fails with a failure [nextRungOn] does not accept (by default every failure:
 * the ladder handles slowness, a [Retry] inside or around it handles errors) fails the whole
 * run at once with that very exception, cancelling the others.
 *
 * ## Errors
 * - Every rung used up without an answer: [LadderExhaustedException], carrying each attempt's
 *   failure (a `java.util.concurrent.TimeoutException` for one that timed out).
 * - The caller's context done first: its error (`ContextException`), all attempts cancelled.
 *
 * ## Stepping by hand
 * [nextTimeout] and [reset] keep one shared position on the ladder for callers that run their
 * attempts themselves; [run] keeps its own per call and neither reads nor moves it.
 *
 * Thread-safe: [run] may be called concurrently; [nextTimeout] and [reset] are atomic.
 *
 * @param timeouts the rungs' timeouts, strictly increasing, each positive and finite.
 * @param hedgeAfter the latency after which the next rung starts alongside; `null` (the default) never hedges.
 * @param nextRungOn which failures (as opposed to timeouts) go to the next rung; by default none.
 * @throws IllegalArgumentException if [timeouts] is empty, not increasing or has a rung that is
 *   not positive and finite, or [hedgeAfter] is not positive.
 */
public class TimeoutLadder(
    timeouts: List<Duration>,
    public val hedgeAfter: Duration? = null,
    private val nextRungOn: (Throwable) -> Boolean = { false },
) {
    /** The rungs' timeouts, in order. */
    public val timeouts: List<Duration> = timeouts.toList()

    init {
        require(this.timeouts.isNotEmpty()) { "timeouts must not be empty" }
        this.timeouts.forEachIndexed { i, t ->
            require(t.isPositive() && t.isFinite()) { "timeouts[$i] must be > 0 and finite, but was $t" }
            if (i > 0) require(t > this.timeouts[i - 1]) {
                "timeouts must increase, but timeouts[$i] = $t is not above timeouts[${i - 1}] = ${this.timeouts[i - 1]}"
            }
        }
        if (hedgeAfter != null) require(hedgeAfter.isPositive()) { "hedgeAfter must be > 0, but was $hedgeAfter" }
    }

    private val position = AtomicInteger()

    /**
     * The timeout of the next rung for a caller stepping by hand, moving the shared position on
     * by one; `null` once every rung has been given out (until [reset]). Atomic: concurrent
     * callers each get a different rung. Never blocks.
     */
    public fun nextTimeout(): Duration? {
        val i = position.getAndUpdate { if (it < timeouts.size) it + 1 else it }
        return if (i < timeouts.size) timeouts[i] else null
    }

    /** Moves the shared position of [nextTimeout] back to the first rung. Atomic; never blocks. */
    public fun reset() {
        position.set(0)
    }

    /**
     * Runs [block] with escalating timeouts (see "Attempts"), `attempt` counting from 1.
     * Suspends until an attempt answers, the rungs are used up, or [ctx] is done; every attempt
     * started has ended when it returns.
     *
     * @return the first answer.
     * @throws LadderExhaustedException if no attempt answered before its timeout.
     * @throws Throwable the failure of an attempt that [nextRungOn] does not accept, as it was thrown.
     * @throws dev.conduit.context.ContextException [ctx]'s error if it is done first.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled (the attempts are too).
     */
    public suspend fun <T> run(ctx: Context = Context.background(), block: suspend (ctx: Context, attempt: Int) -> T): T {
        ctx.err?.let { contextDone(it) }
        return LadderRun(this, ctx, nextRungOn, block).run()
    }

    override fun toString(): String = "TimeoutLadder(timeouts=$timeouts, hedgeAfter=$hedgeAfter)"
}

/**
 * Every rung of a [TimeoutLadder] ran out without an answer. [failures] holds each attempt's
 * failure in attempt order (a `java.util.concurrent.TimeoutException` for one that timed out);
 * the last is the [cause], the others are suppressed.
 */
public class LadderExhaustedException internal constructor(
    /** Each attempt's failure, the first attempt's first. */
    public val failures: List<Throwable>,
) : RuntimeException(
    "the timeout ladder ran out after ${failures.size} attempt(s): " +
        failures.withIndex().joinToString("; ") { (i, e) -> "attempt ${i + 1}: $e" },
    failures.last(),
) {
    init {
        failures.dropLast(1).forEach { addSuppressed(it) }
    }
}
