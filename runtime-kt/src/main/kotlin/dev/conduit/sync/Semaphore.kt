package dev.conduit.sync

import dev.conduit.chan.Chan
import dev.conduit.chan.SelectScope
import dev.conduit.chan.chan
import dev.conduit.chan.select
import dev.conduit.context.Context
import kotlin.time.Duration

/**
 * A weighted semaphore, Go's `golang.org/x/sync/semaphore.Weighted`: [capacity] permits,
 * acquired and released in any amounts.
 *
 * Waiters are served strictly first come, first served: a large request at the head of the
 * queue is not overtaken by later small ones, so it cannot be starved. A waiter that gives up
 * (its context is done, its timeout passes or its coroutine is cancelled) holds no permit
 * afterwards, even if permits were granted to it at that very moment.
 *
 * ```
 * val sem = Semaphore(3)
 * sem.acquire(ctx)          // suspends while 3 are held
 * try { download() } finally { sem.release() }
 * ```
 *
 * Thread-safe. [tryAcquire] and [release] never block; [acquire] suspends.
 *
 * @throws IllegalArgumentException if [capacity] is not positive.
 */
public class Semaphore(public val capacity: Long) {
    init {
        require(capacity > 0) { "capacity must be > 0, but was $capacity" }
    }

    private val lock = Any()
    private var held = 0L
    private val waiters = ArrayDeque<Waiter>()

    /** A queued request; [ready] gets a value when its permits are granted. */
    private class Waiter(val n: Long) {
        val ready: Chan<Unit> = chan(1)
    }

    /** Permits not held now. Never blocks. */
    public val available: Long get() = synchronized(lock) { capacity - held }

    /**
     * Takes [n] permits if they are free now and nobody is queued ahead. Never blocks.
     *
     * @throws IllegalArgumentException if [n] is not in `1..capacity`.
     */
    public fun tryAcquire(n: Long = 1): Boolean {
        checkN(n)
        synchronized(lock) {
            if (capacity - held < n || waiters.isNotEmpty()) return false
            held += n
            return true
        }
    }

    /**
     * Suspends until [n] permits are granted, in arrival order, or [ctx] is done.
     *
     * @throws IllegalArgumentException if [n] is not in `1..capacity`.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first; no
     *   permit is held then.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; no permit
     *   is held then.
     */
    public suspend fun acquire(ctx: Context = Context.background(), n: Long = 1) {
        checkN(n)
        ctx.err?.let { throw it }
        if (!acquireOrGiveUp(n) { ctx.done.onReceiveOk { false } }) throw ctx.err!!
    }

    /**
     * Suspends until [n] permits are granted or [timeout] passes (measured by the caller's
     * dispatcher, so virtual time in tests).
     *
     * @return `true` if the permits are held, `false` if the timeout passed first (none held).
     * @throws IllegalArgumentException if [n] is not in `1..capacity`.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; no permit
     *   is held then.
     */
    public suspend fun tryAcquire(timeout: Duration, n: Long = 1): Boolean {
        checkN(n)
        return acquireOrGiveUp(n) { onTimeout(timeout) { false } }
    }

    /**
     * Gives back [n] permits and wakes the waiters they now satisfy. Never blocks.
     *
     * @throws IllegalArgumentException if [n] is not positive.
     * @throws IllegalStateException if more permits would be released than are held.
     */
    public fun release(n: Long = 1) {
        require(n > 0) { "n must be > 0, but was $n" }
        synchronized(lock) {
            check(n <= held) { "released $n permit(s) but only $held are held" }
            held -= n
            grant()
        }
    }

    private fun checkN(n: Long) {
        require(n in 1..capacity) { "n must be in 1..$capacity, but was $n" }
    }

    /** Takes the permits at once or queues; then waits for the grant or for [giveUp] to fire. */
    private suspend fun acquireOrGiveUp(n: Long, giveUp: SelectScope<Boolean>.() -> Unit): Boolean {
        val waiter = synchronized(lock) {
            if (capacity - held >= n && waiters.isEmpty()) {
                held += n
                return true
            }
            Waiter(n).also { waiters.addLast(it) }
        }
        val granted = try {
            select<Boolean> {
                waiter.ready.onReceive { true }
                giveUp()
            }
        } catch (e: Throwable) {
            abandon(waiter)
            throw e
        }
        if (!granted) abandon(waiter)
        return granted
    }

    /**
     * Withdraws [waiter]. Still queued: it just leaves (and if it was at the head, the ones
     * behind may now fit). Already granted, so the grant raced the give-up: its permits go back.
     */
    private fun abandon(waiter: Waiter) {
        synchronized(lock) {
            val wasHead = waiters.firstOrNull() === waiter
            if (waiters.remove(waiter)) {
                if (wasHead) grant()
            } else {
                held -= waiter.n
                grant()
            }
        }
    }

    /** Grants waiters from the head while they fit; a head that does not fit blocks the rest. */
    private fun grant() {
        while (true) {
            val head = waiters.firstOrNull() ?: return
            if (capacity - held < head.n) return
            held += head.n
            waiters.removeFirst()
            head.ready.trySend(Unit)
        }
    }

    override fun toString(): String = synchronized(lock) { "Semaphore(held=$held/$capacity, waiting=${waiters.size})" }
}
