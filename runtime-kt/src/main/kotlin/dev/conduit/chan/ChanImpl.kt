package dev.conduit.chan

import dev.conduit.chan.ClosedChannelException.Companion.sendOnClosed
import dev.conduit.chan.ClosedChannelException.Companion.receiveOnClosed
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.diagnosticName
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.WaitEntry
import dev.conduit.chan.spi.WaitQueue
import dev.conduit.chan.spi.awaitClaim
import kotlinx.coroutines.awaitCancellation
import java.util.function.Consumer

/**
 * Go's channel (`runtime.hchan`): one lock over a ring buffer, a closed flag, and two first-in,
 * first-out queues of waiting senders and receivers, each waiter a coroutine, a thread or a
 * future ([dev.conduit.chan.spi.ChannelSource] holds the machinery shared by every kind).
 *
 * ## Why a lock, not the segmented lock-free design
 * kotlinx's `BufferedChannel` and jox (Koval et al., PPoPP'23) avoid the lock with counters and
 * cell state machines. Go's design was chosen because it gives Go's semantics exactly and
 * cheaply: `len`, `cap`, `close`, the buffer and both queues are one state, so `trySend`,
 * `tryReceive`, `len` and a select's `default` read one consistent snapshot (linearizable),
 * a select may wait on one channel twice, and a waiter is decided under one lock with nothing
 * half-way. The lock-free design cannot give `default` a snapshot across channels at all. Its
 * cost was measured, not assumed: see `benchmarks/README.md` (buffered and rendezvous hand-offs
 * between coroutines beside kotlinx `Channel`, between virtual threads beside jox). Every
 * critical section is a few field writes, so the lock is a spin-then-yield lock that is almost
 * always taken with one CAS.
 *
 * ## Operations (with the lock held, as Go's `chansend` and `chanrecv`)
 * - send: closed → [ClosedChannelException]; a receiver waiting → hand the value to it; room
 *   in the buffer → buffer it; else wait in the senders' queue.
 * - receive: a value buffered → take it, and if a sender waits, move its value into the freed
 *   slot (the buffer stays full, so nobody overtakes that sender); a sender waiting (unbuffered)
 *   → take its value; closed → "closed"; else wait in the receivers' queue.
 * - close: mark closed, then every waiting receiver gets "closed" and every waiting sender
 *   [ClosedChannelException]; they wake when the lock is released (a coroutine may be
 *   dispatched before: see [WaitEntry.claim]).
 *
 * The suspending fast paths allocate nothing; a suspension allocates one waiter, and a blocked
 * thread one waiter object per wait.
 */
internal open class ChanImpl<T>(final override val cap: Int) : ChannelSource(), Chan<T> {
    private var buf: Array<Any?> = if (cap == 0) EMPTY else arrayOfNulls(minOf(cap, INITIAL_BUFFER))
    private var head = 0

    /** Values buffered; [store] and [retrieve] keep them (a ring here, a priority queue in a subclass). */
    private var count = 0
    private var closed = false
    private val receivers = WaitQueue()
    private val senders = WaitQueue()

    override val spinsBeforePark: Int get() = if (cap == 0) RENDEZVOUS_SPINS else 0

    override fun waitName(): String = diagnosticName("Chan", this) + "(cap $cap)"

    // ---- primitives (lock held) ------------------------------------------------------------

    override fun pollReceive(): Any? {
        if (count > 0) {
            val v = take()
            admitSender()
            return v
        }
        if (!senders.isEmpty()) senders.claimFirst(Poll.SENT)?.let { return it.element() }
        return if (closed) Poll.CLOSED else Poll.NOT_READY
    }

    override fun pollSend(element: Any?): Any? {
        if (closed) return Poll.CLOSED
        if (!receivers.isEmpty() && receivers.claimFirst(element) != null) return Poll.SENT
        if (count < cap) {
            put(element)
            return Poll.SENT
        }
        return Poll.NOT_READY
    }

    override fun enqueue(entry: WaitEntry) {
        if (entry.isSend) senders.add(entry) else receivers.add(entry)
    }

    override fun dequeue(entry: WaitEntry) {
        if (entry.isSend) senders.remove(entry) else receivers.remove(entry)
    }

