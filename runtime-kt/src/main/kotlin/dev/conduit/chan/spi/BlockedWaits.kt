package dev.conduit.chan.spi

import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import java.lang.ref.ReferenceQueue
import java.lang.ref.WeakReference
import java.util.Collections
import java.util.IdentityHashMap
import java.util.WeakHashMap
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Consumer
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.jvm.internal.CoroutineStackFrame

/**
 * One blocked wait as [BlockedWaits.current] found it in a channel's queue: what its waiter
 * recorded when it began, and its party. It is current while its [waiter] is undecided.
 */
internal class BlockedWait(
    @JvmField val waiter: Waiter,
    /** The [ChannelSource] of a single operation, or the [Selection.SelectionRegistration] of a select. */
    @JvmField val what: Any,
    /** Bounded by a timeout or a context deadline: a timer will end it. */
    @JvmField val timed: Boolean,
    /** When it began, as [System.currentTimeMillis] to the watchdog's tick (10 ms). */
    @JvmField val sinceMillis: Long,
    /** Who waits: the coroutine's [Job], or the [Thread]. */
    @JvmField val key: Any,
) {
    /** Whether it still waits: nothing has claimed or withdrawn it. Never blocks. */
    val isCurrent: Boolean get() = waiter.state == null

    /** The waiting coroutine's context (its name, its goroutine mark); `null` for a thread. */
    val context: CoroutineContext? get() = (waiter as? CoroutineWaiter)?.cont?.context

    /**
     * Where the waiting coroutine is suspended, innermost frame first, from its continuations'
     * debug metadata; empty for a thread, and if the wait ended while the frames were read (the
     * coroutine may have run on: they are returned only if it was suspended all along, as it
     * cannot run before its waiter is decided). Never blocks.
     */
    fun suspendedAt(): List<StackTraceElement> {
        var frame = (waiter as? CoroutineWaiter)?.cont as? CoroutineStackFrame
        val out = ArrayList<StackTraceElement>()
        while (frame != null && out.size < MAX_FRAMES) {
            frame.getStackTraceElement()?.let { out += it }
            frame = frame.callerFrame
        }
        return if (isCurrent) out else emptyList()
    }

    private companion object {
        const val MAX_FRAMES = 64
    }
}

/**
 * Makes the waits in a scope detached from a coroutine's job count as that [job]'s, in
 * diagnostics (see [uncancellableFor]). Without it, a wait in `withContext(NonCancellable)`
 * would be the scope's own coroutine's, a child of no goroutine.
 */
internal class WaitsOf(val job: Job) : kotlin.coroutines.AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<WaitsOf>
}

/** Whose waits a coroutine of [context] makes: [WaitsOf]'s job if set, else its own job. */
internal fun waitOwner(context: CoroutineContext): Job? = context[WaitsOf]?.job ?: context[Job]

/**
 * The context for `withContext` of work that must finish even in a cancelled coroutine (a
 * re-lock, a wait for a round's tasks, cleanups): [NonCancellable], with the Conduit waits in it
 * counted as the waits of [context]'s coroutine, so the dump and the deadlock checks see them.
 */
internal fun uncancellableFor(context: CoroutineContext): CoroutineContext =
    waitOwner(context)?.let { NonCancellable + WaitsOf(it) } ?: NonCancellable

/**
 * What every coroutine and thread blocked in a Conduit operation waits on, while detection is on
 * (`-Dconduit.diagnostics=true`, read once when this class loads): the data of
 * `dev.conduit.supervisor.Diagnostics`' dump and deadlock checks. Off, each hook is a test of a
 * constant the JIT folds away: nothing is recorded and nothing is paid.
 *
 * Nothing is kept per party: a blocked waiter records on itself what it waits on, since when and
 * whether a timer bounds it ([Waiter.recordBlocked], three field writes), and its channel is
 * watched from then on (once per channel: a weak reference in [channels]). A reader walks the
 * watched channels' queues ([current]), each under its lock. So recording costs a blocking
 * operation a few writes, and nothing here keeps a channel, a waiter or its party reachable:
 * a coroutine that nothing else refers to is collected as it would be with detection off.
 *
 * Only the slow path records: an operation that completes at once never blocked. A wait ends,
 * with nothing more written, when its waiter is decided ([BlockedWait.isCurrent]).
 */
