package dev.conduit.chan.spi

import dev.conduit.Stoppable
import dev.conduit.chan.NilChan
import dev.conduit.context.Context
import dev.conduit.context.onDone
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.coroutines.Continuation
import kotlin.coroutines.resume
import kotlin.coroutines.suspendCoroutine

/**
 * A waiter that is a suspended coroutine.
 *
 * ## One decision with kotlinx's cancellation
 * A claim must not succeed while kotlinx cancels the continuation, or the operation would both
 * happen and be reported cancelled. kotlinx's own channels settle that with an internal
 * `tryResume`; with the public API the only atomic decision is `resume` itself. So a claim
 * resumes the continuation at once, with the channel locked ([commit]): if kotlinx had
 * cancelled it first, the claim fails and the claimer moves on; once resumed, kotlinx can no
 * longer cancel it. The withdrawal on cancellation ([invoke], kotlinx's cancellation handler)
 * takes the same lock, so the two never interleave.
 *
 * Resuming under the lock runs only the dispatcher's `dispatch` (a queue insert). A coroutine
 * that resumes inline instead (`Dispatchers.Unconfined`, no dispatcher at all) would run its
 * code on the claimer's thread with the lock held; [awaitClaim] sees that ([wakingThread] is its
 * own thread) and parks itself on [deferred] until the claimer has released the lock.
 *
 * ## Prompt cancellation
 * A coroutine resumed with a claim can still be cancelled before it runs (kotlinx's prompt
 * cancellation); it then resumes with a `CancellationException`. Its operation did happen, so
 * [awaitClaim] returns the claim anyway: the value is never lost, and the cancellation takes
 * effect at the coroutine's next suspension point.
 */
@PublishedApi
internal class CoroutineWaiter(
    source: ChannelLock?,
    send: Boolean,
    element: Any?,
    /** How to withdraw it from every queue it is in. */
    @JvmField val registration: Registration,
) : Waiter(source, send, element), (Throwable?) -> Unit {

    @JvmField var cont: CancellableContinuation<Any?>? = null

    /** The claimer's thread while it resumes [cont]; read by code that runs inline in it. */
    @JvmField var wakingThread: Thread? = null

    /** This coroutine, parked by [awaitClaim] until the claimer that resumed it inline unlocks. */
    @JvmField var deferred: Continuation<Unit>? = null

    /**
     * Set by [awaitClaim] when the coroutine was cancelled after its claim: the operation
     * happened and its result is returned; a caller whose result must not outlive a
     * cancellation (a lock, permits) undoes it and throws this instead.
     */
    @JvmField var lateCancellation: CancellationException? = null

    override fun commit(claimed: WaitEntry): Int {
        val c = cont!!
        wakingThread = Thread.currentThread()
        try {
            c.resume(claimed)
        } finally {
            wakingThread = null
        }
        if (c.isCancelled) {
            fail()
            return FAILED_COMMIT
        }
        return if (deferred != null) WAKE else DONE
    }

    override fun wake() {
        val d = deferred!!
        deferred = null
        d.resume(Unit)
    }

    override fun withdrawn() {
        cont!!.resume(state)
    }

    /** The decision: the claimed entry, or why it was withdrawn; `null` while waiting. */
    @PublishedApi
    internal fun decision(): Any? = state

    /** kotlinx's cancellation handler: withdraws from every queue, unless a claim got there first. */
    override fun invoke(cause: Throwable?) {
        // Cancelled inline while a claimer resumes us, with its lock held: the claim stands.
        if (wakingThread === Thread.currentThread()) return
        registration.withdraw(this, CANCELLED)
    }
}

/**
 * Suspends [w] until it is claimed or withdrawn, and returns its decision: the claimed
 * [WaitEntry], or the reason another party withdrew it ([Waiter.TIMED_OUT], [Waiter.ABORTED]).
 * [registerAndUnlock] runs once the continuation exists: it queues [w]'s entries and releases
 * every lock the caller took. If the coroutine is cancelled first, the entries are withdrawn and
 * the `CancellationException` is thrown; if it is cancelled once claimed, the claim is returned.
 */
@PublishedApi
internal suspend inline fun awaitClaim(w: CoroutineWaiter, crossinline registerAndUnlock: () -> Unit): Any? {
    val s: Any? = try {
        suspendCancellableCoroutine<Any?> { cont ->
            w.cont = cont
            registerAndUnlock()
            recordWait(w)
            cont.invokeOnCancellation(w)
        }
    } catch (e: CancellationException) {
        e
    }
    // Resumed inline by a claimer that still holds its lock: wait until it has let go.
    if (w.wakingThread === Thread.currentThread()) suspendCoroutine<Unit> { w.deferred = it }
    if (s is CancellationException) {
        val decided = w.decision()
        if (decided !is WaitEntry) throw s
        w.lateCancellation = s
        return decided
    }
    return s
}

/** Records, while detection is on, that [w]'s coroutine waits (for `Diagnostics`). */
@PublishedApi
internal fun recordWait(w: CoroutineWaiter) {
    if (BlockedWaits.ON) BlockedWaits.blocked(w, w.source ?: w.registration)
}

/**
 * [awaitClaim] bounded by [ctx] (withdrawn with [Waiter.ABORTED] once it is done; `null`: no
 * context) and by [timeoutNanos] on the coroutine's dispatcher (withdrawn with
 * [Waiter.TIMED_OUT]; `Long.MAX_VALUE`: none). Returns the claimed entry or that reason.
 */
internal suspend fun awaitDecision(w: CoroutineWaiter, ctx: Context?, timeoutNanos: Long, registerAndUnlock: () -> Unit): Any? {
    var abort: Stoppable? = null
    var timer: Job? = null
    if (BlockedWaits.ON) w.timed = timeoutNanos != Long.MAX_VALUE || ctx?.deadline != null
    try {
        return awaitClaim(w) {
            registerAndUnlock()
            if (ctx != null && ctx.done !== NilChan) {
                abort = ctx.onDone { _, _, _ -> if (w.registration.withdraw(w, Waiter.ABORTED)) (w as Waiter).withdrawn() }
            }
            if (timeoutNanos != Long.MAX_VALUE && w.decision() == null) {
                timer = CoroutineScope(w.cont!!.context).launch(start = CoroutineStart.UNDISPATCHED) {
                    delay(timeoutNanos.nanoseconds)
                    if (w.registration.withdraw(w, Waiter.TIMED_OUT)) (w as Waiter).withdrawn()
                }
            }
        }
    } finally {
        abort?.stop()
        timer?.cancel()
    }
}
