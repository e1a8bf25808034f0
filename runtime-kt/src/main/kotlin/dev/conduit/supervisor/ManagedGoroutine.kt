package dev.conduit.supervisor

import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import dev.conduit.chan.spi.uncancellableFor
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.withContext
import java.time.Instant
import java.util.Collections
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage

/**
 * What a goroutine started by [GoroutineManager.go] runs in: a [CoroutineScope] (its
 * coroutines are the goroutine's children, which it waits for) with the goroutine's handle, its
 * context, and the goroutine's `defer`.
 *
 * ```
 * manager.go("import") { ctx ->
 *     val file = open(path)
 *     defer { file.close() }                 // runs when the goroutine ends, however it ends
 *     blockedOn("the upload queue") { queue.send(file.read(), ctx) }
 * }
 * ```
 */
public interface ManagedGoroutineScope : CoroutineScope {
    /** The goroutine this code runs as. */
    public val goroutine: ManagedGoroutine

    /** The goroutine's context (the block's parameter): cancelled when it is asked to stop. */
    public val ctx: Context

    /**
     * Registers [cleanup] to run when the goroutine ends, after its code, however that ends
     * (returning, failing, cancelled); cleanups run last registered first, non-cancellable, and
     * one that throws is reported (see [ManagedGoroutine.defer]). Never blocks.
     *
     * @throws IllegalStateException if the goroutine's cleanups have already run.
     */
    public fun defer(cleanup: suspend () -> Unit): Unit = goroutine.defer(cleanup)

    /**
     * Runs [block], showing the goroutine as [GoroutineState.BLOCKED] on [what] in
     * [GoroutineManager.goroutines] meanwhile; afterwards it shows what it showed before. For the
     * waits a listing should name ("the orders channel", "a database connection"). Suspends
     * while [block] does.
     *
     * @return what [block] returns.
     */
    public suspend fun <T> blockedOn(what: String, block: suspend () -> T): T = goroutine.blockedWhile(what, block)
}

/**
 * The handle of a goroutine that a [GoroutineManager] runs: its [id], [name] and [labels], its
 * state now ([info]), its own [ctx], and ways to wait for it ([join], [completion]), to stop it
 * ([cancel]) and to register cleanups ([defer]). Thread-safe.
 *
 * ## Its life
 * A goroutine that [GoroutineManager.go] had to queue is [GoroutineState.BLOCKED] on "a slot of
 * manager '…'" until it gets one; then it runs ([GoroutineState.RUNNING]); when its code ends it
 * is BLOCKED on "cleanups" while those run; then it ends [GoroutineState.FINISHED],
 * [GoroutineState.FAILED] (its code or a cleanup threw) or [GoroutineState.CANCELLED] (it
 * stopped because it was asked to: its context is done, or its coroutine was cancelled). It
 * holds its slot until its cleanups have run.
 */
