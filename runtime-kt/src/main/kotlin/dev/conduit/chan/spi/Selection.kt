package dev.conduit.chan.spi

import dev.conduit.Clock
import dev.conduit.chan.NilChan
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.SendChan
import dev.conduit.context.Context
import dev.conduit.context.onDone
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ThreadLocalRandom
import kotlin.time.Duration.Companion.nanoseconds

/**
 * One run of Go's `select` over any mix of channel kinds, for a coroutine ([select]), a blocked
 * thread ([selectBlocking]) or a future ([selectFuture]). `dev.conduit.chan.select` and the Java
 * facade's `Select` are built on it; add the cases, run it once, read [chosen] and [result].
 *
 * ## The algorithm (Go's `selectgo`)
 * 1. Cases on nil channels are dropped. The others get a random poll order (uniform among
 *    ready cases, as Go; the order written if [biased]) and a lock order: their channels sorted
 *    by [ChannelLock.lockOrder], each locked once however many cases it has, so a select may
 *    send and receive on one channel and two selects never deadlock.
 * 2. Each case is polled in poll order, its channel alone locked; the first ready one runs (the
 *    select linearizes at that poll; a [biased] select skips this, so that its order holds at
 *    one moment). If none was, every channel is locked at once and the cases
 *    are polled again; none ready and a `default`: the locks are released and `default` is
 *    chosen. This one locked snapshot is why `default` is linearizable: it is chosen only if no
 *    case was ready at that moment.
 * 3. Otherwise one waiter is queued on every case's channel, one entry per case, and the locks
 *    are released. The first claim on any entry decides the waiter (one compare-and-set); the
 *    other entries are then taken out of their queues, as are all of them when the waiter gives
 *    up (cancellation, interruption, timeout, context).
 *
 * The cost is O(n log n) in the number of cases n (the sort), plus one lock and one queue
 * operation per case. A `Selection` is for one thread and one run.
 *
 * For facades and adapters; code that uses channels writes `select { }`.
 *
 * @param expectedCases how many cases to make room for at once (the room grows as cases are
 *   added; a hint above 64 reserves 64).
 * @throws IllegalArgumentException if [expectedCases] < 0.
 */
public class Selection @JvmOverloads constructor(private val biased: Boolean = false, expectedCases: Int = 4) {
    init {
        require(expectedCases >= 0) { "expectedCases must be >= 0, but was $expectedCases" }
    }

    private val presized = minOf(expectedCases, MAX_PRESIZED)
    private var n = 0
    private var kinds = ByteArray(presized)
    private var elements = arrayOfNulls<Any?>(presized)

    /** Each case's channel: a [ChannelSource], or an `Array<out ChannelSource>` for a group. */
    private var sources = arrayOfNulls<Any?>(presized)

    /** How many channels the cases have in all (a group counts its parts). */
    private var partsUsed = 0

    /** Cases that can fire, in poll order; then the distinct channels, in lock order. */
    private var order = IntArray(0)
    private var live = 0
    private var locks = arrayOfNulls<ChannelSource>(0)
    private var lockCount = 0
    private var entries: Array<WaitEntry?>? = null

    /** The case that ran ([DEFAULT] or [TIMED_OUT] when those did); -1 before a run. */
    public var chosen: Int = -1
        private set

    /**
     * What the chosen case got: for a receive the value or [Poll.CLOSED]; for a send
     * [Poll.SENT] or [Poll.CLOSED]; `null` for an always-ready case, [DEFAULT] or [TIMED_OUT].
     */
    public var result: Any? = null
        private set

    /** How many cases were added. */
    public val size: Int get() = n

    /**
     * Adds a case that receives from [channel]; returns its index. A case on a nil channel never
     * fires; one on a [ChannelGroup] waits on all its parts.
     *
     * @throws IllegalArgumentException if [channel] is neither a [ChannelSource] nor a
     *   [ChannelGroup].
     */
    public fun receive(channel: ReceiveChan<*>): Int = when (channel) {
        NilChan -> add(NEVER, null, null, 0)
        is ChannelSource -> add(RECEIVE, null, channel, 1)
        is ChannelGroup -> channel.receiveParts().let { if (it.size == 1) add(RECEIVE, null, it[0], 1) else add(RECEIVE, null, it, it.size) }
        else -> throw notAKind(channel)
    }

