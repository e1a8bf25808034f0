package dev.conduit.sync

import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.WaitEntry
import dev.conduit.chan.spi.WaitQueue
import dev.conduit.chan.spi.diagnosticName
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import dev.conduit.context.contextDone
import java.util.concurrent.CompletableFuture
import java.util.function.Consumer
import kotlin.time.Duration

/**
 * A weighted semaphore, Go's `golang.org/x/sync/semaphore.Weighted`: [capacity] permits,
 * acquired and released in any amounts.
 *
 * Waiters are served strictly first come, first served: a large request at the head of the
 * queue is not overtaken by later small ones, so it cannot be starved. Coroutines, blocked
 * threads (the Java facade) and futures wait in the same queue: the semaphore is a channel kind
 * of Conduit's core, whose waiters are decided once, under one lock.
 *
 * ## Weights
 * As Go's: a weight of 0 is granted at once unless others wait (then it waits its turn behind
 * them), `release(0)` does nothing, and [tryAcquire] of more than [capacity] returns `false`.
 * Unlike Go's, a *waiting* acquire of more than [capacity] (which could never be granted: Go's
 * waits for its context to be done and then fails) is rejected at the call with
 * `IllegalArgumentException`, as a bad argument; a negative weight is rejected everywhere.
 *
 * ## Contexts
 * Go's rule (golang/go#63615): if the context is done before the permits are granted (before
 * the call, even with permits free, or while waiting, even at the very moment of the grant),
 * the acquire fails with [Context.err] and holds nothing: once granted, the context is checked
 * again and permits granted to a done context go back to the waiters behind. So an acquire that
 * returns saw its context not done.
 *
 * ## Giving up
 * A waiter that gives up (its context is done, its timeout passes, its coroutine is cancelled,
 * its thread interrupted, its future cancelled) holds no permit afterwards, and the waiters
 * behind it move up. If the permits were granted at that very moment: a cancelled coroutine
 * gives them back and throws `CancellationException` (as kotlinx's `Semaphore` does, so a
 * `withTimeout` around `acquire` never leaks permits); an interrupted thread keeps them and
 * returns normally with its interrupt status set (it did acquire).
 *
 * ```
 * val sem = Semaphore(3)
 * sem.acquire(ctx)          // suspends while 3 are held
 * try { download() } finally { sem.release() }
 * ```
 *
 * Thread-safe. [tryAcquire] and [release] never block; [acquire] suspends; [acquireBlocking]
 * blocks the calling thread.
 *
 * @throws IllegalArgumentException if [capacity] is not positive.
 */
public class Semaphore(public val capacity: Long) {
    init {
        require(capacity > 0) { "capacity must be > 0, but was $capacity" }
    }

    private val permits = Permits()

    /** What diagnostics call it: `Semaphore@…`, or what a primitive built on it names it. */
    @get:JvmSynthetic @set:JvmSynthetic
    internal var diagnosticName: String = diagnosticName("Semaphore", this)

    /**
     * The semaphore's state as a channel kind: acquiring `n` permits is a send of `n` that
     * completes when they fit and nobody waits ahead.
     */
    private inner class Permits : ChannelSource() {
        var held = 0L
        val waiters = WaitQueue()

        override fun pollReceive(): Any? = throw UnsupportedOperationException()

        override fun pollSend(element: Any?): Any? {
            val n = element as Long
            if (!waiters.isEmpty() || capacity - held < n) return Poll.NOT_READY
            held += n
            return Poll.SENT
        }

        override fun enqueue(entry: WaitEntry): Unit = waiters.add(entry)

        override fun forEachQueued(action: Consumer<WaitEntry>): Unit = waiters.forEach(action)

        /** A waiter gives up; if it was first, the ones behind it may fit now. */
        override fun dequeue(entry: WaitEntry) {
            val first = waiters.peek() === entry
            if (waiters.remove(entry) && first) grant()
        }

        /** Grants waiters from the head while they fit; a head that does not fit blocks the rest. */
        fun grant() {
            while (true) {
                val head = waiters.peek() ?: return
                val n = head.element() as Long
                if (capacity - held < n) return
                waiters.remove(head)
                if (head.claim(Poll.SENT)) held += n
            }
        }

        override fun toString(): String = this@Semaphore.toString()

        override fun describeWait(send: Boolean): String = "acquire of $diagnosticName"
    }

    /** Permits not held now. Never blocks. */
    public val available: Long
        get() {
            permits.lock()
            val free = capacity - permits.held
            permits.unlock()
            return free
        }

    /**
     * Takes [n] permits if they are free now and nobody is queued ahead. Never blocks.
     *
     * @return whether they were taken: `false` for more than [capacity] (as Go); for 0, `true`
     *   unless somebody waits.
     * @throws IllegalArgumentException if [n] is negative.
     */
    public fun tryAcquire(n: Long = 1): Boolean {
        require(n >= 0) { "n must be >= 0, but was $n" }
        return n <= capacity && permits.trySendNow(n) === Poll.SENT
    }

