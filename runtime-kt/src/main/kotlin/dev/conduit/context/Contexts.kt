package dev.conduit.context

import dev.conduit.GoLeaks
import dev.conduit.GoRuntime
import dev.conduit.Stoppable
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * A child of this context that is cancelled after [timeout] on this context's clock: Go's
 * `context.WithTimeout`. Never blocks.
 */
public fun Context.withTimeout(timeout: Duration): CancelContext = withTimeout(timeout.toJavaDuration())

/**
 * [withTimeout] whose [Context.cause] (when the timeout is what ends it) is [cause]: Go's
 * `context.WithTimeoutCause`. Never blocks.
 */
public fun Context.withTimeoutCause(timeout: Duration, cause: Throwable?): CancelContext =
    withTimeoutCause(timeout.toJavaDuration(), cause)

/** [Context.afterFunc]: one registration, started at most once, in a goroutine. */
internal fun Context.afterFuncLaunching(action: suspend CoroutineScope.() -> Unit): Stoppable {
    val started = AtomicBoolean()
    val registration = onDone { _, _, _ ->
        if (started.compareAndSet(false, true)) GoRuntime.scope.launch(GoLeaks.goroutineElement(), block = action)
    }
    return Stoppable {
        if (!started.compareAndSet(false, true)) return@Stoppable false
        registration.stop()
        true
    }
}