    /** Adds a case that sends [element] on [channel]; returns its index. As [receive]. */
    public fun send(channel: SendChan<*>, element: Any?): Int = when (channel) {
        NilChan -> add(NEVER, element, null, 0)
        is ChannelSource -> add(SEND, element, channel, 1)
        is ChannelGroup -> add(SEND, element, channel.sendPart(element), 1)
        else -> throw notAKind(channel)
    }

    /** Adds a case that is always ready (a zero timeout); returns its index. */
    public fun ready(): Int = add(READY, null, null, 0)

    private fun notAKind(channel: Any) = IllegalArgumentException(
        "$channel cannot be a select case: channel kinds extend dev.conduit.chan.spi.ChannelSource or implement ChannelGroup",
    )

    private fun add(kind: Byte, element: Any?, source: Any?, parts: Int): Int {
        if (n == kinds.size) {
            val size = maxOf(4, n * 2)
            kinds = kinds.copyOf(size)
            elements = elements.copyOf(size)
            sources = sources.copyOf(size)
        }
        kinds[n] = kind
        elements[n] = element
        sources[n] = source
        partsUsed += parts
        return n++
    }

    /** The [k]th channel of case [i] (of [partsOf] `i`). */
    private fun part(i: Int, k: Int): ChannelSource {
        val s = sources[i]
        @Suppress("UNCHECKED_CAST")
        return if (s is ChannelSource) s else (s as Array<out ChannelSource>)[k]
    }

    private fun partsOf(i: Int): Int {
        val s = sources[i]
        @Suppress("UNCHECKED_CAST")
        return if (s is ChannelSource) 1 else (s as Array<out ChannelSource>?)?.size ?: 0
    }

    // ---- the three ways to run it --------------------------------------------------------

    /**
     * Runs the select in a coroutine: returns [chosen], the index of the case that ran, or
     * [DEFAULT] (if [hasDefault] and nothing was ready), or [TIMED_OUT] once [timeoutNanos]
     * passed on the coroutine's dispatcher (virtual time in tests; `Long.MAX_VALUE`: none).
     * With no case that can fire, no default and no timeout it suspends until cancelled, as Go's
     * `select {}`.
     *
     * Cancelled while suspended: either no case ran (the `CancellationException` is thrown) or a
     * case had already completed, and it is returned; the cancellation then takes effect at the
     * next suspension point.
     */
    public suspend fun select(hasDefault: Boolean, timeoutNanos: Long = Long.MAX_VALUE): Int {
        if (!prepare()) {
            if (hasDefault) return decide(DEFAULT, null)
            if (timeoutNanos == Long.MAX_VALUE) awaitCancellation()
            if (timeoutNanos > 0) delay(timeoutNanos.nanoseconds)
            return decide(TIMED_OUT, null)
        }
        if (!biased && pollEach()) return chosen
        lockAll()
        if (pollAll()) return chosen
        if (hasDefault) return unlockAndDecide(DEFAULT)
        if (timeoutNanos <= 0) return unlockAndDecide(TIMED_OUT)
        return suspendLocked(timeoutNanos)
    }

    private suspend fun suspendLocked(timeoutNanos: Long): Int {
        val w = CoroutineWaiter(null, false, null, registration)
        return finish(
            awaitDecision(w, null, timeoutNanos) {
                register(w)
                unlockAll()
            },
        )
    }

    /**
     * Runs the select on the calling thread, blocking it: returns [chosen], [DEFAULT], or
     * [TIMED_OUT] once [timeoutNanos] passed (`Long.MAX_VALUE`: none; zero or less: only what
     * is ready now).
     *
     * @throws InterruptedException if interrupted before a case ran; none runs then. A case that
     *   completed at that moment is returned instead, with the interrupt status set again.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first.
     */
    @Throws(InterruptedException::class)
    public fun selectBlocking(hasDefault: Boolean, timeoutNanos: Long, ctx: Context?): Int {
        ctx?.err?.let { throw it }
        val any = prepare()
        if (any) {
            if (!biased && pollEach()) return chosen
            lockAll()
            if (pollAll()) return chosen
        }
        if (hasDefault) return unlockAndDecide(DEFAULT)
        if (timeoutNanos <= 0) return unlockAndDecide(TIMED_OUT)
        val w = ThreadWaiter(null, false, null)
        register(w)
        unlockAll()
        return finish(awaitThread(w, registration, timeoutNanos, ctx))
    }