public class ManagedGoroutine internal constructor(
    /** Its number, unique in the process, in start order. */
    public val id: Long,
    /** The name it was started with. */
    public val name: String,
    labels: Map<String, String>,
    private val manager: GoroutineManager,
    private val startedAt: Instant,
    private val ownCtx: CancelContext,
    slotWait: String?,
) {
    /** Its state, what it is blocked on and since when, and its first error: replaced whole, so a snapshot is never torn. */
    private class Status(val state: GoroutineState, val blockedOn: String?, val since: Instant, val failure: Throwable?)

    /** Its labels, as given when it was started; unmodifiable. */
    public val labels: Map<String, String> = Collections.unmodifiableMap(LinkedHashMap(labels))

    @Volatile
    private var status = Status(if (slotWait == null) GoroutineState.RUNNING else GoroutineState.BLOCKED, slotWait, startedAt, null)

    private val cleanups = CleanupStack { "goroutine '$name' (#$id)" }
    private val done = CompletableDeferred<Unit>()
    private val doneFuture = CompletableFuture<Void?>()
    private val lock = Any()
    private var job: Job? = null
    private var forced = false

    /**
     * Its own context, given to its code: a child of the manager's [GoroutineManager.ctx],
     * cancelled by [cancel], by the manager's shutdown signal, or when it has ended.
     */
    public val ctx: Context get() = ownCtx

    /** The name of the manager that runs it. */
    public val owner: String get() = manager.name

    /** Its state now. Never blocks. */
    public val state: GoroutineState get() = status.state

    /** Whether it has ended and its cleanups have run. Never blocks. */
    public val isDone: Boolean get() = done.isCompleted

    /** A snapshot of it now: state, what it is blocked on, since when. Never blocks. */
    public fun info(): GoroutineInfo {
        val s = status
        return GoroutineInfo(id, name, labels, s.state, s.blockedOn, startedAt, s.since, manager.name, s.failure)
    }

    /**
     * Registers [cleanup] to run when this goroutine ends, after its code, however it ends.
     * Cleanups run last registered first, in the goroutine's coroutine, non-cancellable (so a
     * cleanup of a force-cancelled goroutine still runs to its end, and may suspend); one that
     * throws is reported to the manager ([GoroutineManager.errors], [GoroutineManager.wait], as
     * [ManagedGoroutineFailure.inCleanup]) and the others still run. Meant to be called by the
     * goroutine's own code ([ManagedGoroutineScope.defer]); from elsewhere it races with its end.
     * Never blocks.
     *
     * @throws IllegalStateException if its cleanups have already run.
     */
    public fun defer(cleanup: suspend () -> Unit) {
        cleanups.push(cleanup)
    }

    /**
     * Asks it to stop now: cancels its [ctx] and its coroutine (for a Java task, interrupts its
     * thread). Its cleanups still run. Idempotent; does nothing once it has ended. Never blocks.
     */
    public fun cancel() {
        ownCtx.cancel()
        forceCancel()
    }

    /** Suspends until it has ended and its cleanups have run, however it ended. Cancelling the caller only stops the wait. */
    public suspend fun join() {
        done.await()
    }

    /**
     * A stage completed (with `null`) once it has ended and its cleanups have run, however it
     * ended; nobody else can complete it. Never blocks.
     */
    public fun completion(): CompletionStage<Void?> = doneFuture.minimalCompletionStage()

    /** Its [info] as one line. Never blocks. */
    override fun toString(): String = info().toString()

    // ---- run by its manager ------------------------------------------------------------

    /** Whether its coroutine was started (it got a slot). */
    internal val started: Boolean get() = synchronized(lock) { job != null }

    /** Sets what it shows; [blockedOn] only for BLOCKED. */
    private fun show(state: GoroutineState, blockedOn: String? = null, failure: Throwable? = null) {
        status = Status(state, blockedOn, manager.clock.now(), failure)
    }

    internal suspend fun <T> blockedWhile(what: String, block: suspend () -> T): T {
        val before = status
        show(GoroutineState.BLOCKED, what)
        try {
            return block()
        } finally {
            status = before
        }
    }

    /** Records the coroutine that runs it; one force-cancelled before that is cancelled now. */
    internal fun attach(j: Job) {
        val cancelNow = synchronized(lock) {
            job = j
            forced
        }
        if (cancelNow) j.cancel()
    }

    /** Cancels its coroutine (now, or as soon as it has one). Never blocks. */
    internal fun forceCancel() {
        val j = synchronized(lock) {
            forced = true
            job
        }
        j?.cancel()
    }

    /** It was refused a slot (the manager stopped accepting, or the caller gave up): it never ran. */
    internal fun withdrawn() {
        show(GoroutineState.CANCELLED)
        ownCtx.cancel()
        done.complete(Unit)
        doneFuture.complete(null)
    }

    /** Runs its code, then its cleanups, then tells the manager it ended. The caller's coroutine is this goroutine's. */
    internal suspend fun run(block: suspend ManagedGoroutineScope.(Context) -> Unit) {
        show(GoroutineState.RUNNING)
        // What the block threw, as it threw it: coroutineScope may hand on a recovered copy.
        var thrown: Throwable? = null
        var failure: Throwable? = null
        var cancelled = false
        try {
            coroutineScope {
                val scope = Scope(this, this@ManagedGoroutine)
                try {
                    scope.block(ownCtx)
                } catch (e: Throwable) {
                    thrown = e
                    throw e
                }
            }
        } catch (e: Throwable) {
            val error = thrown ?: e
            if (stoppedOnRequest(error)) cancelled = true else failure = error
        }
        failure?.let { manager.failed(this, it, inCleanup = false) }
        show(GoroutineState.BLOCKED, CLEANUPS)
        // Cleanups run even once cancelled; their Conduit waits (and the locks they take) are this goroutine's.
        withContext(uncancellableFor(currentCoroutineContext())) {
            cleanups.runAll { e ->
                if (failure == null) failure = e
                manager.failed(this@ManagedGoroutine, e, inCleanup = true)
            }
        }
        val end = failure
        show(
            when {
                end != null -> GoroutineState.FAILED
                cancelled -> GoroutineState.CANCELLED
                else -> GoroutineState.FINISHED
            },
            failure = end,
        )
        ownCtx.cancel()
        done.complete(Unit)
        doneFuture.complete(null)
        manager.ended(this)
    }

    /**
     * Whether [error] ended the code because it was asked to stop: a cancellation of its own
     * coroutine, or a context error while its context is done. A `CancellationException` it threw
     * while nobody cancelled it (an escaped `withTimeout`'s) is a failure.
     */
    private suspend fun stoppedOnRequest(error: Throwable): Boolean = when (error) {
        is CancellationException -> currentCoroutineContext()[Job]?.isCancelled == true || ownCtx.err != null
        is ContextException -> ownCtx.err != null
        else -> false
    }

    private class Scope(scope: CoroutineScope, override val goroutine: ManagedGoroutine) :
        ManagedGoroutineScope, CoroutineScope by scope {
        override val ctx: Context get() = goroutine.ctx
    }
}

/** What a goroutine shows it is blocked on while its cleanups run. */
private const val CLEANUPS = "cleanups"