    override fun forEachQueued(action: Consumer<WaitEntry>) {
        receivers.forEach(action)
        senders.forEach(action)
    }

    private fun put(element: Any?) {
        store(element)
        count++
    }

    /**
     * Moves the first waiting sender's value into the buffer if it has room (a slot was freed),
     * so that nobody overtakes that sender. The room check matters only after [giveBack] left
     * the buffer over [cap].
     */
    private fun admitSender() {
        if (count < cap && !senders.isEmpty()) senders.claimFirst(Poll.SENT)?.let { put(it.element()) }
    }

    private fun take(): Any? {
        count--
        return retrieve()
    }

    /** Adds [element] to the buffer, which has room. Lock held. */
    protected open fun store(element: Any?) {
        var b = buf
        if (count == b.size) b = grow(count + 1)
        var tail = head + count
        if (tail >= b.size) tail -= b.size
        b[tail] = element
    }

    /** Takes the next value out of the non-empty buffer (FIFO here). Lock held. */
    protected open fun retrieve(): Any? {
        val b = buf
        val v = b[head]
        b[head] = null
        head = if (head + 1 == b.size) 0 else head + 1
        return v
    }

    /**
     * Doubles the ring (up to [cap]), or makes it [needed] slots if that is more (only
     * [giveBack] needs more than [cap]), keeping the values in order.
     */
    private fun grow(needed: Int): Array<Any?> {
        val b = arrayOfNulls<Any?>(maxOf(needed, if (buf.size >= cap / 2) cap else buf.size * 2))
        copyBuffered(b)
        buf = b
        head = 0
        return b
    }

    /** Copies the buffered values, oldest first, to the start of [to]. Lock held. */
    private fun copyBuffered(to: Array<Any?>) {
        val b = buf
        val first = minOf(count, b.size - head)
        System.arraycopy(b, head, to, 0, first)
        System.arraycopy(b, 0, to, first, count - first)
    }

    /** The ring index of the [i]th buffered value, oldest first. */
    private fun slot(i: Int): Int {
        val k = head + i
        return if (k >= buf.size) k - buf.size else k
    }

    // ---- the buffer as a java.util.Queue (ChanBlockingQueue; FIFO ring only) ----------------
    //
    // For the BlockingQueue view of a channel made by Chan(): these read and edit the ring, so
    // a subclass that keeps its values elsewhere (PriorityChannel) has no view. Each takes the
    // lock once and calls no user code under it (no equals, no add): the view compares and
    // hands values over outside.

    /** The oldest buffered value, or `null` if none is. Never blocks. */
    fun peekBuffered(): Any? {
        lock()
        val v = if (count > 0) buf[head] else null
        unlock()
        return v
    }

    /** The buffered values now, oldest first, in a new array: one consistent snapshot. Never blocks. */
    fun snapshotBuffered(): Array<Any?> {
        lock()
        val a = arrayOfNulls<Any?>(count)
        copyBuffered(a)
        unlock()
        return a
    }

    /**
     * Removes the oldest buffered occurrence of [element] (by identity: the caller found it by
     * `equals` in a [snapshotBuffered]), closing the gap in order; a waiting sender then takes
     * the freed slot, as after a receive. Whether it was still buffered. Never blocks.
     */
    fun removeBuffered(element: Any?): Boolean {
        lock()
        var i = 0
        while (i < count && buf[slot(i)] !== element) i++
        val found = i < count
        if (found) {
            while (i < count - 1) {
                buf[slot(i)] = buf[slot(i + 1)]
                i++
            }
            buf[slot(count - 1)] = null
            count--
            admitSender()
        }
        unlock()
        return found
    }

    /**
     * Drops every buffered value; then waiting senders fill the freed slots, as `clear` lets
     * an `ArrayBlockingQueue`'s blocked `put`s in. Values of senders still waiting are not
     * dropped: they were not in the buffer. Never blocks.
     */
    fun clearBuffered() {
        lock()
        java.util.Arrays.fill(buf, null)
        head = 0
        count = 0
        while (count < cap && !senders.isEmpty()) {
            val s = senders.claimFirst(Poll.SENT) ?: break
            put(s.element())
        }
        unlock()
    }