    /**
     * Runs the select without blocking: a future of what [then] makes of [chosen] ([DEFAULT],
     * [TIMED_OUT] with the timeout measured by the system clock); an exception from [then]
     * completes it exceptionally. [then] runs on the thread that completes the select, after the
     * select is decided (so it may run the chosen case's handler). The future is an
     * [OperationFuture]: ending it, or a stage derived from it, from outside (`cancel`,
     * `complete`, `orTimeout`, …) withdraws the select first and succeeds only if no case ran
     * or will run. Never blocks.
     */
    public fun <R> selectFuture(hasDefault: Boolean, timeoutNanos: Long, then: (Int) -> R): CompletableFuture<R> =
        selectFuture(hasDefault, timeoutNanos, null, then)

    /**
     * [selectFuture] that fails with [Context.err] if [ctx] is done before a case runs (at once
     * if it is done already; `null`: no context). Never blocks.
     */
    public fun <R> selectFuture(hasDefault: Boolean, timeoutNanos: Long, ctx: Context?, then: (Int) -> R): CompletableFuture<R> {
        ctx?.err?.let { return CompletableFuture.failedFuture(it) }
        val map: (Any?) -> R = { then(it as Int) }
        val any = prepare()
        if (any) {
            if (!biased && pollEach()) return completedWith(map, chosen)
            lockAll()
            if (pollAll()) return completedWith(map, chosen)
        }
        if (hasDefault) return completedWith(map, unlockAndDecide(DEFAULT))
        if (timeoutNanos <= 0) return completedWith(map, unlockAndDecide(TIMED_OUT))
        val w = FutureWaiter<R>(null, false, null, registration) { waiter, f ->
            if (waiter.state === Waiter.ABORTED) f.failByOperation(ctx!!.err!!) else f.completeWith(map, finish(waiter.state))
        }
        register(w)
        unlockAll()
        if (timeoutNanos != Long.MAX_VALUE) {
            val timer = Clock.system().schedule(timeoutNanos) { if (withdraw(w, Waiter.TIMED_OUT)) (w as Waiter).withdrawn() }
            w.future.whenComplete { _, _ -> timer.stop() }
        }
        if (ctx != null && ctx.done !== NilChan) {
            val abort = ctx.onDone { _, _, _ -> if (withdraw(w, Waiter.ABORTED)) (w as Waiter).withdrawn() }
            w.future.whenComplete { _, _ -> abort.stop() }
        }
        return w.future
    }

    // ---- the algorithm -------------------------------------------------------------------

    /** Builds the poll order and the lock order; false if no case can fire. */
    private fun prepare(): Boolean {
        val order = IntArray(n)
        var live = 0
        val random = if (biased) null else ThreadLocalRandom.current()
        for (i in 0 until n) {
            if (kinds[i] == NEVER) continue
            if (random == null) {
                order[live] = i
            } else {
                // Inside-out Fisher-Yates, as Go's selectgo builds its poll order.
                val j = random.nextInt(live + 1)
                order[live] = order[j]
                order[j] = i
            }
            live++
        }
        this.order = order
        this.live = live
        return live > 0
    }

    /** The distinct channels of the live cases, sorted by lock order. */
    private fun sortLocks() {
        var count = 0
        val all = arrayOfNulls<ChannelSource>(partsUsed)
        for (k in 0 until live) {
            val i = order[k]
            for (j in 0 until partsOf(i)) all[count++] = part(i, j)
        }
        sortByLockOrder(all, count)
        var distinct = 0
        for (k in 0 until count) {
            val s = all[k]!!
            if (distinct == 0 || all[distinct - 1] !== s) all[distinct++] = s
        }
        locks = all
        lockCount = distinct
    }

