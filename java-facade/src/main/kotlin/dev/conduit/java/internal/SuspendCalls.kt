package dev.conduit.java.internal

import dev.conduit.context.Context
import dev.conduit.context.runWithContext
import dev.conduit.java.sync.Action
import dev.conduit.resilience.RateLimiter
import dev.conduit.sync.Barrier
import dev.conduit.sync.ErrGroup
import dev.conduit.sync.Once
import dev.conduit.sync.OnceValue
import dev.conduit.sync.Subtask
import dev.conduit.sync.WaitGroup
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.withTimeoutOrNull
import java.time.Duration
import java.util.concurrent.Callable
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import kotlin.time.Duration.Companion.nanoseconds
import dev.conduit.java.sync.ErrGroup as JavaErrGroup

/**
 * Plain-Java forms of the core's suspend-only calls (wait groups, once, errgroups, barrier and
 * rate-limiter futures), for the Java facade types in `dev.conduit.java.sync` and
 * `dev.conduit.java.resilience`, which cannot pass a suspend lambda. Blocking forms go through
 * [Bridge.callBlocking] (an interrupt cancels the call, which gives back what it took);
 * futures through [Bridge.call] (cancelling one cancels the call). Java code given to the core
 * (tasks, actions, computations) runs on goroutine threads ([GoThreads]), never on a coroutine
 * dispatcher's thread, and is interrupted when its coroutine is cancelled.
 *
 * Exceptions pass through unchanged: the Java types decide what to declare or wrap.
 */
internal object SuspendCalls {
    /** A facade timeout in nanoseconds: `Long.MAX_VALUE` for "no timeout", a negative one as zero. */
    @JvmStatic
    fun nanos(timeout: Duration): Long = nanosOf(timeout)

    // ---- WaitGroup -----------------------------------------------------------------------

    /** Blocks until [wg]'s count is zero or [ctx] is done (its error is thrown then). */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun await(wg: WaitGroup, ctx: Context) {
        Bridge.callBlocking { runWithContext(ctx) { wg.wait() } }
    }

    /**
     * Blocks until [wg]'s count is zero or [timeoutNanos] passes (`Long.MAX_VALUE`: no
     * timeout; zero or less: only if it is zero now).
     *
     * @return whether the count reached zero in time.
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun await(wg: WaitGroup, timeoutNanos: Long): Boolean {
        if (timeoutNanos <= 0) return wg.count == 0L
        if (timeoutNanos == Long.MAX_VALUE) return Bridge.callBlocking { wg.wait(); true }
        return Bridge.callBlocking { withTimeoutOrNull(timeoutNanos.nanoseconds) { wg.wait() } != null }
    }

    /** A future of [wg]'s count reaching zero, failed with [ctx]'s error if it is done first. */
    @JvmStatic
    fun awaitAsync(wg: WaitGroup, ctx: Context): CompletableFuture<Void?> =
        Bridge.call { runWithContext(ctx) { wg.wait() }; null }

    // ---- Once and OnceValue --------------------------------------------------------------

    /** [Once.run] of [action] on a goroutine thread, blocking the caller until it returns. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun run(once: Once, action: Action<*>) {
        Bridge.callBlocking { once.run(onGoThread(action)) }
    }

    /** [Once.run] of [action] as a future. */
    @JvmStatic
    fun runAsync(once: Once, action: Action<*>): CompletableFuture<Void?> =
        Bridge.call { once.run(onGoThread(action)); null }

    private fun onGoThread(action: Action<*>): suspend () -> Unit = { callOnGoThread { action.run() } }

    /** A core [OnceValue] whose value [compute] makes on a goroutine thread. */
    @JvmStatic
    fun <T> onceValue(compute: Callable<T>): OnceValue<T> =
        OnceValue { callOnGoThread { compute.call() } }

    /** [OnceValue.get], blocking the caller while the value is computed. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T> get(value: OnceValue<T>): T = Bridge.callBlocking { value.get() }

    /** [OnceValue.get] as a future. */
    @JvmStatic
    fun <T> getAsync(value: OnceValue<T>): CompletableFuture<T> = Bridge.call { value.get() }

    // ---- ErrGroup ------------------------------------------------------------------------

    /** [ErrGroup.fork] of a Java [task], blocking while the group's limit is reached. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T> fork(group: ErrGroup, name: String?, task: JavaErrGroup.ValueTask<T>): Subtask<T> =
        Bridge.callBlocking { group.fork(name, onGoThread(task)) }

    /** [ErrGroup.tryFork] of a Java [task]. Never blocks. */
    @JvmStatic
    fun <T> tryFork(group: ErrGroup, name: String?, task: JavaErrGroup.ValueTask<T>): Subtask<T>? =
        group.tryFork(name, onGoThread(task))

    /** [task] on a goroutine thread; what it throws reaches the group as it was thrown. */
    private fun <T> onGoThread(task: JavaErrGroup.ValueTask<T>): suspend CoroutineScope.(Context) -> T =
        { ctx -> callOnGoThread { task.call(ctx) } }

    /**
     * [ErrGroup.cancelAndWait], blocking the caller until every task has ended; an interrupt
     * does not stop the wait (the tasks are already cancelled) and is kept as the thread's status.
     */
    @JvmStatic
    fun cancelAndWait(group: ErrGroup): Boolean = Bridge.callUninterruptibly { group.cancelAndWait() }

    /** [ErrGroup.wait], blocking the caller. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun await(group: ErrGroup) {
        Bridge.callBlocking { group.wait() }
    }

    /** [ErrGroup.wait] as a future. */
    @JvmStatic
    fun awaitAsync(group: ErrGroup): CompletableFuture<Void?> = Bridge.call { group.wait(); null }

    // ---- Barrier -------------------------------------------------------------------------

    /** [Barrier.await] as a future of the arrival index. */
    @JvmStatic
    fun awaitAsync(barrier: Barrier, ctx: Context): CompletableFuture<Int> = Bridge.call { barrier.await(ctx) }

    // ---- RateLimiter ---------------------------------------------------------------------

    /** [RateLimiter.waitN], blocking the caller. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun awaitN(limiter: RateLimiter, ctx: Context, n: Int) {
        Bridge.callBlocking { limiter.waitN(ctx, n) }
    }

    /**
     * [RateLimiter.waitN] as a future. A bad [n] is thrown at the call (the core checks it
     * before the wait first suspends), not delivered through the future.
     *
     * @throws IllegalArgumentException if [n] is not positive or exceeds the burst.
     */
    @JvmStatic
    fun awaitNAsync(limiter: RateLimiter, ctx: Context, n: Int): CompletableFuture<Void?> =
        argumentChecked(Bridge.call { limiter.waitN(ctx, n); null })

    /** [f], unless it already failed with an [IllegalArgumentException]: that is thrown instead. */
    private fun <R> argumentChecked(f: CompletableFuture<R>): CompletableFuture<R> {
        if (f.isCompletedExceptionally) {
            val cause = try {
                f.getNow(null)
                null
            } catch (e: CompletionException) {
                e.cause
            } catch (e: java.util.concurrent.CancellationException) {
                null
            }
            if (cause is IllegalArgumentException) throw cause
        }
        return f
    }
}