    /**
     * Receives up to [max] values that are ready now, in one locked step (atomic, as one
     * `tryReceive` is): buffered values and waiting senders' values, in the order repeated
     * receives would take them. Never blocks; an empty array if none is ready (or the channel
     * is closed and drained).
     */
    fun receiveReady(max: Int): Array<Any?> {
        lock()
        val ready = minOf(max.toLong(), count.toLong() + senders.size()).toInt()
        val a = arrayOfNulls<Any?>(ready)
        var n = 0
        while (n < ready) {
            val r = pollReceive()
            if (r === Poll.NOT_READY || r === Poll.CLOSED) break
            a[n++] = r
        }
        unlock()
        return if (n == ready) a else a.copyOf(n)
    }

    /**
     * Puts [values] from index [from] on back at the head of the channel, in order, before every
     * other value: what a [receiveReady] took but could not hand on. They go to waiting
     * receivers first (oldest first), the rest into the buffer even beyond [cap] (the slots
     * they left may have been taken by waiting senders meanwhile); while over [cap], senders
     * wait. So no value is lost; a receive that saw the channel closed and drained meanwhile
     * may be followed by one that gets a value put back. Never blocks.
     */
    fun giveBack(values: Array<Any?>, from: Int) {
        lock()
        var i = from
        while (i < values.size && !receivers.isEmpty() && receivers.claimFirst(values[i]) != null) i++
        val n = values.size - i
        if (n > 0) {
            var b = buf
            if (count + n > b.size) b = grow(count + n)
            for (k in values.size - 1 downTo i) {
                head = if (head == 0) b.size - 1 else head - 1
                b[head] = values[k]
            }
            count += n
        }
        unlock()
    }

    // ---- sending ---------------------------------------------------------------------------

    override suspend fun send(value: T) {
        lock()
        val r = pollSend(value)
        if (r === Poll.NOT_READY) return sendSuspending(value)
        unlock()
        if (r === Poll.CLOSED) throw sendOnClosed()
    }

    private suspend fun sendSuspending(value: T) {
        if (awaitLocked(true, value) === Poll.CLOSED) throw sendOnClosed()
    }

    override fun trySend(value: T): Boolean {
        val r = trySendNow(value)
        if (r === Poll.CLOSED) throw sendOnClosed()
        return r === Poll.SENT
    }

    override fun close() {
        lock()
        if (closed) {
            unlock()
            throw closeOfClosed()
        }
        closeLocked()
    }

    /** Closes the channel unless it is closed already; either way it is closed when this returns. */
    fun closeIfOpen() {
        lock()
        if (closed) unlock() else closeLocked()
    }

    private fun closeLocked() {
        markClosedLocked()
        unlock()
    }

    /**
     * Closes with the lock held and kept (for a group that closes all its channels at once);
     * the woken threads and futures wake when the lock is released (coroutines may run before:
     * see [WaitEntry.claim]). False if it was already closed.
     */
    fun markClosedLocked(): Boolean {
        if (closed) return false
        closed = true
        receivers.claimAll(Poll.CLOSED)
        senders.claimAll(Poll.CLOSED)
        return true
    }

    override val len: Int
        get() {
            lock()
            val n = count
            unlock()
            return n
        }

    /** [len] with the lock already held. */
    fun lenLocked(): Int = count

    // ---- receiving -------------------------------------------------------------------------

    override suspend fun receive(): T {
        lock()
        val r = pollReceive()
        if (r === Poll.NOT_READY) return receiveSuspending()
        unlock()
        return valueOrThrow(r)
    }

    private suspend fun receiveSuspending(): T = valueOrThrow(awaitLocked(false, null))

    override suspend fun receiveOk(): Received<T> {
        lock()
        val r = pollReceive()
        if (r === Poll.NOT_READY) return receiveOkSuspending()
        unlock()
        return received(r)
    }

    private suspend fun receiveOkSuspending(): Received<T> = received(awaitLocked(false, null))

    override fun tryReceive(): Received<T>? {
        val r = tryReceiveNow()
        return if (r === Poll.NOT_READY) null else received(r)
    }

