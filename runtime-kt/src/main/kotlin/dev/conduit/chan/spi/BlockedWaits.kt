package dev.conduit.chan.spi

import kotlinx.coroutines.Job
import java.util.Collections
import java.util.WeakHashMap
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater
import kotlin.coroutines.CoroutineContext

/**
 * One blocked wait as recorded when it began: immutable, so a reader on another thread sees it
 * whole. It is current while its [waiter] is undecided.
 */
internal class BlockedWait(
    @JvmField val waiter: Waiter,
    /** The [ChannelSource] of a single operation, or the [Selection.SelectionRegistration] of a select. */
    @JvmField val what: Any,
    /** Bounded by a timeout or a context deadline: a timer will end it. */
    @JvmField val timed: Boolean,
    /** When it began, by [BlockedWaits.coarseMillis] (to the watchdog's tick, 10 ms). */
    @JvmField val sinceMillis: Long,
) {
    /** Whether it still waits: nothing has claimed or withdrawn it. Never blocks. */
    val isCurrent: Boolean get() = waiter.state == null
}

/**
 * A party that blocks in Conduit operations, coroutine or thread, and its latest wait. One per
 * party, reused by each of its waits, so recording a wait is a lookup and one write.
 */
internal class WaitSlot(
    /** The coroutine's [Job], or the [Thread]. */
    @JvmField val key: Any,
    /** The coroutine's context (its name, its goroutine mark); `null` for a thread. */
    @JvmField val context: CoroutineContext?,
) {
    @Volatile
    @JvmField
    var wait: BlockedWait? = null

    /**
     * Records [w] as this party's wait: a release store (readers on other threads see it whole,
     * it is immutable), with no full fence: this is on every blocking operation's path.
     */
    fun record(w: BlockedWait) {
        WAIT.lazySet(this, w)
    }

    private companion object {
        private val WAIT = AtomicReferenceFieldUpdater.newUpdater(WaitSlot::class.java, BlockedWait::class.java, "wait")
    }
}

/**
 * What every coroutine and thread blocked in a Conduit operation waits on, recorded while
 * detection is on (`-Dconduit.diagnostics=true`, read once when this class loads): the data of
 * `dev.conduit.supervisor.Diagnostics`' dump and deadlock checks. Off, each hook is a test of a
 * constant the JIT folds away: nothing is recorded and nothing is paid.
 *
 * Only the slow path records: an operation that completes at once never blocked. A wait is
 * recorded when its waiter is queued; it ends, with nothing more written, when the waiter is
 * decided ([BlockedWait.isCurrent]).
 */
internal object BlockedWaits {
    /** Whether detection is on: the system property `conduit.diagnostics`, read once. */
    @JvmField
    val ON: Boolean = java.lang.Boolean.getBoolean("conduit.diagnostics")

    private val slots = ConcurrentHashMap<Any, WaitSlot>()

    /**
     * [System.currentTimeMillis] as of the watchdog's last tick (every 10 ms while detection is
     * on): what a wait's start is stamped with, at the cost of a field read rather than a clock
     * read on every blocking operation.
     */
    @Volatile
    @JvmField
    var coarseMillis: Long = System.currentTimeMillis()

    /**
     * What sync primitives' inner channels stand for ("lock of Mutex 'a'"), for the reports;
     * weak keys, and a purpose holds nothing strongly that leads back to its channel, so a
     * channel is collected as usual.
     */
    private val purposes: MutableMap<ChannelSource, WaitPurpose> = Collections.synchronizedMap(WeakHashMap())

    /**
     * Records that the coroutine of [context] waits on [w] ([what]: its channel or select). A
     * coroutine without a [Job] is not recorded: nothing can list it or wait for it.
     */
    @JvmStatic
    fun coroutineBlocked(context: CoroutineContext, w: Waiter, what: Any, timed: Boolean) {
        val job = context[Job] ?: return
        // A thread mostly runs the same coroutine wait after wait: its last slot saves the map lookup.
        val last = lastSlot.get()
        val slot = if (last != null && last.key === job) last else (slots[job] ?: slotOf(job, context)).also { lastSlot.set(it) }
        slot.record(BlockedWait(w, what, timed, coarseMillis))
    }

    /** Records that the calling thread waits on [w]. */
    @JvmStatic
    fun threadBlocked(w: Waiter, what: Any, timed: Boolean) {
        threadSlot.get().record(BlockedWait(w, what, timed, coarseMillis))
    }

