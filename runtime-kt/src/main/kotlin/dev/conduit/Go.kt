package dev.conduit

import dev.conduit.context.Context
import dev.conduit.context.ContextException
import kotlinx.coroutines.CancellationException
import dev.conduit.context.runWithContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

/**
 * Starts a goroutine: Go's `go f()`. The [block] runs in [GoRuntime.scope] (default
 * dispatcher, supervisor job); an exception that escapes it goes to the handler set with
 * [GoRuntime.setUncaughtExceptionHandler] and cancels nothing else. Never blocks.
 *
 * @return the goroutine's [Job], to join or cancel it.
 */
public fun go(block: suspend CoroutineScope.() -> Unit): Job = GoRuntime.scope.launch(GoLeaks.goroutineElement(), block = block)

/**
 * Starts a goroutine that runs under [ctx]: it is cancelled when [ctx] is done, and
 * [dev.conduit.context.currentContext] inside it returns a child of [ctx]. Ending because [ctx]
 * is done is the goroutine's cancellation (its job ends cancelled), not an error, and is not
 * reported; any other failure, a [ContextException] of another context included, is. Never
 * blocks.
 */
public fun go(ctx: Context, block: suspend CoroutineScope.() -> Unit): Job =
    GoRuntime.scope.launch(GoLeaks.goroutineElement()) {
        try {
            runWithContext(ctx, block)
        } catch (e: ContextException) {
            if (e === ctx.err) throw CancellationException(e.message, e)
            throw e
        }
    }
