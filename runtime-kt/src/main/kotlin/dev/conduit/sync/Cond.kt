package dev.conduit.sync

import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.uncancellableFor
import dev.conduit.chan.spi.WaitEntry
import dev.conduit.chan.spi.WaitQueue
import dev.conduit.chan.spi.diagnosticName
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import dev.conduit.context.contextDone
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.withContext
import java.util.function.Consumer

/**
 * A condition variable, Go's `sync.Cond`, on a channel-built [Mutex]: coroutines and threads
 * wait on it for a condition about state that [mutex] guards, and whoever changes the state
 * signals.
 *
 * The waiters form one first-in, first-out queue of Conduit's core waiters: [await] queues the
 * caller and only then releases [mutex], so a signal sent right after the release finds it (no
 * lost wake-up). Signals go to waiters in the order they started waiting. A signal is never lost
 * to a waiter that gave up: one whose coroutine is cancelled at the moment it is signalled passes
 * the signal on to the next waiter, and so does one whose context was done before the signal
 * reached it (the context wins, as for [Mutex.lock]: it throws the context's error).
 *
 * ```
 * mu.withLock {
 *     while (queue.isEmpty()) cond.await()
 *     queue.removeFirst()
 * }
 * ```
 *
 * As in Go, a waiter must re-check its condition in a loop: another coroutine may take the
 * lock and change the state between the signal and the waiter's return.
 *
 * Thread-safe. [signal] and [broadcast] never block and need not hold the lock; [await]
 * suspends; [awaitBlocking] blocks.
 */
public class Cond(
    /** The lock [await] releases while waiting and holds again when it returns or throws. */
    public val mutex: Mutex,
) {
    private val waiters = Waiters("wait on " + diagnosticName("Cond", this) + " of " + mutex.describe())

    /** The wait queue as a channel kind: a receive that only a signal completes. */
    private class Waiters(private val description: String) : ChannelSource() {
        val queue = WaitQueue()

        override fun pollReceive(): Any? = Poll.NOT_READY

        override fun enqueue(entry: WaitEntry): Unit = queue.add(entry)

        override fun forEachQueued(action: Consumer<WaitEntry>): Unit = queue.forEach(action)

        override fun dequeue(entry: WaitEntry) {
            queue.remove(entry)
        }

        override fun toString(): String = "Cond waiters"

        override fun describeWait(send: Boolean): String = description
    }

    /**
     * Releases [mutex], suspends until signalled or [ctx] is done, and takes [mutex] again
     * before it returns or throws, so a `withLock` block around it stays correct. The caller
     * must hold [mutex].
     *
     * @throws IllegalStateException if [mutex] is not held (nothing waits then).
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done before a
     *   signal; [mutex] is held again then.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled first;
     *   [mutex] is held again then.
     */
    public suspend fun await(ctx: Context = Context.background()) {
        check(mutex.isLocked) { "await on a Cond whose mutex is not held" }
        val caller = LockOrder.caller(currentCoroutineContext())
        var released = false
        try {
            waiters.suspending(false, null, ctx, afterQueued = { mutex.unlock(); released = true }, undoLate = { signal() })
            passOnIfDone(ctx)?.let { contextDone(it) }
        } catch (e: Throwable) {
            if (released) relock(caller) // else the mutex was not held: nothing to take back
            throw e
        }
        relock(caller)
    }

    /**
     * Takes [mutex] again for [caller], even in a cancelled coroutine: [await] always returns
     * holding it. The wait and the lock are the awaiting coroutine's in diagnostics, though the
     * scope is detached from it.
     */
    private suspend fun relock(caller: Any?) {
        withContext(uncancellableFor(currentCoroutineContext())) { mutex.relock(caller) }
    }

    /**
     * [await] for a thread: releases [mutex], blocks until signalled, [ctx] is done (`null`:
     * no context) or [timeoutNanos] passes, and takes [mutex] again before it returns or throws.
     *
     * @return `true` if signalled, `false` if the timeout passed first.
     * @throws IllegalStateException if [mutex] is not held.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done before a
     *   signal reaches it (the mutex is held again).
     * @throws InterruptedException if interrupted before a signal (the mutex is held again).
     *   Interrupted at the moment of a signal, it returns `true` with the interrupt status set.
     */
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun awaitBlocking(ctx: Context? = null, timeoutNanos: Long = Long.MAX_VALUE): Boolean {
        check(mutex.isLocked) { "await on a Cond whose mutex is not held" }
        var released = false
        val signalled = try {
            val r = waiters.blocking(false, null, timeoutNanos, ctx, afterQueued = { mutex.unlock(); released = true }, undoLate = { signal() })
            if (r !== Poll.NOT_READY) passOnIfDone(ctx)?.let { throw it }
            r !== Poll.NOT_READY
        } catch (e: Throwable) {
            if (released) relockBlocking()
            throw e
        }
        relockBlocking()
        return signalled
    }

    /**
     * The re-check after a signal: if [ctx] is done by now, it was done first or at the same
     * moment, so the signal goes on to the next waiter and the context's error is thrown.
     */
    private fun passOnIfDone(ctx: Context?): ContextException? {
        val err = ctx?.err ?: return null
        signal()
        return err
    }

    /** Takes [mutex] again on this thread, even if interrupted meanwhile (the status is kept). */
    private fun relockBlocking() {
        var interrupted = false
        while (true) {
            try {
                mutex.relockBlocking()
                break
            } catch (e: InterruptedException) {
                interrupted = true
            }
        }
        if (interrupted) Thread.currentThread().interrupt()
    }

    /** Wakes the longest-waiting coroutine or thread, if any. Never blocks. */
    public fun signal() {
        waiters.lock()
        waiters.queue.claimFirst(SIGNALLED)
        waiters.unlock()
    }

    /** Wakes every coroutine and thread waiting now (not those that start waiting after). Never blocks. */
    public fun broadcast() {
        waiters.lock()
        waiters.queue.claimAll(SIGNALLED)
        waiters.unlock()
    }

    /** How many coroutines and threads wait for a signal now, for tests and monitoring. */
    internal val waiting: Int
        get() {
            waiters.lock()
            val n = waiters.queue.size()
            waiters.unlock()
            return n
        }

    override fun toString(): String = "Cond(mutex=$mutex)"

    private companion object {
        val SIGNALLED = Any()
    }
}