internal object BlockedWaits {
    /** Whether detection is on: the system property `conduit.diagnostics`, read once. */
    @JvmField
    val ON: Boolean = java.lang.Boolean.getBoolean("conduit.diagnostics")

    /**
     * The watchdog's coarse clock, in ticks of [TICK_NANOS] of [System.nanoTime] since this class
     * loaded (moved on every tick while detection is on): what a wait's start is stamped with,
     * at the cost of a field read rather than a clock read on every blocking operation, in an
     * `int` (4 bytes on each waiter). Monotonic, so a wall-clock step does not move a stamp; a
     * wait is dated right while it lasts less than 248 days.
     */
    @Volatile
    @JvmField
    var coarseTicks: Int = 0

    /** [System.currentTimeMillis] at the last tick: where [sinceMillis] counts back from. */
    @Volatile
    private var lastTickMillis: Long = System.currentTimeMillis()

    private val BASE_NANOS = System.nanoTime()

    /** One tick of [coarseTicks]: 10 ms. */
    private const val TICK_NANOS = 10_000_000L

    /** Moves the coarse clock on to now (the watchdog, every tick). */
    fun tick() {
        lastTickMillis = System.currentTimeMillis()
        coarseTicks = ((System.nanoTime() - BASE_NANOS) / TICK_NANOS).toInt()
    }

    /**
     * The wall-clock time (as [System.currentTimeMillis], to a tick) a [coarseTicks] stamp stands
     * for: the last tick's time less the ticks since the stamp (none if the stamp is newer).
     */
    fun sinceMillis(stamp: Int): Long = lastTickMillis - maxOf(0, coarseTicks - stamp) * (TICK_NANOS / 1_000_000L)

    /** A watched channel, held weakly; enqueued on [collected] once the channel is collected. */
    private class Watched(c: ChannelSource) : WeakReference<ChannelSource>(c, collected)

    private val collected = ReferenceQueue<ChannelSource>()

    /** Every channel a recorded wait was queued on, until it is collected. */
    private val channels: MutableSet<Watched> = ConcurrentHashMap.newKeySet()

    /**
     * What sync primitives' inner channels stand for ("lock of Mutex 'a'"), for the reports;
     * weak keys, and a purpose holds nothing strongly that leads back to its channel, so a
     * channel is collected as usual.
     */
    private val purposes: MutableMap<ChannelSource, WaitPurpose> = Collections.synchronizedMap(WeakHashMap())

    /**
     * Records that [w]'s party (its coroutine or thread) waits on [what], its channel or select
     * ([Waiter.timed] already set). A coroutine without a [Job] is recorded but never listed
     * ([current]): nothing can list it or wait for it. A wait on no channel that lists its
     * queue (a kind that does not override `forEachQueued`, a select of only such channels) is
     * kept in [unlisted] instead, where it vetoes "all asleep".
     */
    @JvmStatic
    fun blocked(w: Waiter, what: Any) {
        w.recordBlocked(what, coarseTicks)
        val listed = if (what is ChannelSource) {
            watch(what)
        } else {
            var any = false
            (what as Selection.SelectionRegistration).selection.forEachChannel { if (watch(it)) any = true }
            any
        }
        // An untimed wait on nil channels alone never ends but by an interrupt or a cancellation: asleep, as Go counts it.
        if (!listed && (w.timed || !onlyNil(what))) unlisted += w
    }

