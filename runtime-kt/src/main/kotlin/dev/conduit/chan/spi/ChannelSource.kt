package dev.conduit.chan.spi

import dev.conduit.Clock
import dev.conduit.chan.NilChan
import dev.conduit.context.Context
import dev.conduit.context.contextDone
import dev.conduit.context.onDone
import java.util.concurrent.CompletableFuture
import java.util.function.Consumer

/**
 * The base of every channel kind: what `select`, the suspending operations, the blocking Java
 * operations and the `CompletableFuture` operations need from a channel, in four primitives
 * that a kind implements over its own state, guarded by this object's [lock]:
 *
 * - [pollReceive] and [pollSend]: try the operation now (Go's `selectgo` pass 1);
 * - [enqueue]: register a waiting operation (pass 2);
 * - [dequeue]: withdraw it (pass 3, cancellation, interruption, timeout).
 *
 * Everything else (suspending a coroutine, parking a thread, completing a future, the select
 * algorithm, fairness, withdrawal on cancellation) is built here and in [Selection] on those
 * four, so a new kind (this module's plain, ring, batch, priority and timer channels, or a
 * remote channel in another module) works in any mix in one `select`.
 *
 * ## Rules for implementers
 * - The primitives are called with [lock] held and must not block, suspend or call user code.
 * - A waiting entry is completed only by [WaitEntry.claim], with the lock held and the entry
 *   already removed from its queue; a claim that returns `false` did nothing: try the next one.
 *   A thread or a future wakes after [unlock]; a coroutine may start running before it, so
 *   whatever the woken operation reads is written before the claim.
 * - A kind with one receiver (or one sender) may claim with [Poll.READY] and let the woken
 *   waiter take the value itself in [completeClaimed].
 * - A receive returns a value, [Poll.CLOSED] (closed and drained) or [Poll.NOT_READY]; a send
 *   returns [Poll.SENT], [Poll.CLOSED] or [Poll.NOT_READY]. [Poll.NOT_READY] must mean that the
 *   operation could not complete at this moment of the locked state: that is what makes a
 *   select's `default`, `trySend` and `tryReceive` linearizable.
 *
 * This class is for implementers of channel kinds; code that uses channels sees only
 * [dev.conduit.chan.Chan] and its siblings.
 */
public abstract class ChannelSource protected constructor() : ChannelLock() {
    /**
     * Receives now if possible, with [lock] held: the value, [Poll.CLOSED], or [Poll.NOT_READY].
     * Never blocks.
     */
    protected abstract fun pollReceive(): Any?

    /**
     * Sends [element] now if possible, with [lock] held: [Poll.SENT], [Poll.CLOSED], or
     * [Poll.NOT_READY]. Never blocks.
     *
     * @throws UnsupportedOperationException if this kind cannot be sent to (the default).
     */
    protected open fun pollSend(element: Any?): Any? =
        throw UnsupportedOperationException("$this cannot be sent to")

    /** Queues a waiting [entry] (a send if [WaitEntry.isSend], else a receive), with [lock] held. */
    protected abstract fun enqueue(entry: WaitEntry)

    /** Removes [entry] from its queue if it is still there, with [lock] held. */
    protected abstract fun dequeue(entry: WaitEntry)

    /**
     * The result of a claimed [entry] of this channel, on the waiter's own thread after it woke,
     * no lock held. By default what the claimer passed to [WaitEntry.claim]. A kind whose one
     * receiver (or one sender) takes values itself, such as a single-consumer ring, may claim
     * with [Poll.READY] and perform the operation here instead: only that waiter can take the
     * value, so it is still there.
     */
    protected open fun completeClaimed(entry: WaitEntry): Any? = entry.resultOf()

    /**
     * Tries [send] or receive once (after checking [ctx]): the result if it completed, or
     * [Poll.NOT_READY] if it did not and [timeoutNanos] allows no waiting; either way the lock
     * is released and [afterQueued] has run. Otherwise [WAIT], with the lock held, for the
     * caller to queue a waiter.
     */
    private fun tryFirst(send: Boolean, element: Any?, timeoutNanos: Long, ctx: Context?, afterQueued: (() -> Unit)?): Any? {
        ctx?.err?.let { throw it }
        lock()
        val r = if (send) pollSend(element) else pollReceive()
        if (r === Poll.NOT_READY && timeoutNanos > 0) return WAIT
        unlock()
        if (afterQueued != null) afterQueued()
        return r
    }

