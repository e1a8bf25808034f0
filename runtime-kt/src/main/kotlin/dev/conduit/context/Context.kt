package dev.conduit.context

import dev.conduit.Clock
import dev.conduit.Stoppable
import dev.conduit.chan.ReceiveChan
import kotlinx.coroutines.CoroutineScope
import java.time.Instant
import java.util.concurrent.CompletableFuture

/**
 * Go's `context.Context`: carries a cancellation signal, a deadline and request-scoped values
 * across API boundaries and between goroutines.
 *
 * Contexts form a tree. [background] is the root; [withCancel], [withTimeout], [withDeadline],
 * [withValue] and [withoutCancel] derive children. Cancellation flows from parent to children,
 * never back; cancelling twice does nothing; a child's deadline never outlives its parent's.
 *
 * ```
 * val ctx = Context.background().withTimeout(2.seconds)
 * select<Unit> {
 *     results.onReceive { println(it) }
 *     ctx.done.onReceiveOk { println("gave up: ${ctx.err}") }
 * }
 * ```
 *
 * ## Coroutines
 * [runWithContext] runs a block that is cancelled when the context is; [currentContext] gives
 * a context that is cancelled with the calling coroutine's job.
 *
 * ## Implementing Context
 * Implement the four abstract members ([deadline], [done], [err], [value]); the derive
 * functions ([withCancel] and the others) are members with implementations, so Java code calls
 * them on any context (`ctx.withTimeout(Duration.ofSeconds(2))`). A context that delegates
 * [value] and [done] to a Conduit context (as Go code embeds one) cancels its children
 * synchronously; one that implements [AfterFuncContext] notifies them through its own
 * callbacks; any other is watched by a goroutine, so its children follow it a moment later.
 * Note that Kotlin's `by` delegation forwards the derive functions too: the children of
 * `object : Context by inner` derive from `inner`.
 */
public interface Context {
    /** When this context will be cancelled by a deadline, or `null` if it has none. */
    public val deadline: Instant?

    /**
     * A channel that is closed when this context is cancelled: receive from it, or use it in a
     * select, to wait for cancellation. A context that can never be cancelled
     * ([background], [withoutCancel]) returns a nil channel, which never fires.
     */
    public val done: ReceiveChan<Nothing>

    /**
     * `null` while this context is not done; then [ContextCanceledException] if it was
     * cancelled or [DeadlineExceededException] if its deadline passed. Never changes once set.
     */
    public val err: ContextException?

    /**
     * Why this context was cancelled: the cause given to [CancelContext.cancel], else [err].
     * `null` while not done. Go's `context.Cause(ctx)`.
     */
    public val cause: Throwable? get() = err

    /** The clock that this context's deadlines, and its children's, are measured on. */
    public val clock: Clock get() = Clock.system()

    /**
     * The value stored under [key] by the nearest [withValue] on the path to the root, or
     * `null`. Keys are compared with `equals`; use a private object as a key to avoid clashes.
     */
    public fun value(key: Any): Any?

    // ---- deriving children (Go's context.With*) --------------------------------------------

    /**
     * A child of this context that is cancelled when [CancelContext.cancel] is called or when
     * this context is cancelled, whichever is first: Go's `context.WithCancel` (and, with
     * [CancelContext.cancel]`(cause)`, `WithCancelCause`). Never blocks.
     */
    public fun withCancel(): CancelContext = CancelCtx(this).also { it.attach() }

    /**
     * A child of this context that is also cancelled, with [DeadlineExceededException], at
     * [deadline]: Go's `context.WithDeadline`. If this context's deadline is earlier, the child
     * keeps that one. A deadline already past gives a context that is done at once. Never blocks.
     */
    public fun withDeadline(deadline: Instant): CancelContext = withDeadlineCause(deadline, null)

    /**
     * [withDeadline] whose [cause] (when the deadline is what ends it) is [cause]: Go's
     * `context.WithDeadlineCause`. [err] is still [DeadlineExceededException]. Never blocks.
     */
    public fun withDeadlineCause(deadline: Instant, cause: Throwable?): CancelContext {
        val inherited = this.deadline
        if (inherited != null && !inherited.isAfter(deadline)) return withCancel()
        return TimerCtx(this, deadline, cause).also { it.attach() }
    }

    /**
     * A child of this context that is cancelled after [timeout] on this context's clock: Go's
     * `context.WithTimeout`, for Java (`java.time.Duration`; Kotlin also has it with a
     * `kotlin.time.Duration`). A timeout too long for an [Instant]
     * (`Duration.ofSeconds(Long.MAX_VALUE)`, Kotlin's `Duration.INFINITE`) means no deadline; one
     * too far in the past, a context done at once. Never blocks.
     */
    public fun withTimeout(timeout: java.time.Duration): CancelContext = withTimeoutCause(timeout, null)

    /**
     * [withTimeout] whose [cause] (when the timeout is what ends it) is [cause]: Go's
     * `context.WithTimeoutCause`. Never blocks.
     */
    public fun withTimeoutCause(timeout: java.time.Duration, cause: Throwable?): CancelContext {
        val now = clock.now()
        val deadline = try {
            now.plus(timeout)
        } catch (e: java.time.DateTimeException) {
            if (timeout.isNegative) now else return withCancel()
        } catch (e: ArithmeticException) {
            if (timeout.isNegative) now else return withCancel()
        }
        return withDeadlineCause(deadline, cause)
    }

    /**
     * A child of this context that carries [value] under [key]; everything else is this
     * context's. Go's `context.WithValue`. Never blocks.
     */
    public fun withValue(key: Any, value: Any?): Context = ValueCtx(this, key, value)