    private fun lockAll() {
        if (lockCount == 0 && partsUsed > 0) sortLocks()
        for (k in 0 until lockCount) locks[k]!!.lock()
    }

    /** Releases every lock, and only then wakes the waiters decided while they were held. */
    private fun unlockAll() {
        var wakes: Waiter? = null
        for (k in 0 until lockCount) {
            val w = locks[k]!!.unlockDeferringWakes() ?: continue
            var tail: Waiter = w
            while (tail.nextWake() != null) tail = tail.nextWake()
            tail.setNextWake(wakes)
            wakes = w
        }
        if (wakes != null) Waiter.wakeAll(wakes)
    }

    /**
     * Pass 1 without the snapshot: each case in poll order, its channel alone locked. A case
     * ready at that moment may run then (the select linearizes there); only "nothing is ready",
     * which decides `default` or waiting, needs every channel locked at once ([pollAll]).
     */
    private fun pollEach(): Boolean = pollCases(allLocked = false)

    /**
     * A group's receive case without the snapshot: a value from the first part that has one,
     * each part locked alone, from a random part on. "Closed" needs every part at one moment,
     * so it is left to [pollAll].
     */
    private fun tryGroup(i: Int): Any? {
        val count = partsOf(i)
        val start = ThreadLocalRandom.current().nextInt(count)
        for (j in 0 until count) {
            val r = part(i, (start + j) % count).tryReceiveNow()
            if (r !== Poll.NOT_READY && r !== Poll.CLOSED) return r
        }
        return Poll.NOT_READY
    }

    /** Pass 1, every lock held: runs the first ready case in poll order and releases the locks. */
    private fun pollAll(): Boolean = pollCases(allLocked = true)

    /**
     * Runs the first ready case in poll order, each polled under its own lock or, when
     * [allLocked], under the locks [lockAll] holds (released before the case runs).
     */
    private fun pollCases(allLocked: Boolean): Boolean {
        for (k in 0 until live) {
            val i = order[k]
            val source = sources[i]
            val r = when {
                kinds[i] == READY -> null
                kinds[i] == RECEIVE && source !is ChannelSource -> if (allLocked) pollGroup(i) else tryGroup(i)
                kinds[i] == RECEIVE -> if (allLocked) (source as ChannelSource).spiPollReceive() else (source as ChannelSource).tryReceiveNow()
                allLocked -> (source as ChannelSource).spiPollSend(elements[i])
                else -> (source as ChannelSource).trySendNow(elements[i])
            }
            if (r !== Poll.NOT_READY) {
                if (allLocked) unlockAll()
                decide(i, r)
                return true
            }
        }
        return false
    }

    /**
     * A receive case on a group: a value from the first part that has one, trying the parts
     * from a random one on; "closed" only if every part is closed and drained.
     */
    private fun pollGroup(i: Int): Any? {
        val count = partsOf(i)
        val start = if (biased) 0 else ThreadLocalRandom.current().nextInt(count)
        var closed = 0
        for (j in 0 until count) {
            val r = part(i, (start + j) % count).spiPollReceive()
            if (r === Poll.CLOSED) closed++ else if (r !== Poll.NOT_READY) return r
        }
        return if (closed == count) Poll.CLOSED else Poll.NOT_READY
    }

    /** Pass 2, every lock held: one entry of [w] per channel of each case. */
    private fun register(w: Waiter) {
        val entries = arrayOfNulls<WaitEntry>(partsUsed)
        this.entries = entries
        var e = 0
        for (k in 0 until live) {
            val i = order[k]
            val kind = kinds[i]
            if (kind != RECEIVE && kind != SEND) continue
            for (j in 0 until partsOf(i)) {
                val part = part(i, j)
                val entry = SelectEntry(w, part, i, kind == SEND, elements[i])
                entries[e++] = entry
                part.spiEnqueue(entry)
                if (w.state != null) return // a lock-free kind completed it while registering
            }
        }
    }