    /**
     * For diagnostics (`dev.conduit.supervisor.Diagnostics`, while detection is on): calls
     * [action] with every entry queued on this channel now; called with the lock held, and
     * [action] neither blocks nor changes the queues. A kind that queues entries lists them
     * all; the default lists none, and waits on a kind that keeps it are not seen by the dump
     * and the deadlock checks.
     */
    protected open fun forEachQueued(action: Consumer<WaitEntry>) {}

    /** How many times a blocked thread re-checks before it parks (0: park at once). */
    protected open val spinsBeforePark: Int get() = 0

    /** How diagnostics name this channel: its kind and identity ("Chan@1b6d3586(cap 0)" for a plain one). */
    @JvmSynthetic
    internal open fun waitName(): String = diagnosticName(javaClass.simpleName, this)

    /** How diagnostics word a wait on this channel: "send on …" or "receive from …" and [waitName]. */
    @JvmSynthetic
    internal open fun describeWait(send: Boolean): String = (if (send) "send on " else "receive from ") + waitName()

    internal fun spiPollReceive(): Any? = pollReceive()

    internal fun spiPollSend(element: Any?): Any? = pollSend(element)

    internal fun spiEnqueue(entry: WaitEntry): Unit = enqueue(entry)

    internal fun spiDequeue(entry: WaitEntry): Unit = dequeue(entry)

    internal fun spinsOrZero(): Int = spinsBeforePark

    internal fun spiForEachQueued(action: Consumer<WaitEntry>): Unit = forEachQueued(action)

    internal fun spiCompleteClaimed(entry: WaitEntry): Any? = completeClaimed(entry)

    /** A waiter for one suspending operation on this channel. */
    internal fun coroutineWaiter(send: Boolean, element: Any?): CoroutineWaiter {
        return CoroutineWaiter(this, send, element, SINGLE)
    }

    /** [SINGLE]'s work: decides [w] for [reason] and, if that won, takes it out of this channel's queue. */
    internal fun withdrawSingle(w: Waiter, reason: Any): Boolean {
        lock()
        val withdrawn = w.decide(reason)
        if (withdrawn) dequeue(w)
        unlock()
        return withdrawn
    }

    // ---- non-suspending ------------------------------------------------------------------

    /** Receives now if possible: a value, [Poll.CLOSED] or [Poll.NOT_READY]. Never blocks. */
    public open fun tryReceiveNow(): Any? {
        lock()
        val r = pollReceive()
        unlock()
        return r
    }

    /** Sends [element] now if possible: [Poll.SENT], [Poll.CLOSED] or [Poll.NOT_READY]. Never blocks. */
    public open fun trySendNow(element: Any?): Any? {
        lock()
        val r = pollSend(element)
        unlock()
        return r
    }

    // ---- suspending ----------------------------------------------------------------------

    /**
     * Receives, suspending until a value or "closed": the value or [Poll.CLOSED].
     *
     * If the coroutine is cancelled while suspended, either nothing was taken (the
     * `CancellationException` is thrown) or the value had already been handed over, and it is
     * returned; the cancellation then takes effect at the next suspension point.
     */
    public open suspend fun receiveOrClosed(): Any? {
        lock()
        val r = pollReceive()
        if (r === Poll.NOT_READY) return suspendLocked(false, null)
        unlock()
        return r
    }

    /**
     * Sends [element], suspending until it is taken or buffered: [Poll.SENT], or [Poll.CLOSED]
     * if the channel is or becomes closed first. Cancellation as for [receiveOrClosed]: either
     * not sent, or sent and returned normally.
     */
    public open suspend fun sendOrClosed(element: Any?): Any? {
        lock()
        val r = pollSend(element)
        if (r === Poll.NOT_READY) return suspendLocked(true, element)
        unlock()
        return r
    }

