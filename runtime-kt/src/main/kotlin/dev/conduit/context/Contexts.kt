@file:JvmName("Contexts")

package dev.conduit.context

import dev.conduit.GoRuntime
import dev.conduit.Stoppable
import kotlinx.coroutines.launch
import java.time.Instant
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * A child of this context that is cancelled when [CancelContext.cancel] is called or when
 * this context is cancelled, whichever is first: Go's `context.WithCancel`. Never blocks.
 */
public fun Context.withCancel(): CancelContext = CancelCtx(this).also { it.attach() }

/**
 * A child of this context that is also cancelled, with [DeadlineExceededException], at
 * [deadline]: Go's `context.WithDeadline`. If this context's deadline is earlier, the child
 * keeps that one. A deadline already past gives a context that is done at once. Never blocks.
 */
public fun Context.withDeadline(deadline: Instant): CancelContext {
    val inherited = this.deadline
    if (inherited != null && !inherited.isAfter(deadline)) return withCancel()
    return TimerCtx(this, deadline).also { it.attach() }
}

/**
 * A child of this context that is cancelled after [timeout] on this context's clock: Go's
 * `context.WithTimeout`. Never blocks.
 */
public fun Context.withTimeout(timeout: Duration): CancelContext =
    withDeadline(clock.now().plus(timeout.toJavaDuration()))

/**
 * A child of this context that carries [value] under [key]; everything else is this
 * context's. Go's `context.WithValue`. Never blocks.
 */
public fun Context.withValue(key: Any, value: Any?): Context = ValueCtx(this, key, value)

/**
 * A context with this one's values but none of its cancellation or deadline: Go's
 * `context.WithoutCancel`, for work that must finish even when the request that started it
 * is cancelled. Never blocks.
 */
public fun Context.withoutCancel(): Context = WithoutCancelCtx(this)

/**
 * Runs [action] in its own goroutine once this context is done: Go's `context.AfterFunc`. If
 * the context is already done, it runs at once (in a new goroutine). Never blocks.
 *
 * @return a handle whose [Stoppable.stop] returns `true` if it kept [action] from being
 *   started.
 */
public fun Context.afterFunc(action: Runnable): Stoppable {
    val started = AtomicBoolean()
    val registration = onDone { _, _, _ ->
        if (started.compareAndSet(false, true)) GoRuntime.scope.launch { action.run() }
    }
    return Stoppable {
        if (!started.compareAndSet(false, true)) return@Stoppable false
        registration.stop()
        true
    }
}
