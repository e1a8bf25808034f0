package dev.conduit.resilience

import dev.conduit.context.Context
import dev.conduit.context.contextDone
import java.util.concurrent.atomic.AtomicLong
import kotlin.coroutines.cancellation.CancellationException

/**
 * Calls a suspending block again when it fails, as its [RetryConfig] says: at most
 * [RetryConfig.maxAttempts] attempts, [RetryConfig.backoff] between them, only for failures
 * (and results) the config's predicates accept, and only while its [RetryConfig.budget] allows.
 *
 * ```
 * val retry = Retry(RetryConfig.builder().maxAttempts(3).backoff(Backoff.fixed(100.milliseconds)).build())
 * val page = retry.call(ctx) { c -> http.get(url, c) }
 * ```
 *
 * ## When it stops
 * - The block returns a result the result predicate does not accept: that result.
 * - It throws something the failure predicate does not accept (and always for a
 *   `CancellationException`): that very exception, at once.
 * - The attempts are used up: the last failure itself (or, if the last attempt returned a
 *   result the predicate accepts, that result).
 * - The budget refuses a retry: [RetryAbortedException] ([RetryAbortedException.Reason.BUDGET_EXHAUSTED])
 *   whose cause is the last failure.
 * - The next backoff would end at or after the context's deadline: [RetryAbortedException]
 *   ([RetryAbortedException.Reason.DEADLINE]) at once, without sleeping, the last failure as its cause.
 * - The context is done: before an attempt or during a backoff, its error (`ContextException`);
 *   after a failed attempt, that attempt's failure as it was thrown (no further attempt runs).
 *
 * ## Time
 * Backoffs sleep on the context's [Context.clock], so virtual time in tests, and end early
 * (failing with the context's error) when the context is done.
 *
 * Thread-safe: one `Retry` may serve any number of concurrent calls. [call] suspends;
 * [metrics] never blocks.
 */
public class Retry(public val config: RetryConfig = RetryConfig.defaults()) {
    private val calls = AtomicLong()
    private val attempts = AtomicLong()
    private val retries = AtomicLong()
    private val budgetExhausted = AtomicLong()
    private val deadlineAborted = AtomicLong()

    /**
     * Runs [block] under [ctx], retrying as the config says (see "When it stops"). Each attempt
     * gets [ctx] itself. Suspends during attempts and backoffs.
     *
     * @return the block's result.
     * @throws Throwable what the last attempt threw, as it threw it, when that ends the call.
     * @throws RetryAbortedException if the budget or the context's deadline forbids a retry.
     * @throws dev.conduit.context.ContextException if [ctx] is done before an attempt or during a backoff.
     * @throws CancellationException if the coroutine is cancelled.
     */
    public suspend fun <T> call(ctx: Context = Context.background(), block: suspend (Context) -> T): T {
        ctx.err?.let { contextDone(it) }
        calls.incrementAndGet()
        config.budget?.recordCall()
        var attempt = 1
        while (true) {
            attempts.incrementAndGet()
            var failure: Throwable? = null
            var result: T? = null
            try {
                result = block(ctx)
            } catch (e: CancellationException) {
                throw e
            } catch (e: Throwable) {
                failure = e
            }
            val again = if (failure == null) config.retryOnResult(result) else config.retryOn(failure)
            if (!again || attempt >= config.maxAttempts || ctx.err != null) {
                if (failure != null) throw failure
                @Suppress("UNCHECKED_CAST")
                return result as T
            }
            val delay = config.backoff.delay(attempt)
            val deadline = ctx.deadline
            if (deadline != null && !ctx.clock.now().plusNanos(delay.inWholeNanoseconds).isBefore(deadline)) {
                deadlineAborted.incrementAndGet()
                throw RetryAbortedException(RetryAbortedException.Reason.DEADLINE, attempt, failure, result)
            }
            if (config.budget?.tryRetry() == false) {
                budgetExhausted.incrementAndGet()
                throw RetryAbortedException(RetryAbortedException.Reason.BUDGET_EXHAUSTED, attempt, failure, result)
            }
            retries.incrementAndGet()
            ctx.sleep(delay)
            attempt++
        }
    }

    /** The counters so far, as one snapshot. Never blocks. */
    public fun metrics(): RetryMetrics =
        RetryMetrics(calls.get(), attempts.get(), retries.get(), budgetExhausted.get(), deadlineAborted.get())

    override fun toString(): String = "Retry($config)"
}

/**
 * A [Retry]'s counters at one moment (each read on its own, so under concurrent calls they may
 * be a moment apart): [calls] made, [attempts] run (first attempts and retries), [retries]
 * started after a backoff, retries refused by the budget ([budgetExhausted]) and by the
 * context's deadline ([deadlineAborted]).
 */
public class RetryMetrics internal constructor(
    /** Calls of [Retry.call] that started (their context was not done). */
    public val calls: Long,
    /** Attempts run, first ones included. */
    public val attempts: Long,
    /** Retries granted (each after a backoff). */
    public val retries: Long,
    /** Retries the [RetryBudget] refused. */
    public val budgetExhausted: Long,
    /** Retries given up because the backoff would have ended past the context's deadline. */
    public val deadlineAborted: Long,
) {
    override fun toString(): String =
        "RetryMetrics(calls=$calls, attempts=$attempts, retries=$retries, budgetExhausted=$budgetExhausted, deadlineAborted=$deadlineAborted)"
}

/**
 * A [Retry] gave up before its attempts were used up, because of its budget or its context's
 * deadline ([reason]), after [attempts] attempts. The [cause] is the last attempt's failure
 * (`null` if it returned a result the result predicate retries: that is [lastResult]).
 */
public class RetryAbortedException internal constructor(
    /** Why the retry stopped. */
    public val reason: Reason,
    /** The attempts made before it stopped. */
    public val attempts: Int,
    cause: Throwable?,
    /** The last attempt's result if it returned one the result predicate retries; else `null`. */
    public val lastResult: Any?,
) : RuntimeException(message(reason, attempts, cause, lastResult), cause) {
    /** Why a [Retry] stopped early. */
    public enum class Reason {
        /** The [RetryBudget] allowed no more retries. */
        BUDGET_EXHAUSTED,

        /** The next backoff would have ended at or after the context's deadline. */
        DEADLINE,
    }

    private companion object {
        fun message(reason: Reason, attempts: Int, cause: Throwable?, lastResult: Any?): String {
            val why = when (reason) {
                Reason.BUDGET_EXHAUSTED -> "the retry budget is exhausted"
                Reason.DEADLINE -> "the next backoff would end past the context's deadline"
            }
            val last = if (cause != null) "last failure: $cause" else "last result: $lastResult"
            return "retry stopped after $attempts attempt(s): $why; $last"
        }
    }
}