    override fun iterator(): ChanIterator<T> = Iter()

    private inner class Iter : RawIterator<T>() {
        override suspend fun hasNext(): Boolean {
            lock()
            val r = pollReceive()
            if (r === Poll.NOT_READY) return hasNextSuspending()
            unlock()
            return found(r)
        }

        private suspend fun hasNextSuspending(): Boolean = found(awaitLocked(false, null))
    }

    /**
     * The slow path, entered with the lock held after a poll found the operation not ready:
     * queue a waiter, release the lock, suspend; the result is the operation's.
     */
    private suspend inline fun awaitLocked(send: Boolean, element: Any?): Any? {
        val w = coroutineWaiter(send, element)
        val claimed = awaitClaim(w) {
            enqueue(w)
            unlock()
        }
        return completeClaimed(claimed as WaitEntry)
    }

    /** Entries queued now (waiting senders, waiting receivers), for tests that check none is left behind. */
    internal fun queuedWaiters(): Pair<Int, Int> {
        lock()
        val r = senders.size() to receivers.size()
        unlock()
        return r
    }

    /** Never blocks nor throws: [len] read without the lock (it may be a moment old). */
    override fun toString(): String = "Chan(cap=$cap, len=$count)"

    companion object {
        private val EMPTY = arrayOfNulls<Any?>(0)
        private const val INITIAL_BUFFER = 16

        /**
         * Spins a thread blocked on an unbuffered channel makes before parking: a rendezvous
         * partner usually arrives within microseconds, and parking and unparking cost more.
         * None on one CPU, where spinning only delays the partner.
         */
        private val RENDEZVOUS_SPINS = if (Runtime.getRuntime().availableProcessors() > 1) 128 else 0
    }
}

@Suppress("UNCHECKED_CAST")
internal fun <T> valueOrThrow(r: Any?): T = if (r === Poll.CLOSED) throw receiveOnClosed() else r as T

@Suppress("UNCHECKED_CAST")
internal fun <T> received(r: Any?): Received<T> = if (r === Poll.CLOSED) Received.closed() else Received.of(r as T)

/** Go's nil channel: every operation waits forever; select never picks its cases. */
internal object NilChan : ChannelSource(), Chan<Any?> {
    override val cap: Int get() = 0
    override val len: Int get() = 0

    override fun pollReceive(): Any? = Poll.NOT_READY
    override fun pollSend(element: Any?): Any? = Poll.NOT_READY
    override fun enqueue(entry: WaitEntry): Unit = Unit
    override fun dequeue(entry: WaitEntry): Unit = Unit

    override suspend fun send(value: Any?): Unit = awaitCancellation()
    override fun trySend(value: Any?): Boolean = false
    override fun close(): Unit = throw IllegalStateException("close of nil channel")
    override suspend fun receive(): Any? = awaitCancellation()
    override suspend fun receiveOk(): Received<Any?> = awaitCancellation()
    override fun tryReceive(): Received<Any?>? = null

    override fun iterator(): ChanIterator<Any?> = object : ChanIterator<Any?> {
        override suspend fun hasNext(): Boolean = awaitCancellation()
        override fun next(): Any? = throw IllegalStateException("a nil channel has no values")
    }

    override fun toString(): String = "Chan(nil)"
}

/**
 * Closes a channel unless it is closed already; either way it is closed when this returns. For
 * channels that several parties may close. Any kind: one made by [Chan()][Chan] is checked
 * under its lock; another kind is closed, and its "close of closed channel" ignored.
 */
internal fun SendChan<*>.closeIfOpen() {
    if (this is ChanImpl<*>) {
        closeIfOpen()
        return
    }
    try {
        close()
    } catch (e: IllegalStateException) {
        if (!isCloseOfClosed(e)) throw e
    }
}

/**
 * How many senders and receivers wait in a channel made by [Chan()][Chan] right now (entries still
 * queued), for tests that check that no waiter outlives a cancellation, interruption, timeout
 * or close.
 */
internal fun Chan<*>.queuedWaiters(): Pair<Int, Int> = (this as ChanImpl<*>).queuedWaiters()