    /**
     * The slow path of a suspending operation, entered with [lock] held after its poll found it
     * not ready: queues a waiter, releases the lock and suspends; returns the operation's result
     * (a received value or [Poll.CLOSED]; [Poll.SENT] or [Poll.CLOSED]).
     */
    @PublishedApi
    internal suspend fun suspendLocked(send: Boolean, element: Any?): Any? {
        val w = coroutineWaiter(send, element)
        val claimed = awaitClaim(w) {
            enqueue(w)
            unlock()
        }
        return completeClaimed(claimed as WaitEntry)
    }

    /**
     * Receives or sends ([send]) [element], suspending until the operation completes (its
     * result: a value or [Poll.CLOSED]; [Poll.SENT] or [Poll.CLOSED]), [ctx] is done (its error
     * is thrown; `null`: no context) or [timeoutNanos] passes on the coroutine's dispatcher
     * ([Poll.NOT_READY]; `Long.MAX_VALUE`: no timeout). For the kinds and primitives of this
     * module.
     *
     * [afterQueued] runs once the waiter is queued and the lock released, before the coroutine
     * suspends (a condition variable releases its mutex there); if it throws, the waiter is
     * withdrawn (or, if a claim won that race, [undoLate] gets its result) and the exception
     * is thrown.
     *
     * Cancellation: either nothing happened (the `CancellationException` is thrown) or the
     * operation completed first. Then, with [undoLate] `null`, its result is returned and the
     * cancellation takes effect at the next suspension point; otherwise [undoLate] gets the
     * result (to give a lock or permits back) and the `CancellationException` is thrown.
     */
    internal suspend fun suspending(
        send: Boolean,
        element: Any?,
        ctx: Context?,
        timeoutNanos: Long = Long.MAX_VALUE,
        afterQueued: (() -> Unit)? = null,
        undoLate: ((Any?) -> Unit)? = null,
    ): Any? {
        ctx?.err?.let { contextDone(it) }
        val r = tryFirst(send, element, timeoutNanos, ctx, afterQueued)
        if (r !== WAIT) return r
        val w = coroutineWaiter(send, element)
        if (afterQueued == null && timeoutNanos == Long.MAX_VALUE && (ctx == null || ctx.done === NilChan)) {
            // Nothing to watch but the claim: one frame, as the channels' own slow paths.
            val claimed = awaitClaim(w) {
                enqueue(w)
                unlock()
            } as WaitEntry
            return resultOrUndo(w, claimed, undoLate)
        }
        var failed: Throwable? = null
        val decided = awaitDecision(w, ctx, timeoutNanos) {
            enqueue(w)
            unlock()
            if (afterQueued != null) {
                try {
                    afterQueued()
                } catch (e: Throwable) {
                    failed = e
                    if (SINGLE.withdraw(w, Waiter.CANCELLED)) (w as Waiter).withdrawn()
                }
            }
        }
        failed?.let { f ->
            // A claim won the race with the withdrawal: give back what it brought, then fail.
            if (decided is WaitEntry && undoLate != null) undoLate(completeClaimed(decided))
            throw f
        }
        return when {
            decided === Waiter.ABORTED -> contextDone(ctx!!.err!!)
            decided === Waiter.TIMED_OUT -> Poll.NOT_READY
            else -> resultOrUndo(w, decided as WaitEntry, undoLate)
        }
    }

    /**
     * The result of [w]'s claimed entry; if its coroutine was cancelled once claimed and the
     * caller cannot keep the result ([undoLate] given), [undoLate] gets it and the
     * cancellation is thrown.
     */
    private fun resultOrUndo(w: CoroutineWaiter, claimed: WaitEntry, undoLate: ((Any?) -> Unit)?): Any? {
        val result = completeClaimed(claimed)
        val late = w.lateCancellation
        if (late != null && undoLate != null) {
            undoLate(result)
            throw late
        }
        return result
    }

    // ---- blocking ------------------------------------------------------------------------

