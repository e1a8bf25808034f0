package dev.conduit.chan

import dev.conduit.chan.ClosedChannelException.Companion.sendOnClosed
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.completedWith
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.WaitEntry
import dev.conduit.chan.spi.awaitClaim
import dev.conduit.context.Context
import dev.conduit.ring.SpscRing
import java.lang.invoke.VarHandle
import java.util.concurrent.CompletableFuture
import java.util.function.Consumer

/**
 * A buffered channel for exactly one sender and one receiver at a time: Go's `make(chan T, n)`
 * for the common one-producer, one-consumer link, on a lock-free [SpscRing]. Made by [SpscChan()][SpscChan].
 *
 * ## The single-producer, single-consumer contract
 * At most one coroutine or thread sends at any time and at most one receives (they may change
 * over time), and the sending side closes it (Go's idiom). The type says so, and the runtime
 * enforces what it can see: two receivers (or two senders) waiting at once fail with
 * [IllegalStateException], and pipeline stages refuse an `SpscChan` as the input of more than
 * one worker ([IllegalArgumentException]). Two that never happen to wait at the same moment
 * cannot be detected and break the ring: use [Chan()][Chan] where several coroutines share an end.
 *
 * It is a [Chan] like any other: it works in [select] (receive and send cases, beside any other
 * channel kind), in `for` loops, from Java (blocking and futures) and in pipelines whose stages
 * on each side have one worker.
 */
public interface SpscChan<T> : Chan<T>

/**
 * Makes an [SpscChan] of at least [capacity] values (rounded up to a power of two; [SpscChan.cap]
 * says what was allocated). A side that finds the ring empty (or full) re-checks [spins] times
 * with a spin hint, then [yields] times after yielding its thread, then waits (a coroutine
 * suspends, a thread parks); the other side wakes it after its next operation, so an idle side
 * never burns a core. The defaults (4 spins, no yields) suit coroutines on a shared dispatcher
 * (`ChanThroughputBenchmark` in benchmarks/ compares them): spinning or yielding a dispatcher
 * thread holds back the coroutine the other side waits for. Never blocks.
 *
 * Closing: values sent before [SendChan.close] are still delivered; then receivers see "closed".
 * A send after close, or waiting when it happens, throws [ClosedChannelException].
 *
 * @throws IllegalArgumentException if [capacity] is not in 2..2^30, or [spins] or [yields] is
 *   negative.
 */
@JvmOverloads
public fun <T> SpscChan(capacity: Int, spins: Int = 4, yields: Int = 0): SpscChan<T> {
    require(spins >= 0) { "spins must be >= 0, but was $spins" }
    require(yields >= 0) { "yields must be >= 0, but was $yields" }
    return SpscRingChan(capacity, spins, yields)
}

/**
 * The ring with Conduit's waiters: the fast paths touch only the ring and a fence; a side that
 * must wait registers its one entry under the channel lock, and the other side, after an
 * operation, looks (after a full fence, so neither can miss the other) whether a waiter is
 * there and, if what it waits for now holds, claims it with [Poll.READY]. The woken side then
 * takes or puts the value itself ([completeClaimed]): only it can.
 */
internal class SpscRingChan<T>(capacity: Int, private val spins: Int, private val yields: Int) : ChannelSource(), SpscChan<T> {
    private val ring = SpscRing<Any>(capacity)

    @Volatile
    private var closed = false

    /** The waiting receiver's and sender's entries; guarded by the lock. */
    private var receiver: WaitEntry? = null
    private var sender: WaitEntry? = null

    /** Whether an entry is set, for the other side's lock-free look. */
    @Volatile
    private var receiverWaiting = false

    @Volatile
    private var senderWaiting = false

    override val cap: Int get() = ring.capacity()
    override val len: Int get() = ring.size

    private fun canReceive(): Boolean = closed || !ring.isEmpty()

    private fun canSend(): Boolean = closed || ring.size < ring.capacity()

    // ---- sending side ----------------------------------------------------------------------

    /**
     * Puts [value] in the ring if there is room, then wakes a waiting receiver; [locked] says
     * whether the caller holds the lock already (a select's poll).
     */
    private fun offer(value: Any?, locked: Boolean = false): Any? {
        if (closed) return Poll.CLOSED
        if (!ring.offer(value ?: NULL)) return Poll.NOT_READY
        VarHandle.fullFence()
        if (receiverWaiting) {
            if (locked) {
                wakeReceiverLocked()
            } else {
                lock()
                wakeReceiverLocked()
                unlock()
            }
        }
        return Poll.SENT
    }

