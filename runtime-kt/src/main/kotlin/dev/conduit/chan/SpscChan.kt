package dev.conduit.chan

import dev.conduit.ring.SpscRing
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.selects.SelectBuilder
import kotlinx.coroutines.selects.SelectClause1
import kotlinx.coroutines.selects.SelectClause2
import kotlinx.coroutines.selects.SelectInstance
import kotlinx.coroutines.suspendCancellableCoroutine
import java.lang.invoke.VarHandle
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.resume

/**
 * A buffered channel for exactly one sending and one receiving coroutine, on a lock-free
 * [SpscRing]: Go's `make(chan T, n)` for the common one-producer, one-consumer link, at the cost
 * of a ring operation and a fence per value instead of a kotlinx channel's bookkeeping.
 *
 * ## Waiting
 * A receiver that finds the ring empty (or a sender that finds it full) re-checks [spins] times
 * with a spin hint, then [yields] times after yielding its thread, then suspends; the other side
 * resumes it after its next operation, so an idle side never burns a core. The defaults (4
 * spins, no yields) are what measured best for coroutines on a shared dispatcher: yielding a
 * dispatcher thread, or spinning for long, holds back the coroutine the other side is waiting for
 * (2 cores, `ChanThroughputBenchmark`: 22 M items/s with 0–4 spins, 4.3 M with 200 spins, 2.9 M
 * with 64 spins and 16 yields). More spinning pays when each side has a core of its own.
 *
 * It is a
 * [Chan] like any other: it works in [select] (receive and send cases), in `for` loops and in
 * pipelines whose stage on each side has one worker.
 *
 * ## The rule it relies on
 * At most one coroutine (or thread) sends and at most one receives at any time, and the sending
 * side closes it (Go's idiom). Two receivers waiting at once, or two senders, fail with
 * [IllegalStateException]; two that do not happen to wait at the same moment are not detected and
 * break the ring. Use [chan] where several coroutines share an end.
 *
 * Closing: values sent before [close] are still delivered; then receivers see "closed". A send
 * after close throws kotlinx's `ClosedSendChannelException`.
 *
 * @throws IllegalArgumentException if [capacity] is not in 2..2^30 (it is rounded up to a power
 *   of two; [cap] says what was allocated), or [spins] or [yields] is negative.
 */
@JvmOverloads
public fun <T> spscChan(capacity: Int, spins: Int = 4, yields: Int = 0): Chan<T> {
    require(spins >= 0) { "spins must be >= 0, but was $spins" }
    require(yields >= 0) { "yields must be >= 0, but was $yields" }
    return SpscChan(capacity, spins, yields)
}

@OptIn(InternalCoroutinesApi::class)
internal class SpscChan<T>(capacity: Int, private val spins: Int, private val yields: Int) : BaseChan<T>() {
    private val ring = SpscRing<Any>(capacity)

    @Volatile
    private var closed = false

    /** The waiting receiver: a continuation to resume, or a select to offer [READY] to. */
    private val receiver = AtomicReference<Any?>(null)

    /** The waiting sender, likewise. */
    private val sender = AtomicReference<Any?>(null)

    override val cap: Int get() = ring.capacity()
    override val len: Int get() = ring.size

    // ---- sending side ------------------------------------------------------------------------

    override fun trySend(value: T): Boolean {
        if (closed) throw sendOnClosed()
        if (!ring.offer(value ?: NULL)) return false
        wake(receiver, receiveClauseObject, ::canReceive)
        return true
    }

    override suspend fun send(value: T) {
        if (trySend(value)) return
        var idle = 0
        while (true) {
            if (idle < spins) Thread.onSpinWait() else if (idle < spins + yields) Thread.yield() else awaitSpace()
            idle++
            if (trySend(value)) return
        }
    }

    /** Suspends until the receiver takes something (or the channel closes). */
    private suspend fun awaitSpace() = suspendCancellableCoroutine<Unit> { cont ->
        park(sender, cont, "senders", ::canSend)
    }

    override fun close() {
        check(!closed) { "close of closed channel" }
        closed = true
        wake(receiver, receiveClauseObject, ::canReceive)
        wake(sender, sendClauseObject, ::canSend)
    }

    // ---- receiving side ----------------------------------------------------------------------

    override fun tryReceive(): Received<T>? {
        val x = ring.poll()
        if (x != null) return received(x)
        if (!closed) return null
        // Closed: values published before the close are visible now; take them first.
        return ring.poll()?.let { received(it) } ?: Received.closed()
    }

    private fun received(x: Any): Received<T> {
        wake(sender, sendClauseObject, ::canSend)
        @Suppress("UNCHECKED_CAST")
        return Received.of(if (x === NULL) null as T else x as T)
    }

    override suspend fun receiveOk(): Received<T> {
        tryReceive()?.let { return it }
        var idle = 0
        while (true) {
            if (idle < spins) Thread.onSpinWait() else if (idle < spins + yields) Thread.yield() else awaitValue()
            idle++
            tryReceive()?.let { return it }
        }
    }

    override suspend fun receive(): T {
        val r = receiveOk()
        if (!r.ok) throw receiveOnClosed()
        return r.value
    }