    /**
     * Suspends until [n] permits are granted, in arrival order, or [ctx] is done (see
     * "Contexts": a context done first always wins).
     *
     * @throws IllegalArgumentException if [n] is not in `0..capacity`.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done before the
     *   grant; no permit is held then.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; no permit
     *   is held then.
     */
    public suspend fun acquire(ctx: Context = Context.background(), n: Long = 1) {
        checkN(n)
        permits.suspending(true, n, ctx, undoLate = { release(n) })
        keepUnlessDone(ctx, n)?.let { contextDone(it) }
    }

    /**
     * Suspends until [n] permits are granted or [timeout] passes (measured by the caller's
     * dispatcher, so virtual time in tests).
     *
     * @return `true` if the permits are held, `false` if the timeout passed first (none held).
     * @throws IllegalArgumentException if [n] is not in `0..capacity`.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled; no permit
     *   is held then.
     */
    public suspend fun tryAcquire(timeout: Duration, n: Long = 1): Boolean {
        checkN(n)
        return permits.suspending(true, n, null, timeout.inWholeNanoseconds, undoLate = { release(n) }) === Poll.SENT
    }

    /**
     * Blocks the calling thread until [n] permits are granted, [ctx] is done or [timeoutNanos]
     * passes (`Long.MAX_VALUE`: no timeout; zero or less: only if free now). The thread parks in
     * the semaphore's own queue (cheaply on a virtual thread).
     *
     * @return `true` if the permits are held, `false` if the timeout passed first (none held).
     * @throws IllegalArgumentException if [n] is not in `0..capacity`.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done before the
     *   grant (see "Contexts"); none held then.
     * @throws InterruptedException if interrupted before the grant; none held then. Interrupted
     *   at the moment of the grant, it returns `true` with the interrupt status set again.
     */
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun acquireBlocking(ctx: Context? = null, n: Long = 1, timeoutNanos: Long = Long.MAX_VALUE): Boolean {
        checkN(n)
        if (permits.sendBlocking(n, timeoutNanos, ctx) !== Poll.SENT) return false
        keepUnlessDone(ctx, n)?.let { throw it }
        return true
    }

    /**
     * Acquires [n] permits without blocking the caller: the future completes once they are
     * held, or exceptionally with [Context.err] if [ctx] is done before the grant (`null`: no
     * context; see "Contexts"). Cancelling it withdraws the request: `cancel` returns `true`
     * only if no permit was or will be granted to it; if they were, it returns `false` and they
     * are held. The same holds for every other way of ending it, or a stage derived from it,
     * from outside (`complete`, `orTimeout`, `thenApply(f).cancel(…)`, …): see
     * [dev.conduit.chan.spi.OperationFuture].
     *
     * @throws IllegalArgumentException if [n] is not in `0..capacity`.
     */
    @JvmOverloads
    public fun acquireFuture(ctx: Context? = null, n: Long = 1): CompletableFuture<Void?> = acquireFuture(ctx, n) {}

    /**
     * [acquireFuture] that runs [onGrant] once the permits are granted and kept, before the
     * future completes (so a caller recording what it holds never sees a completed future first).
     * The future is a [dev.conduit.chan.spi.OperationFuture], as every channel future: ending
     * it, or a stage derived from it, from outside withdraws the request first.
     */
    internal fun acquireFuture(ctx: Context?, n: Long, onGrant: () -> Unit): CompletableFuture<Void?> {
        checkN(n)
        return permits.future(true, n, ctx) {
            keepUnlessDone(ctx, n)?.let { throw it }
            onGrant()
            null
        }
    }

    /**
     * Go's re-check after a grant: if [ctx] is done by now, it was done first or at the same
     * moment, so the [n] permits just granted go back and its error is thrown.
     */
    private fun keepUnlessDone(ctx: Context?, n: Long): ContextException? {
        val err = ctx?.err ?: return null
        release(n)
        return err
    }

    /**
     * Gives back [n] permits and grants the waiters they now satisfy. `release(0)` does
     * nothing. Never blocks.
     *
     * @throws IllegalArgumentException if [n] is negative.
     * @throws IllegalStateException if more permits would be released than are held.
     */
    public fun release(n: Long = 1) {
        require(n >= 0) { "n must be >= 0, but was $n" }
        if (n == 0L) return
        permits.lock()
        val held = permits.held
        if (n > held) {
            permits.unlock()
            throw IllegalStateException("released $n permit(s) but only $held are held")
        }
        permits.held = held - n
        permits.grant()
        permits.unlock()
    }

    private fun checkN(n: Long) {
        require(n in 0..capacity) { "n must be in 0..$capacity, but was $n" }
    }

    /** How many waiters are queued now, for tests and monitoring. */
    internal val waiting: Int
        get() {
            permits.lock()
            val n = permits.waiters.size()
            permits.unlock()
            return n
        }

    override fun toString(): String = "Semaphore(held=${capacity - available}/$capacity)"
}