    override fun trySend(value: T): Boolean {
        val r = offer(value)
        if (r === Poll.CLOSED) throw sendOnClosed()
        return r === Poll.SENT
    }

    override suspend fun send(value: T) {
        val r = offer(value)
        if (r === Poll.NOT_READY) return sendWaiting(value)
        if (r === Poll.CLOSED) throw sendOnClosed()
    }

    private suspend fun sendWaiting(value: T) {
        var idle = 0
        while (true) {
            if (idle < spins) Thread.onSpinWait() else if (idle < spins + yields) Thread.yield() else awaitSide(true)
            idle++
            val r = offer(value)
            if (r === Poll.SENT) return
            if (r === Poll.CLOSED) throw sendOnClosed()
        }
    }

    override fun close() {
        lock()
        if (closed) {
            unlock()
            throw closeOfClosed()
        }
        closed = true
        wakeReceiverLocked()
        wakeSenderLocked()
        unlock()
    }

    // ---- receiving side --------------------------------------------------------------------

    /**
     * Takes a value from the ring (then wakes a waiting sender), or "closed", or not ready;
     * [locked] as for [offer].
     */
    private fun poll(locked: Boolean = false): Any? {
        var x = ring.poll()
        if (x == null) {
            if (!closed) return Poll.NOT_READY
            // Closed: values published before the close are visible now; take them first.
            x = ring.poll() ?: return Poll.CLOSED
        }
        VarHandle.fullFence()
        if (senderWaiting) {
            if (locked) {
                wakeSenderLocked()
            } else {
                lock()
                wakeSenderLocked()
                unlock()
            }
        }
        return if (x === NULL) null else x
    }

    override fun tryReceive(): Received<T>? {
        val r = poll()
        return if (r === Poll.NOT_READY) null else received(r)
    }

    override suspend fun receive(): T {
        val r = poll()
        if (r === Poll.NOT_READY) return valueOrThrow(receiveWaiting())
        return valueOrThrow(r)
    }

    override suspend fun receiveOk(): Received<T> {
        val r = poll()
        if (r === Poll.NOT_READY) return received(receiveWaiting())
        return received(r)
    }

    private suspend fun receiveWaiting(): Any? {
        var idle = 0
        while (true) {
            if (idle < spins) Thread.onSpinWait() else if (idle < spins + yields) Thread.yield() else awaitSide(false)
            idle++
            val r = poll()
            if (r !== Poll.NOT_READY) return r
        }
    }

    override fun iterator(): ChanIterator<T> = rawIterator { receiveOrClosed() }

    // ---- waiting and waking ----------------------------------------------------------------

    /**
     * Suspends until the other side has made room (a send, [send] true) or added a value (a
     * receive), or the channel closed; returns at once if that is already so.
     *
     * @throws IllegalStateException if another coroutine or thread waits on the same side.
     */
    private suspend fun awaitSide(send: Boolean) {
        lock()
        if (if (send) canSend() else canReceive()) {
            unlock()
            return
        }
        if ((if (send) sender else receiver) != null) {
            unlock()
            throw twoWaiting(send)
        }
        val w = coroutineWaiter(send, null)
        awaitClaim(w) {
            register(w)
            unlock()
        }
    }

    /**
     * Sets [entry] as its side's waiter, then looks again: if the other side acted before it
     * could see the waiter, claims it at once. The flag's write and the look are fenced against
     * the other side's operation and its look at the flag, so one of the two sees the other.
     */
    private fun register(entry: WaitEntry) {
        if (entry.isSend) {
            sender = entry
            senderWaiting = true
            VarHandle.fullFence()
            wakeSenderLocked()
        } else {
            receiver = entry
            receiverWaiting = true
            VarHandle.fullFence()
            wakeReceiverLocked()
        }
    }

    /** Claims the waiting receiver if it can receive now. Lock held. */
    private fun wakeReceiverLocked() {
        val e = receiver ?: return
        if (!canReceive()) return
        receiver = null
        receiverWaiting = false
        e.claim(Poll.READY)
    }

    /** Claims the waiting sender if it can send now. Lock held. */
    private fun wakeSenderLocked() {
        val e = sender ?: return
        if (!canSend()) return
        sender = null
        senderWaiting = false
        e.claim(Poll.READY)
    }

    private fun twoWaiting(send: Boolean) = IllegalStateException(
        "two ${if (send) "senders" else "receivers"} waiting at once on a single-producer, single-consumer channel",
    )

    // ---- the select SPI --------------------------------------------------------------------

