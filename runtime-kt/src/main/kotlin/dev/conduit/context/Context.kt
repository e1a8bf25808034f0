package dev.conduit.context

import dev.conduit.Clock
import dev.conduit.chan.ReceiveChan
import java.time.Instant

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
 * The error of a context that is done: [ContextCanceledException] or
 * [DeadlineExceededException]. A [kotlinx.coroutines.CancellationException], so that work
 * stopped by its context ends as cancelled, not failed, as with kotlinx's `withTimeout`.
 */
public sealed class ContextException(message: String, cause: Throwable?) :
    kotlinx.coroutines.CancellationException(message) {
    init {
        if (cause != null) initCause(cause)
    }
}

/** Go's `context.Canceled`: the context was cancelled; [cause] is the cause given, if any. */
public class ContextCanceledException(cause: Throwable? = null) : ContextException("context canceled", cause)

/** Go's `context.DeadlineExceeded`: the context's deadline passed. */
public class DeadlineExceededException : ContextException("context deadline exceeded", null)