    /** Suspends until the sender adds something (or the channel closes). */
    private suspend fun awaitValue() = suspendCancellableCoroutine<Unit> { cont ->
        park(receiver, cont, "receivers", ::canReceive)
    }

    override fun iterator(): ChanIterator<T> = object : ChanIterator<T> {
        private var next: Received<T>? = null

        override suspend fun hasNext(): Boolean = receiveOk().also { next = it }.ok

        override fun next(): T {
            val r = next ?: throw IllegalStateException("next() without hasNext()")
            next = null
            return r.value
        }
    }

    // ---- waiting and waking ------------------------------------------------------------------

    /** Whether a receive would not wait now: a value is there, or the channel is closed. */
    private fun canReceive(): Boolean = !ring.isEmpty() || closed

    /** Whether a send would not wait now: there is room, or the channel is closed. */
    private fun canSend(): Boolean = ring.size < ring.capacity() || closed

    /**
     * Registers [cont] as the one waiter in [slot], then looks again: if [ready] became true
     * meanwhile (the other side acted before it could see the waiter), withdraws and resumes at
     * once. The CAS is a full fence, so the other side's operation and its read of [slot] cannot
     * both miss each other.
     */
    private inline fun park(slot: AtomicReference<Any?>, cont: CancellableContinuation<Unit>, side: String, ready: () -> Boolean) {
        check(slot.compareAndSet(null, cont)) { "two $side waiting at once on a single-producer, single-consumer channel" }
        cont.invokeOnCancellation { slot.compareAndSet(cont, null) }
        if (ready() && slot.compareAndSet(cont, null)) cont.resume(Unit)
    }

    /**
     * After an operation that the waiter in [slot] may be waiting for: a full fence (so this
     * operation is visible before the slot is read), then, if a waiter is there and [ready] holds
     * now, wakes it: a suspended coroutine is resumed to try again; a select is offered [READY]
     * for [clause] (if it already chose another case, nothing was taken from it).
     *
     * [ready] is checked before the waiter is taken because a waiter may have registered after
     * the very value this operation added was already taken by the fast path: waking it then
     * would fire a select case with nothing behind it. The other side cannot change [ready]
     * back meanwhile: it is the one waiting.
     */
    private fun wake(slot: AtomicReference<Any?>, clause: Any, ready: () -> Boolean) {
        VarHandle.fullFence()
        val waiter = slot.get() ?: return
        if (!ready() || !slot.compareAndSet(waiter, null)) return
        when (waiter) {
            is CancellableContinuation<*> -> @Suppress("UNCHECKED_CAST") (waiter as CancellableContinuation<Unit>).resume(Unit)
            is SelectInstance<*> -> waiter.trySelect(clause, READY)
        }
    }

    // ---- select ------------------------------------------------------------------------------

    private val receiveClauseObject = Any()
    private val sendClauseObject = Any()

    /**
     * A select waiting to receive is registered as the waiter and woken with [READY]; the value
     * is taken only when the select has chosen this case (in [takeForSelect], on the selecting
     * coroutine), so a select that chose another case takes nothing.
     */
    private val onReceiveClause: SelectClause1<Received<T>> = SelectClauses.clause1(
        receiveClauseObject,
        { _, select, _ -> registerSelect(receiver, select, "receivers", ::canReceive) },
        { _, _, _ -> takeForSelect() },
    )

    private fun takeForSelect(): Received<T> =
        tryReceive() ?: throw IllegalStateException("a receive case fired with nothing to receive: two receivers?")

    private val onSendClause: SelectClause2<T, SendChan<T>> = SelectClauses.clause2(
        sendClauseObject,
        { _, select, _ -> registerSelect(sender, select, "senders", ::canSend) },
        { _, value, _ -> putForSelect(value) },
    )

    @Suppress("UNCHECKED_CAST")
    private fun putForSelect(value: Any?): SendChan<T> {
        check(trySend(value as T)) { "a send case fired with no room: two senders?" }
        return this
    }

    /** Selects at once if [ready], else waits in [slot] (and looks again, as [park]). */
    private inline fun registerSelect(slot: AtomicReference<Any?>, select: SelectInstance<*>, side: String, ready: () -> Boolean) {
        if (ready()) {
            select.selectInRegistrationPhase(READY)
            return
        }
        check(slot.compareAndSet(null, select)) { "two $side waiting at once on a single-producer, single-consumer channel" }
        select.disposeOnCompletion { slot.compareAndSet(select, null) }
        if (ready() && slot.compareAndSet(select, null)) select.selectInRegistrationPhase(READY)
    }

    override fun <R> SelectBuilder<R>.registerReceive(block: suspend (Received<T>) -> R) {
        onReceiveClause { block(it) }
    }

    override fun <R> SelectBuilder<R>.registerSend(value: T, block: suspend () -> R) {
        onSendClause(value) { block() }
    }

    override fun toString(): String = "Chan(spsc, cap=$cap, len=$len)"

    private companion object {
        /** Stands for a null value in the ring, which holds only non-null elements. */
        val NULL = Any()

        /** What a woken select is told: try this case now. */
        val READY = Any()
    }
}