    override fun pollReceive(): Any? = poll(locked = true)

    override fun pollSend(element: Any?): Any? = offer(element, locked = true)

    override fun enqueue(entry: WaitEntry) {
        if ((if (entry.isSend) sender else receiver) != null) {
            // A second waiter on one side: fail it when it wakes, outside the lock.
            entry.claim(MISUSE)
            return
        }
        register(entry)
    }

    override fun dequeue(entry: WaitEntry) {
        if (sender === entry) {
            sender = null
            senderWaiting = false
        } else if (receiver === entry) {
            receiver = null
            receiverWaiting = false
        }
    }

    override fun forEachQueued(action: Consumer<WaitEntry>) {
        receiver?.let(action::accept)
        sender?.let(action::accept)
    }

    /** A claimed waiter was told the side is ready: it takes or puts the value itself now. */
    override fun completeClaimed(entry: WaitEntry): Any? {
        val r = super.completeClaimed(entry)
        if (r === MISUSE) throw twoWaiting(entry.isSend)
        if (r !== Poll.READY) return r
        while (true) {
            val done = if (entry.isSend) offer(entry.element()) else poll()
            if (done !== Poll.NOT_READY) return done
            Thread.onSpinWait() // cannot happen while the contract holds; look again
        }
    }

    // ---- blocking and futures --------------------------------------------------------------

    override fun tryReceiveNow(): Any? = poll()

    override fun trySendNow(element: Any?): Any? = offer(element)

    override suspend fun receiveOrClosed(): Any? {
        val r = poll()
        return if (r === Poll.NOT_READY) receiveWaiting() else r
    }

    override suspend fun sendOrClosed(element: Any?): Any? {
        while (true) {
            val r = offer(element)
            if (r !== Poll.NOT_READY) return r
            awaitSide(true)
        }
    }

    override fun receiveBlocking(timeoutNanos: Long, ctx: Context?): Any? = blocking(false, null, timeoutNanos, ctx)

    override fun sendBlocking(element: Any?, timeoutNanos: Long, ctx: Context?): Any? = blocking(true, element, timeoutNanos, ctx)

    /** Spins, then parks in the side's one entry, until the operation completes or gives up. */
    private fun blocking(send: Boolean, element: Any?, timeoutNanos: Long, ctx: Context?): Any? {
        ctx?.err?.let { throw it }
        val deadline = System.nanoTime() + timeoutNanos
        var idle = 0
        while (true) {
            val r = if (send) offer(element) else poll()
            if (r !== Poll.NOT_READY) return r
            if (idle < spins) {
                Thread.onSpinWait()
                idle++
                continue
            }
            val left = if (timeoutNanos == Long.MAX_VALUE) Long.MAX_VALUE else deadline - System.nanoTime()
            if (left <= 0) return Poll.NOT_READY
            lock()
            if (if (send) canSend() else canReceive()) {
                unlock()
                continue
            }
            if ((if (send) sender else receiver) != null) {
                unlock()
                throw twoWaiting(send)
            }
            // Woken with READY, the wait has already taken (or put) the value: its result.
            return parkLocked(send, element, left, ctx) { register(it) }
        }
    }

    override fun <R> receiveFuture(ctx: Context?, timeoutNanos: Long, map: (Any?) -> R): CompletableFuture<R> =
        spscFuture(false, null, ctx, timeoutNanos, map)

    override fun <R> sendFuture(ctx: Context?, element: Any?, timeoutNanos: Long, map: (Any?) -> R): CompletableFuture<R> =
        spscFuture(true, element, ctx, timeoutNanos, map)

    /** The ring's own future operation: the lock-free try first, then a queued future waiter. */
    private fun <R> spscFuture(send: Boolean, element: Any?, ctx: Context?, timeoutNanos: Long, map: (Any?) -> R): CompletableFuture<R> {
        ctx?.err?.let { return CompletableFuture.failedFuture(it) }
        val r = if (send) offer(element) else poll()
        if (r !== Poll.NOT_READY || timeoutNanos <= 0) return completedWith(map, r)
        lock()
        if ((if (send) sender else receiver) != null) {
            unlock()
            throw twoWaiting(send)
        }
        return futureLocked(send, element, ctx, timeoutNanos, map) { register(it) }
    }

    override fun toString(): String = "Chan(spsc, cap=$cap, len=$len)"

    private companion object {
        /** Stands for a null value in the ring, which holds only non-null elements. */
        val NULL = Any()

        /** The claim of a second waiter on one side: it fails with IllegalStateException. */
        val MISUSE = Any()
    }
}