    /**
     * Receives, blocking the calling thread: the value, [Poll.CLOSED], or [Poll.NOT_READY] if
     * [timeoutNanos] passed first (`Long.MAX_VALUE`: no timeout; zero or less: only if ready
     * now). Spins briefly, then parks (cheaply on a virtual thread).
     *
     * @throws InterruptedException if interrupted while blocked; nothing was taken. If a value
     *   arrived at that moment, it is returned instead, with the interrupt status set again.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first; nothing
     *   was taken.
     */
    @Throws(InterruptedException::class)
    public open fun receiveBlocking(timeoutNanos: Long, ctx: Context?): Any? = blocking(false, null, timeoutNanos, ctx)

    /**
     * Sends [element], blocking the calling thread: [Poll.SENT], [Poll.CLOSED], or
     * [Poll.NOT_READY] if [timeoutNanos] passed first. Interruption and [ctx] as for
     * [receiveBlocking]: the value was then not sent.
     */
    @Throws(InterruptedException::class)
    public open fun sendBlocking(element: Any?, timeoutNanos: Long, ctx: Context?): Any? =
        blocking(true, element, timeoutNanos, ctx)

    private fun blocking(send: Boolean, element: Any?, timeoutNanos: Long, ctx: Context?): Any? =
        blocking(send, element, timeoutNanos, ctx, null)

    /**
     * [receiveBlocking] or [sendBlocking], with [afterQueued] run once the waiter is queued and
     * the lock released, before the thread parks (as for [suspending]).
     */
    internal fun blocking(
        send: Boolean,
        element: Any?,
        timeoutNanos: Long,
        ctx: Context?,
        afterQueued: (() -> Unit)?,
        undoLate: ((Any?) -> Unit)? = null,
    ): Any? {
        val r = tryFirst(send, element, timeoutNanos, ctx, afterQueued)
        if (r !== WAIT) return r
        return parkLocked(send, element, timeoutNanos, ctx, afterQueued, undoLate, ENQUEUE)
    }

    /**
     * Entered with [lock] held: queues a thread waiter through [register], releases the lock,
     * runs [afterQueued] (if it throws, the waiter is withdrawn, or [undoLate] gets the result
     * of a claim that won that race, and the exception is thrown) and parks the calling thread until the operation completes (its
     * result) or [timeoutNanos] passes ([Poll.NOT_READY]). Interruption and [ctx] as for
     * [receiveBlocking].
     */
    internal fun parkLocked(
        send: Boolean,
        element: Any?,
        timeoutNanos: Long,
        ctx: Context?,
        afterQueued: (() -> Unit)? = null,
        undoLate: ((Any?) -> Unit)? = null,
        register: (WaitEntry) -> Unit,
    ): Any? {
        val w = ThreadWaiter(this, send, element)
        register(w)
        unlock()
        if (afterQueued != null) {
            try {
                afterQueued()
            } catch (e: Throwable) {
                if (!SINGLE.withdraw(w, Waiter.CANCELLED) && undoLate != null) undoLate(completeClaimed(w.state as WaitEntry))
                throw e
            }
        }
        return when (val decided = awaitThread(w, SINGLE, timeoutNanos, ctx)) {
            Waiter.TIMED_OUT -> Poll.NOT_READY
            else -> completeClaimed(decided as WaitEntry)
        }
    }

    // ---- futures ----------------------------------------------------------------------

    /**
     * Receives without blocking the caller: a future of what [map] makes of the value, of
     * [Poll.CLOSED], or of [Poll.NOT_READY] once [timeoutNanos] passes (measured by the system
     * clock; `Long.MAX_VALUE`: no timeout; zero or less: only a receive possible now); it fails
     * with [Context.err] if [ctx] is done first (`null`: no context), and an exception from [map]
     * fails it. The future is an [OperationFuture]: ending it, or a stage derived from it, from
     * outside (`cancel`, `complete`, `orTimeout`, …) withdraws the receive first and succeeds
     * only if nothing was or will be taken for it. [map] runs on the thread that completes the
     * receive. Never blocks.
     */
    public open fun <R> receiveFuture(ctx: Context?, timeoutNanos: Long, map: (Any?) -> R): CompletableFuture<R> =
        future(false, null, ctx, timeoutNanos, map)

