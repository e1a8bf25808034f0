package dev.conduit.pipeline

import dev.conduit.context.Context
import dev.conduit.context.runWithContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.cancelChildren
import kotlinx.coroutines.coroutineScope

/**
 * Runs [block], in which pipeline stages are started (`generate`, `map`, `filter`, ...), and
 * when it returns stops every stage still running and waits until they have stopped: Go's
 * `ctx, cancel := context.WithCancel(...); defer cancel()` around a pipeline, built in. So a
 * consumer that stops early (after [take], say) leaves no stage blocked behind it.
 *
 * Stages are children of the block's scope: a stage that fails cancels the others and the
 * failure is thrown from here. When [ctx] is done the whole pipeline is cancelled and
 * [Context.err] is thrown.
 *
 * Suspends until the block and every stage have ended.
 *
 * ```
 * val firstFive = pipeline {
 *     val naturals = generate { var i = 0; while (true) send(i++) }
 *     val squares = map(naturals, workers = 4) { it * it }
 *     take(squares, 5).toList()
 * }
 * ```
 *
 * @return what [block] returns.
 * @throws dev.conduit.context.ContextException if [ctx] was done first.
 */
public suspend fun <R> pipeline(ctx: Context = Context.background(), block: suspend CoroutineScope.() -> R): R =
    runWithContext(ctx) {
        coroutineScope {
            val result = block()
            coroutineContext.cancelChildren()
            result
        }
    }
