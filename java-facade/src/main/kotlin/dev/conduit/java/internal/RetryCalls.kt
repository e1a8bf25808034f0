package dev.conduit.java.internal

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.java.resilience.CheckedCall
import dev.conduit.java.resilience.LadderCall
import dev.conduit.resilience.Backoff
import dev.conduit.resilience.Bulkhead
import dev.conduit.resilience.Retry
import dev.conduit.resilience.RetryBudget
import dev.conduit.resilience.TimeoutLadder
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.function.Predicate
import kotlin.random.asKotlinRandom
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.toJavaDuration
import kotlin.time.Duration as KDuration

/**
 * Plain-Java doors to the core's timeout ladder, retry and bulkhead (issue 11, section 3), for
 * the facade types in `dev.conduit.java.resilience`: their constructors and `kotlin.time`
 * values in `java.time` terms, and their suspending calls as blocking calls
 * ([Bridge.callBlocking]: an interrupt cancels the call) and futures ([Bridge.call]: cancelling
 * one cancels the call). The Java work runs on goroutine threads ([callOnGoThread]), is
 * interrupted when its coroutine is cancelled, and what it throws comes out as it was thrown.
 */
internal object RetryCalls {
    // ---- time ----------------------------------------------------------------------------

    /** A Java duration as a Kotlin one; one beyond `Long` nanoseconds saturates, so a core check rejects it by its value. */
    private fun kotlinOf(d: Duration): KDuration = when {
        d.seconds >= Long.MAX_VALUE / 1_000_000_000L -> KDuration.INFINITE
        d.seconds <= Long.MIN_VALUE / 1_000_000_000L -> -KDuration.INFINITE
        else -> d.toNanos().nanoseconds
    }

    /** A core duration for Java. */
    @JvmStatic
    fun javaOf(d: KDuration): Duration = d.toJavaDuration()

    // ---- makers --------------------------------------------------------------------------

    @JvmStatic
    fun ladder(timeouts: List<Duration>, hedgeAfter: Duration?, nextRungOn: Predicate<in Throwable>): TimeoutLadder =
        TimeoutLadder(timeouts.map(::kotlinOf), hedgeAfter?.let(::kotlinOf)) { nextRungOn.test(it) }

    @JvmStatic
    fun timeouts(ladder: TimeoutLadder): List<Duration> = ladder.timeouts.map { it.toJavaDuration() }

    @JvmStatic
    fun hedgeAfter(ladder: TimeoutLadder): Duration? = ladder.hedgeAfter?.toJavaDuration()

    @JvmStatic
    fun nextTimeout(ladder: TimeoutLadder): Duration? = ladder.nextTimeout()?.toJavaDuration()

    @JvmStatic
    fun fixed(delay: Duration): Backoff = Backoff.fixed(kotlinOf(delay))

    @JvmStatic
    fun exponential(initial: Duration, multiplier: Double, max: Duration): Backoff =
        Backoff.exponential(kotlinOf(initial), multiplier, kotlinOf(max))

    @JvmStatic
    fun fullJitter(initial: Duration, multiplier: Double, max: Duration, random: java.util.Random): Backoff =
        Backoff.fullJitter(kotlinOf(initial), multiplier, kotlinOf(max), random.asKotlinRandom())

    @JvmStatic
    fun delay(backoff: Backoff, retry: Int): Duration = backoff.delay(retry).toJavaDuration()

    @JvmStatic
    fun budget(percent: Double, minRetriesPerWindow: Int, window: Duration, clock: Clock): RetryBudget =
        RetryBudget(percent, minRetriesPerWindow, kotlinOf(window), clock)

    @JvmStatic
    fun window(budget: RetryBudget): Duration = budget.window.toJavaDuration()

    @JvmStatic
    fun bulkhead(maxConcurrent: Int, maxWait: Duration, name: String): Bulkhead = Bulkhead(maxConcurrent, kotlinOf(maxWait), name)

    @JvmStatic
    fun maxWait(bulkhead: Bulkhead): Duration = bulkhead.maxWait.toJavaDuration()

    // ---- calls ---------------------------------------------------------------------------

    private fun <T> onGoThread(call: CheckedCall<T, *>): suspend (Context) -> T = { c -> callOnGoThread { call.call(c) } }

    private fun <T> onGoThread(call: LadderCall<T, *>): suspend (Context, Int) -> T =
        { c, attempt -> callOnGoThread { call.call(c, attempt) } }

    /** [Retry.call] of Java work, blocking the caller. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T> call(retry: Retry, ctx: Context, call: CheckedCall<T, *>): T = Bridge.callBlocking { retry.call(ctx, onGoThread(call)) }

    /** [Retry.call] of Java work as a future. */
    @JvmStatic
    fun <T> callAsync(retry: Retry, ctx: Context, call: CheckedCall<T, *>): CompletableFuture<T> =
        Bridge.call { retry.call(ctx, onGoThread(call)) }

    /** [Bulkhead.call] of Java work, blocking the caller. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T> call(bulkhead: Bulkhead, ctx: Context, call: CheckedCall<T, *>): T =
        Bridge.callBlocking { bulkhead.call(ctx, onGoThread(call)) }

    /** [Bulkhead.call] of Java work as a future. */
    @JvmStatic
    fun <T> callAsync(bulkhead: Bulkhead, ctx: Context, call: CheckedCall<T, *>): CompletableFuture<T> =
        Bridge.call { bulkhead.call(ctx, onGoThread(call)) }

    /** [Bulkhead.acquire], blocking the caller. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun acquire(bulkhead: Bulkhead, ctx: Context) {
        Bridge.callBlocking { bulkhead.acquire(ctx) }
    }

    /** [TimeoutLadder.run] of Java work, blocking the caller. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T> run(ladder: TimeoutLadder, ctx: Context, call: LadderCall<T, *>): T = Bridge.callBlocking { ladder.run(ctx, onGoThread(call)) }

    /** [TimeoutLadder.run] of Java work as a future. */
    @JvmStatic
    fun <T> runAsync(ladder: TimeoutLadder, ctx: Context, call: LadderCall<T, *>): CompletableFuture<T> =
        Bridge.call { ladder.run(ctx, onGoThread(call)) }
}