    /**
     * A context with this one's values but none of its cancellation or deadline: Go's
     * `context.WithoutCancel`, for work that must finish even when the request that started it
     * is cancelled. Never blocks.
     */
    public fun withoutCancel(): Context = WithoutCancelCtx(this)

    /**
     * Runs [action] in its own goroutine once this context is done: Go's `context.AfterFunc`.
     * If the context is already done, it runs at once (in a new goroutine). Never blocks.
     * (Kotlin also has it with a suspending block.)
     *
     * @return a handle whose [Stoppable.stop] returns `true` if it kept [action] from being
     *   started.
     */
    public fun afterFunc(action: Runnable): Stoppable = afterFuncLaunching { action.run() }

    /**
     * Runs the suspending [action] in its own goroutine once this context is done: Go's
     * `context.AfterFunc`, for Kotlin (a lambda goes here, not to the `Runnable` form). If the
     * context is already done, it starts at once. Never blocks.
     *
     * @return a handle whose [Stoppable.stop] returns `true` if it kept [action] from being
     *   started.
     */
    @JvmSynthetic
    public fun afterFunc(action: suspend CoroutineScope.() -> Unit): Stoppable = afterFuncLaunching(action)

    /**
     * A future completed (with `null`) once this context is done, for Java code that composes
     * futures. Cancelling (or completing) the future only stops watching; it does nothing to the
     * context. Never blocks.
     */
    public fun doneFuture(): CompletableFuture<Void?> {
        val f = CompletableFuture<Void?>()
        val watch = afterFuncLaunching { f.complete(null) }
        f.whenComplete { _, _ -> watch.stop() }
        return f
    }

    public companion object {
        private val BACKGROUND: Context = EmptyContext("context.Background", Clock.system())
        private val TODO: Context = EmptyContext("context.TODO", Clock.system())

        /** The root context: never cancelled, no deadline, no values, the system clock. */
        @JvmStatic
        public fun background(): Context = BACKGROUND

        /**
         * A root context on [clock]: never cancelled itself, but its timeouts and deadlines,
         * and its children's, run on [clock] (a virtual clock in tests).
         */
        @JvmStatic
        public fun background(clock: Clock): Context = EmptyContext("context.Background", clock)

        /** Like [background], for code that has not yet decided which context to use. */
        @JvmStatic
        public fun todo(): Context = TODO
    }
}

/**
 * A context made by [withCancel], [withTimeout] or [withDeadline], with the function that
 * cancels it. Cancelling releases its resources (timers, its registration with its parent), so
 * call [cancel] (or [close], for try-with-resources and `use {}`) when the work is done.
 */
public interface CancelContext : Context, AutoCloseable {
    /**
     * Cancels this context and all its children with [ContextCanceledException]. Idempotent:
     * calls after the first do nothing. Never blocks.
     */
    public fun cancel(): Unit = cancel(null)

    /**
     * Cancels this context and its children with [ContextCanceledException] and records [cause]
     * as [Context.cause] (Go's `WithCancelCause`). Idempotent. Never blocks.
     */
    public fun cancel(cause: Throwable?)

    /** Same as [cancel]. */
    override fun close(): Unit = cancel(null)
}

/**
 * A [Context] implemented outside Conduit that can run a callback once it is done: Go's
 * `afterFuncer`. Conduit contexts derived from it ([Context.withCancel] and the others, and
 * [Context.afterFunc]) register with [afterFunc] instead of watching [done] with a goroutine of
 * their own, so they learn of its end as soon as it runs its callbacks.
 */
public interface AfterFuncContext : Context {
    /**
     * Arranges for [action] to run once after this context is done, at once if it already is;
     * it must not block. Never blocks.
     *
     * @return a handle whose [Stoppable.stop] returns `true` if it kept [action] from running.
     */
    override fun afterFunc(action: Runnable): Stoppable
}

/**
 * The error of a context that is done: [ContextCanceledException] or
 * [DeadlineExceededException], Go's `ctx.Err()`.
 *
 * ## A failure, not a cancellation
 * A `ContextException` is deliberately *not* a `CancellationException`. An operation that gives
 * up because its context is done reports an error, as it returns `ctx.Err()` in Go; and in
 * structured concurrency an error escaping a coroutine fails its parent, where a
 * `CancellationException` would end it quietly (the trap kotlinx regrets with
 * `TimeoutCancellationException`: `launch { ch.receive(ctxWithTimeout) }` would stop without a
 * word, and its parent would carry on as if the work were done). Consequences:
 * - a `ContextException` that escapes `launch` fails the parent scope and reaches the
 *   `CoroutineExceptionHandler`, as any failure; catch it where giving up is a normal outcome;
 * - a coroutine that is itself cancelled never sees one: a suspending Conduit operation whose
 *   coroutine is cancelled throws that `CancellationException`, even when its context is done
 *   because of that cancellation ([currentContext], [runWithContext]);
 * - the coroutines *inside* [runWithContext] are cancelled (with a `CancellationException`
 *   whose cause is this error) when the context ends; the caller of `runWithContext` gets this
 *   error;
 * - Java callers catch it as an unchecked exception; [isTimeout] tells a deadline from a
 *   cancel.
 */
public sealed class ContextException(message: String, cause: Throwable?) : RuntimeException(message, cause) {
    /** Whether the context ended by its deadline: Go's `Timeout()` on `DeadlineExceeded`. */
    public open val isTimeout: Boolean get() = false
}

/** Go's `context.Canceled`: the context was cancelled; [cause] is the cause given, if any. */
public class ContextCanceledException(cause: Throwable? = null) : ContextException("context canceled", cause)

/** Go's `context.DeadlineExceeded`: the context's deadline passed. */
public class DeadlineExceededException : ContextException("context deadline exceeded", null) {
    /** Always true: a deadline passed. */
    override val isTimeout: Boolean get() = true
}
