package dev.conduit.sync

import dev.conduit.chan.Chan
import dev.conduit.chan.chan
import dev.conduit.chan.select
import dev.conduit.context.Context
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong

/**
 * A condition variable, Go's `sync.Cond`, on a channel-built [Mutex]: coroutines wait on it
 * for a condition about state that [mutex] guards, and whoever changes the state signals.
 *
 * Built from channels: the wait queue is an unbounded channel of waiters, and each waiter
 * sleeps on its own one-slot channel until [signal] or [broadcast] sends into it. Signals go
 * to waiters in the order they started waiting. A signal is never lost to a waiter that gave
 * up: one that gives up after it was signalled passes the signal on.
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
 * suspends.
 */
public class Cond(
    /** The lock [await] releases while waiting and holds again when it returns or throws. */
    public val mutex: Mutex,
) {
    private val queue: Chan<Waiter> = chan(Int.MAX_VALUE)
    private val tickets = AtomicLong()

    /**
     * One waiting coroutine, numbered in the order waiting began; [state] decides, once,
     * whether it was signalled or gave up.
     */
    private class Waiter(val ticket: Long) {
        val state = AtomicInteger(WAITING)
        val wake: Chan<Unit> = chan(1)
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
        val me = Waiter(tickets.getAndIncrement())
        queue.trySend(me) // before unlocking, so a signal sent right after the unlock finds it
        try {
            mutex.unlock()
        } catch (e: IllegalStateException) {
            withdraw(me)
            throw e
        }
        val signalled = try {
            select<Boolean> {
                me.wake.onReceive { true }
                ctx.done.onReceiveOk { false }
            }
        } catch (e: Throwable) {
            withdraw(me)
            relock()
            throw e
        }
        if (!signalled) withdraw(me)
        relock()
        if (!signalled) throw ctx.err!!
    }

    /** Takes [mutex] again, even in a cancelled coroutine: [await] always returns holding it. */
    private suspend fun relock() {
        withContext(NonCancellable) { mutex.lock() }
    }

    /** Withdraws [me]; a signal that reached it in the meantime goes on to the next waiter. */
    private fun withdraw(me: Waiter) {
        if (!me.state.compareAndSet(WAITING, ABANDONED)) signal()
    }

    /** Wakes the longest-waiting coroutine, if any. Never blocks. */
    public fun signal() {
        while (true) {
            val next = queue.tryReceive()?.valueOrNull() ?: return
            if (wake(next)) return
        }
    }

    /** Wakes every coroutine waiting now (not those that start waiting afterwards). Never blocks. */
    public fun broadcast() {
        val newest = tickets.get() - 1
        while (true) {
            val next = queue.tryReceive()?.valueOrNull() ?: return
            wake(next)
            if (next.ticket >= newest) return
        }
    }

    /** Signals [waiter] unless it gave up; says whether it did. */
    private fun wake(waiter: Waiter): Boolean {
        if (!waiter.state.compareAndSet(WAITING, SIGNALLED)) return false
        waiter.wake.trySend(Unit)
        return true
    }

    override fun toString(): String = "Cond(mutex=$mutex)"

    private companion object {
        const val WAITING = 0
        const val SIGNALLED = 1
        const val ABANDONED = 2
    }
}