    /** Whether [what] waits on nil channels alone (a select with no other case counts). */
    private fun onlyNil(what: Any): Boolean {
        if (what is ChannelSource) return what === dev.conduit.chan.NilChan
        var other = false
        (what as Selection.SelectionRegistration).selection.forEachChannel { if (it !== dev.conduit.chan.NilChan) other = true }
        return !other
    }

    /** Waits on no channel that lists its queue, weakly: while one is undecided, nobody can tell what may wake it. */
    private val unlisted: MutableSet<Waiter> = Collections.synchronizedSet(Collections.newSetFromMap(WeakHashMap()))

    /** Whether a wait that [current] cannot see is undecided now: "all asleep" cannot be told. Never blocks. */
    fun unlistedWaiting(): Boolean = synchronized(unlisted) { unlisted.removeIf { it.state != null }; unlisted.isNotEmpty() }

    /**
     * Per channel class: whether its `forEachQueued` lists the queue its `enqueue` fills, that
     * is, the nearest class declaring `forEachQueued` is the one declaring `enqueue` or below it
     * (a subclass that queues elsewhere without listing does not count).
     */
    private val listsQueue = object : ClassValue<Boolean>() {
        override fun computeValue(kind: Class<*>): Boolean {
            val line = generateSequence(kind) { it.superclass }.takeWhile { it != ChannelSource::class.java }.toList()
            fun nearest(name: String) = line.indexOfFirst { k -> k.declaredMethods.any { it.name == name && it.parameterCount == 1 } }
            val lists = nearest("forEachQueued")
            return lists >= 0 && lists <= nearest("enqueue").let { if (it < 0) Int.MAX_VALUE else it }
        }
    }

    /**
     * Watches [c] from now on, if its kind lists its queue (says whether); a plain read of its
     * flag once it is (a race may add it twice, which [current] skips).
     */
    private fun watch(c: ChannelSource): Boolean {
        if (c.watched) return true
        if (!listsQueue.get(c.javaClass)) return false
        c.watched = true
        channels += Watched(c)
        return true
    }

    /**
     * Every wait current now that a party recorded, each once (a select's waiter is queued on
     * several channels): a walk of the watched channels' queues, each channel locked in turn
     * (never two at once). Collected channels are dropped on the way. Never blocks beyond a
     * channel's lock.
     */
    fun current(): List<BlockedWait> {
        while (true) channels.remove(collected.poll() ?: break)
        val out = ArrayList<BlockedWait>()
        val seen = Collections.newSetFromMap(IdentityHashMap<Waiter, Boolean>())
        val visit = Consumer<WaitEntry> { e ->
            val w = e.waiter()
            if (w.state == null && seen.add(w)) {
                val what = w.blockedOn()
                val key: Any? = when (w) {
                    is CoroutineWaiter -> w.cont?.context?.let(::waitOwner)
                    is ThreadWaiter -> w.thread()
                    else -> null
                }
                if (what != null && key != null) out += BlockedWait(w, what, w.timed, sinceMillis(w.blockedSinceTicks), key)
            }
        }
        for (ref in channels) {
            val c = ref.get() ?: continue
            c.lock()
            try {
                c.spiForEachQueued(visit)
            } finally {
                c.unlock()
            }
        }
        return out
    }

    /** Names what [source] stands for in reports (while on; the caller checks [ON]). */
    @JvmStatic
    fun <P : WaitPurpose> name(source: ChannelSource, purpose: P): P {
        purposes[source] = purpose
        return purpose
    }

    /** What [source] stands for, if a primitive named it. */
    fun purposeOf(source: ChannelSource): WaitPurpose? = purposes[source]

    /** Whether [waiter] (a [BlockedWait.waiter]) still waits. Never blocks. */
    fun isUndecided(waiter: Any): Boolean = (waiter as Waiter).state == null

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
 * [Thread] that locked it, `null` when free or locked by a caller that is neither (a future,
 * Kotlin's `tryLock`, a thread of kotlinx's shared pool). Written only while detection is on. Held weakly:
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