    /** [receiveFuture] with no context and no timeout. Never blocks. */
    public fun <R> receiveFuture(map: (Any?) -> R): CompletableFuture<R> = receiveFuture(null, Long.MAX_VALUE, map)

    /**
     * Sends [element] without blocking the caller: a future of what [map] makes of
     * [Poll.SENT], [Poll.CLOSED], or [Poll.NOT_READY] once [timeoutNanos] passes; [ctx] and
     * ending it from outside as for [receiveFuture]: it ends other than by the send only if the
     * value was not and will not be sent. Never blocks.
     */
    public open fun <R> sendFuture(ctx: Context?, element: Any?, timeoutNanos: Long, map: (Any?) -> R): CompletableFuture<R> =
        future(true, element, ctx, timeoutNanos, map)

    /** [sendFuture] with no context and no timeout. Never blocks. */
    public fun <R> sendFuture(element: Any?, map: (Any?) -> R): CompletableFuture<R> = sendFuture(null, element, Long.MAX_VALUE, map)

    /** Receives or sends ([send]) [element] as a future: see [receiveFuture] and [sendFuture]. */
    internal fun <R> future(
        send: Boolean,
        element: Any?,
        ctx: Context?,
        timeoutNanos: Long = Long.MAX_VALUE,
        map: (Any?) -> R,
    ): CompletableFuture<R> {
        ctx?.err?.let { return CompletableFuture.failedFuture(it) }
        lock()
        val r = if (send) pollSend(element) else pollReceive()
        if (r !== Poll.NOT_READY || timeoutNanos <= 0) {
            unlock()
            return completedWith(map, r)
        }
        return futureLocked(send, element, ctx, timeoutNanos, map, ENQUEUE)
    }

    /**
     * Entered with [lock] held: queues a future waiter through [register], releases the lock and
     * returns its [OperationFuture], completed with [map] of the result, of [Poll.NOT_READY]
     * once [timeoutNanos] passes, or with [Context.err] once [ctx] is done.
     */
    internal fun <R> futureLocked(
        send: Boolean,
        element: Any?,
        ctx: Context?,
        timeoutNanos: Long,
        map: (Any?) -> R,
        register: (WaitEntry) -> Unit,
    ): CompletableFuture<R> {
        val w = FutureWaiter<R>(this, send, element, SINGLE) { waiter, f ->
            when (val decided = waiter.state) {
                Waiter.ABORTED -> f.failByOperation(ctx!!.err!!)
                Waiter.TIMED_OUT -> f.completeWith(map, Poll.NOT_READY)
                else -> f.completeWith(map, completeClaimed(decided as WaitEntry))
            }
        }
        register(w)
        unlock()
        if (ctx != null && ctx.done !== NilChan) {
            val abort = ctx.onDone { _, _, _ -> if (SINGLE.withdraw(w, Waiter.ABORTED)) (w as Waiter).withdrawn() }
            w.future.whenComplete { _, _ -> abort.stop() }
        }
        if (timeoutNanos != Long.MAX_VALUE) {
            val timer = Clock.system().schedule(timeoutNanos) { if (SINGLE.withdraw(w, Waiter.TIMED_OUT)) (w as Waiter).withdrawn() }
            w.future.whenComplete { _, _ -> timer.stop() }
        }
        return w.future
    }
}

/**
 * Withdraws a single operation's waiter from the channel it waits on (its [WaitEntry.source]):
 * one object for every channel, rather than one per channel.
 */
private val SINGLE = Registration { w, reason -> (w.source as ChannelSource).withdrawSingle(w, reason) }

/**
 * Queues a single operation's entry on its own channel: the `register` of [ChannelSource.parkLocked]
 * and [ChannelSource.futureLocked] for a channel's own queues, one object rather than a lambda
 * made per wait.
 */
private val ENQUEUE: (WaitEntry) -> Unit = { e -> (e.source as ChannelSource).spiEnqueue(e) }

/** [ChannelSource]'s "not done yet, the lock is held: wait" marker. */
private val WAIT = Any()

/** What a completed entry's operation returns. */
internal fun WaitEntry.resultOf(): Any? = result
