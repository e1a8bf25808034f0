package dev.conduit.context

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.cancel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.isActive
import kotlinx.coroutines.job
import kotlinx.coroutines.withContext
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/** Carries the [Context] that [runWithContext] runs a block under. */
private class ContextElement(val ctx: Context) : AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<ContextElement>
}

/**
 * Runs [block] under [ctx]: the block is cancelled as soon as [ctx] is done, and
 * [currentContext] inside it derives from [ctx]. Suspends until the block completes.
 *
 * @return what [block] returns.
 * @throws ContextException ([Context.err]) if [ctx] was done before or while the block ran and
 *   that is why it stopped.
 */
public suspend fun <T> runWithContext(ctx: Context, block: suspend CoroutineScope.() -> T): T {
    ctx.err?.let { contextDone(it) }
    try {
        return coroutineScope {
            val job = coroutineContext.job
            val registration = ctx.onDone { _, err, _ -> job.cancel(err.message ?: "context done", err) }
            try {
                withContext(ContextElement(ctx), block)
            } finally {
                registration.stop()
            }
        }
    } catch (e: kotlinx.coroutines.CancellationException) {
        val err = ctx.err ?: throw e
        contextDone(err)
    }
}

/**
 * A context for the calling coroutine: a child of the context it runs under (see
 * [runWithContext]; [Context.background] otherwise) that is also cancelled when the
 * coroutine's job is cancelled or completes. Pass it to APIs that take a Context. Never
 * suspends in practice.
 */
public suspend fun currentContext(): Context {
    val cc = currentCoroutineContext()
    val parent = cc[ContextElement]?.ctx ?: Context.background()
    val job = cc[Job] ?: return parent
    return job.asContext(parent)
}

/**
 * A child of [parent] that is cancelled when this job starts cancelling or completes, with the
 * job's cancellation exception as its [Context.cause]. Never blocks.
 */
@JvmOverloads
public fun Job.asContext(parent: Context = Context.background()): CancelContext =
    JobCtx(parent, this).also {
        it.attach()
        it.bind()
    }

private class JobCtx(parent: Context, private val job: Job) : CancelCtx(parent) {
    @Volatile
    private var handle: DisposableHandle? = null

    @OptIn(InternalCoroutinesApi::class)
    fun bind() {
        handle = job.invokeOnCompletion(onCancelling = true, invokeImmediately = true) { cause ->
            cancel(true, ContextCanceledException(cause), cause)
        }
        if (err != null) handle?.dispose()
    }

    override fun onCanceled() {
        handle?.dispose()
    }
}

/**
 * Throws [err], the error of a context that stopped a suspending operation; but if the calling
 * coroutine is itself cancelled (its context may be done because of that, see [currentContext]),
 * throws that `CancellationException` instead, so a cancelled coroutine ends cancelled rather
 * than failed. See [ContextException].
 */
@PublishedApi
internal suspend fun contextDone(err: ContextException): Nothing {
    currentCoroutineContext().ensureActive()
    throw err
}
