package dev.conduit.resilience

import dev.conduit.context.Context
import dev.conduit.context.DeadlineExceededException
import dev.conduit.context.contextDone
import dev.conduit.context.withTimeout
import dev.conduit.sync.Semaphore
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration

/**
 * Bounds how many calls run at once: at most [maxConcurrent] inside, later callers wait up to
 * [maxWait] for a place (first come, first served) and are then refused with
 * [BulkheadFullException], so a slow dependency ties up a bounded share of the callers.
 *
 * ```
 * val bulkhead = Bulkhead(maxConcurrent = 10, maxWait = 50.milliseconds, name = "inventory")
 * val stock = bulkhead.call(ctx) { c -> inventory.lookup(sku, c) }
 * ```
 *
 * A place is held from a successful [acquire] (or [tryAcquire]) to its [release]; [call] pairs
 * them around a block and releases whatever the block does (returns, throws, is cancelled).
 * The wait is measured on the context's [Context.clock] (virtual time in tests). Built on the
 * core's [Semaphore]: a waiter that gives up (timeout, context done, cancellation) holds
 * nothing and the waiters behind it move up.
 *
 * Thread-safe. [call] and [acquire] suspend; [tryAcquire], [release] and [metrics] never block.
 *
 * @throws IllegalArgumentException if [maxConcurrent] is below 1 or [maxWait] is negative or infinite.
 */
public class Bulkhead(
    public val maxConcurrent: Int,
    public val maxWait: Duration,
    public val name: String = "bulkhead",
) {
    init {
        require(maxConcurrent >= 1) { "maxConcurrent must be >= 1, but was $maxConcurrent" }
        require(!maxWait.isNegative() && maxWait.isFinite()) { "maxWait must be >= 0 and finite, but was $maxWait" }
    }

    private val places = Semaphore(maxConcurrent.toLong())
    private val rejected = AtomicLong()

    /**
     * Runs [block] in a place of the bulkhead: waits for one (see [acquire]), runs the block
     * with [ctx], and releases the place however the block ends. Suspends.
     *
     * @return what [block] returns.
     * @throws BulkheadFullException if no place came free within [maxWait].
     * @throws dev.conduit.context.ContextException [ctx]'s error if it is done before a place is had.
     * @throws Throwable what [block] throws, as it threw it.
     */
    public suspend fun <T> call(ctx: Context = Context.background(), block: suspend (Context) -> T): T {
        acquire(ctx)
        try {
            return block(ctx)
        } finally {
            release()
        }
    }

    /**
     * Waits up to [maxWait] for a place, in arrival order; the caller must [release] it.
     * Suspends while waiting.
     *
     * @throws BulkheadFullException if no place came free within [maxWait] (counted in [BulkheadMetrics.rejected]).
     * @throws dev.conduit.context.ContextException [ctx]'s error if it is done first; nothing is held then.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; nothing is held then.
     */
    public suspend fun acquire(ctx: Context = Context.background()) {
        ctx.err?.let { contextDone(it) }
        if (places.tryAcquire()) return
        if (maxWait == Duration.ZERO) throw full()
        val waitCtx = ctx.withTimeout(maxWait)
        try {
            places.acquire(waitCtx)
        } catch (e: DeadlineExceededException) {
            if (ctx.err != null) throw e
            throw full()
        } finally {
            waitCtx.cancel()
        }
    }

    /**
     * Takes a place if one is free now and nobody waits; the caller must [release] it. Never
     * blocks. A refusal is counted in [BulkheadMetrics.rejected].
     *
     * @return whether a place was taken.
     */
    public fun tryAcquire(): Boolean = places.tryAcquire().also { if (!it) rejected.incrementAndGet() }

    /**
     * Gives back a place taken by [acquire] or [tryAcquire]; the first waiter gets it. Never blocks.
     *
     * @throws IllegalStateException if no place is held.
     */
    public fun release() {
        try {
            places.release()
        } catch (e: IllegalStateException) {
            throw IllegalStateException("release of bulkhead '$name' without a place held", e)
        }
    }

    /** Places free, callers waiting and refusals so far, as one snapshot. Never blocks. */
    public fun metrics(): BulkheadMetrics =
        BulkheadMetrics(maxConcurrent, places.available.toInt(), places.waiting, rejected.get())

    private fun full(): BulkheadFullException {
        rejected.incrementAndGet()
        return BulkheadFullException(name, maxConcurrent, maxWait)
    }

    override fun toString(): String = "Bulkhead($name, maxConcurrent=$maxConcurrent, maxWait=$maxWait)"
}

/**
 * A [Bulkhead]'s state at one moment: its [maxConcurrent] places, those [available] now, the
 * callers [waiting] for one, and the calls [rejected] so far (waits that timed out and refused
 * [Bulkhead.tryAcquire]s).
 */
public class BulkheadMetrics internal constructor(
    /** The bulkhead's limit. */
    public val maxConcurrent: Int,
    /** Places free now. */
    public val available: Int,
    /** Callers waiting for a place now. */
    public val waiting: Int,
    /** Calls refused since the bulkhead was made. */
    public val rejected: Long,
) {
    override fun toString(): String =
        "BulkheadMetrics(maxConcurrent=$maxConcurrent, available=$available, waiting=$waiting, rejected=$rejected)"
}

/**
 * A call found the bulkhead [name] full: all [maxConcurrent] places stayed held for the
 * [maxWait] it waited (its message names all three).
 */
public class BulkheadFullException internal constructor(
    /** The bulkhead's name. */
    public val name: String,
    /** Its limit. */
    public val maxConcurrent: Int,
    maxWait: Duration,
) : RuntimeException("bulkhead '$name' is full: $maxConcurrent concurrent call(s), none free after waiting $maxWait") {
    /** How long the call waited, in Java's terms. */
    public val maxWait: java.time.Duration = java.time.Duration.ofNanos(maxWait.inWholeNanoseconds)
}