    /** The last coroutine slot this thread recorded a wait in (it may belong to a coroutine that has ended since). */
    private val lastSlot = ThreadLocal<WaitSlot?>()

    /** This thread's own slot, listed in [slots] when made. */
    private val threadSlot: ThreadLocal<WaitSlot> = ThreadLocal.withInitial {
        val t = Thread.currentThread()
        WaitSlot(t, null).also { slots[t] = it }
    }

    private fun slotOf(job: Job, context: CoroutineContext): WaitSlot {
        var made = false
        val slot = slots.computeIfAbsent(job) { made = true; WaitSlot(job, context) }
        if (made) job.invokeOnCompletion { slots.remove(job) }
        return slot
    }

    /** Names what [source] stands for in reports (while on; the caller checks [ON]). */
    @JvmStatic
    fun <P : WaitPurpose> name(source: ChannelSource, purpose: P): P {
        purposes[source] = purpose
        return purpose
    }

    /** What [source] stands for, if a primitive named it. */
    fun purposeOf(source: ChannelSource): WaitPurpose? = purposes[source]

    /** The slot of [key] (a [Job] or a [Thread]), if it ever blocked; for the reports. */
    fun slot(key: Any): WaitSlot? = slots[key]

    /**
     * Every slot whose wait is current now, each with the wait read once. Slots of threads that
     * have ended are dropped on the way. Never blocks.
     */
    fun current(): List<Pair<WaitSlot, BlockedWait>> {
        val out = ArrayList<Pair<WaitSlot, BlockedWait>>()
        for (slot in slots.values) {
            val k = slot.key
            if (k is Thread && !k.isAlive) {
                slots.remove(k, slot)
                continue
            }
            val w = slot.wait ?: continue
            if (w.isCurrent) out += slot to w
        }
        return out
    }

    /** "receive from Chan@1b6d3586(cap 0)", "lock of Mutex 'a'", "select on [...]": what [wait] waits on. */
    fun describe(wait: BlockedWait): String = when (val what = wait.what) {
        is ChannelSource -> describe(what, wait.waiter.isSend)
        else -> (what as Selection.SelectionRegistration).selection.describeCases()
    }

    /** What a wait on [source] is, as [describe] words it. */
    fun describe(source: ChannelSource, send: Boolean): String =
        purposes[source]?.describe(send) ?: source.describeWait(send)

    /** Timers of Conduit clocks scheduled and not yet fired or stopped (counted only while on). */
    private val timers = AtomicInteger()

    /** Counts a timer of a Conduit clock until [job], the coroutine that fires it, ends. */
    fun timerScheduled(job: Job) {
        timers.incrementAndGet()
        job.invokeOnCompletion { timers.decrementAndGet() }
    }

    /** How many Conduit timers are pending now: while one is, a wait may still be ended by it. */
    val timersPending: Int get() = timers.get()

    init {
        // Last, once every field above is set: the watchdog reads them. Its thread touches
        // Diagnostics only once running, so neither class's initialisation waits for the other's.
        if (ON) {
            Thread({ dev.conduit.supervisor.Diagnostics.runWatchdog() }, "conduit-deadlock-watchdog").apply {
                isDaemon = true
                start()
            }
        }
    }
}

/** "Kind@1b6d3586": how diagnostics name [o], by its kind and identity hash. */
internal fun diagnosticName(kind: String, o: Any): String = kind + "@" + Integer.toHexString(System.identityHashCode(o))

/**
 * What a sync primitive's inner channel stands for in reports: [onSend] for a wait to send on
 * it, [onReceive] for a wait to receive ("lock of Mutex 'a'", "wait on WaitGroup@1b6d3586").
 */
internal open class WaitPurpose(private val onSend: String, private val onReceive: String) {
    fun describe(send: Boolean): String = if (send) onSend else onReceive
}

/**
 * A mutex's inner channel, and who holds the mutex now: the [Job] of the coroutine or the
 * [Thread] that locked it, `null` when free or locked by a caller that is neither (a future, a
 * `tryLock` outside a coroutine's `lock`). Written only while detection is on. Held weakly:
 * the holder's stack may refer to the mutex, which must stay collectable.
 */
internal class LockPurpose(val lockName: String) : WaitPurpose("lock of $lockName", "lock of $lockName") {
    @Volatile
    private var held: java.lang.ref.WeakReference<Any>? = null

    var holder: Any?
        get() = held?.get()
        set(value) {
            held = value?.let { java.lang.ref.WeakReference(it) }
        }
}