    /** After a decision: the winner's case (the other entries withdrawn), or a withdrawal's reason. */
    private fun finish(decided: Any?): Int {
        if (decided === Waiter.TIMED_OUT) return decide(TIMED_OUT, null)
        val winner = decided as WaitEntry
        lockAll()
        entries?.forEach { e -> if (e != null && e !== winner) (e.source as ChannelSource).spiDequeue(e) }
        unlockAll()
        return decide(winner.caseIndex(), (winner.source as ChannelSource).spiCompleteClaimed(winner))
    }

    private val registration: Registration = SelectionRegistration(this)

    /** This select's [Registration], a class of its own so that diagnostics can name the select it withdraws. */
    internal class SelectionRegistration(@JvmField val selection: Selection) : Registration {
        override fun withdraw(w: Waiter, reason: Any): Boolean = selection.withdraw(w, reason)
    }

    /** "select on [receive from …, send on …]": what a blocked run of this select waits on, for diagnostics. */
    @JvmSynthetic
    internal fun describeCases(): String = (0 until n).filter { kinds[it] == RECEIVE || kinds[it] == SEND }.joinToString(
        prefix = "select on [",
        postfix = "]",
    ) { i ->
        (0 until partsOf(i)).joinToString(" or ") { j -> BlockedWaits.describe(part(i, j), kinds[i] == SEND) }
    }

    /** Calls [action] with the channel of each send and receive case (each part of a group), for diagnostics. */
    @JvmSynthetic
    internal fun forEachChannel(action: (ChannelSource) -> Unit) {
        for (i in 0 until n) {
            if (kinds[i] != RECEIVE && kinds[i] != SEND) continue
            for (j in 0 until partsOf(i)) action(part(i, j))
        }
    }

    /**
     * Withdraws [w] from every case's queue, all locks held, if it is still undecided. A waiter
     * whose claim failed (its coroutine had just been cancelled) is taken out of every queue
     * too: the failed claimer removed only its own entry, and nobody else will remove the rest.
     */
    private fun withdraw(w: Waiter, reason: Any): Boolean {
        lockAll()
        val withdrawn = w.decide(reason)
        if (withdrawn || w.state === Waiter.FAILED) entries?.forEach { e -> if (e != null) (e.source as ChannelSource).spiDequeue(e) }
        unlockAll()
        return withdrawn
    }

    private fun unlockAndDecide(case: Int): Int {
        if (live > 0) unlockAll()
        return decide(case, null)
    }

    private fun decide(case: Int, r: Any?): Int {
        chosen = case
        result = r
        return case
    }

    public companion object {
        /** [chosen] when the `default` ran. */
        public const val DEFAULT: Int = -1

        /** [chosen] when the timeout passed. */
        public const val TIMED_OUT: Int = -2

        /** The most cases a [Selection] makes room for up front, whatever its hint. */
        private const val MAX_PRESIZED = 64

        private const val NEVER: Byte = 0
        private const val RECEIVE: Byte = 1
        private const val SEND: Byte = 2
        private const val READY: Byte = 3

        /** Sorts [a] (the first [count]) by lock order: insertion sort when small, merge sort otherwise. */
        private fun sortByLockOrder(a: Array<ChannelSource?>, count: Int) {
            if (count <= 16) {
                for (i in 1 until count) {
                    val x = a[i]!!
                    var j = i - 1
                    while (j >= 0 && a[j]!!.lockOrder() > x.lockOrder()) {
                        a[j + 1] = a[j]
                        j--
                    }
                    a[j + 1] = x
                }
                return
            }
            var src = a
            var dst = arrayOfNulls<ChannelSource>(a.size)
            var width = 1
            while (width < count) {
                var lo = 0
                while (lo < count) {
                    val mid = minOf(lo + width, count)
                    val hi = minOf(lo + 2 * width, count)
                    var i = lo
                    var j = mid
                    var k = lo
                    while (i < mid && j < hi) dst[k++] = if (src[j]!!.lockOrder() < src[i]!!.lockOrder()) src[j++] else src[i++]
                    while (i < mid) dst[k++] = src[i++]
                    while (j < hi) dst[k++] = src[j++]
                    lo = hi
                }
                val t = src
                src = dst
                dst = t
                width *= 2
            }
            if (src !== a) System.arraycopy(src, 0, a, 0, count)
        }
    }
}
