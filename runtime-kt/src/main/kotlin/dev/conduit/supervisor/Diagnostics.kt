package dev.conduit.supervisor

import dev.conduit.GoLeaks
import dev.conduit.chan.spi.BlockedWait
import dev.conduit.chan.spi.BlockedWaits
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.LockPurpose
import kotlinx.coroutines.CoroutineName
import java.time.Duration
import java.lang.ref.WeakReference
import java.time.Instant
import java.util.Collections
import java.util.IdentityHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.locks.LockSupport
import java.util.function.Consumer

/**
 * What Go's runtime tells its users for free, for Conduit programs in Kotlin and Java: a
 * goroutine dump ([dump]), and deadlock detection ([findDeadlocks], and a watchdog that reports
 * on its own): "all goroutines are asleep" and lock cycles among mutexes.
 *
 * ## Turning it on
 * Detection is on when the JVM starts with `-Dconduit.diagnostics=true` (read once, when
 * Conduit's channel core loads; [isEnabled] says). Then every coroutine and thread that blocks
 * in a Conduit operation (a channel send or receive, a select, a mutex, RWMutex, semaphore,
 * wait group, cond or barrier) records what it waits on, goroutines record where and when they
 * were started, and mutexes record who holds them. Off, none of this is recorded and nothing is
 * paid: the checks are constants the JIT removes. [dump] works either way; off, it can list the
 * goroutines but not what they wait on.
 *
 * ## What a report means
 * - [DeadlockKind.LOCK_CYCLE]: a cycle of goroutines each holding a mutex the next waits for,
 *   with no timer on any of those waits, seen twice with nothing decided in between. No lock
 *   operation of the cycle's members can end it; only something outside the cycle can: code
 *   that unlocks a mutex it did not lock (Go allows it), or that cancels or interrupts a member
 *   (a goroutine's own context deadline, a manager's shutdown). A lock taken by Kotlin's
 *   `tryLock` (which cannot tell a coroutine from the thread it runs on; a thread calls
 *   `tryLockOnThread`, as the Java facade's `tryLock` does), by `lockFuture` (no goroutine
 *   waits for it) or by a thread of kotlinx's shared pool (`Dispatchers.Default`/`IO`, where
 *   the coroutine that took it may suspend and another run on that thread) has no known
 *   holder, so a cycle through it is missed, never reported. `Cond.await`
 *   re-takes its mutex for the goroutine that waited: that wait and that lock are its own.
 * - [DeadlockKind.ALL_ASLEEP] is Go's rule on what Conduit can see: every goroutine, and every
 *   thread or coroutine blocked in a Conduit operation, is blocked with no timeout or context
 *   deadline, no Conduit timer is pending, and none of those waits ended during the check. Go
 *   sees every goroutine; a JVM runs code Conduit does not know of. So the check also requires
 *   that no live non-daemon thread (the program's `main`, say) other than the caller be
 *   runnable or in a timed wait outside Conduit. A daemon thread that is not a goroutine and
 *   never blocks in Conduit, or a coroutine that is not one, may still wake them: the report
 *   then says only that nothing Conduit knows of can. A wait on a channel kind that does not
 *   list its queue to diagnostics (a custom kind without `forEachQueued`) is not seen; while
 *   one is undecided, "all asleep" is not reported.
 * - A goroutine whose code blocks inside `withContext`, `coroutineScope` or `withTimeout` is
 *   blocked in that scope (a `withTimeout` counts as a timer). A wait in a scope the user's
 *   code detached from the goroutine's job (`withContext(NonCancellable)`, a nil channel's
 *   endless wait) is not seen: the goroutine counts as running, so such a program is missed,
 *   never reported. Conduit's own uncancellable steps (`Cond.await`'s re-lock, an `ErrGroup`
 *   waiting out a cancelled round, a managed goroutine's cleanups) count as their goroutine's.
 *
 * ## Leaked coroutines
 * Go 1.26 reports goroutines blocked on something no running code can reach. On the JVM such a
 * coroutine, if nothing else refers to it either (its scope was dropped: `CoroutineScope(…)
 * .launch`, `GlobalScope`), is garbage collected silently, its `finally` blocks never run.
 * With detection on, the watchdog follows each coroutine it sees blocked in Conduit (weakly:
 * detection keeps nothing reachable) and reports each one collected before it completed to
 * [addLeakListener]'s listeners, or to standard error: a [LeakReport] with its name, what it
 * was blocked on and where it was suspended. A goroutine is reachable through its parent
 * (Conduit's runtime, a manager), so it is never collected; [dump] shows it stuck.
 *
 * ## The watchdog
 * While detection is on, a daemon thread (`conduit-deadlock-watchdog`) keeps the coarse clock
 * that stamps each wait's start (to 10 ms), checks every [watchdogInterval] and reports each
 * deadlock that has lasted [reportAfter] (default 10 s, the system property
 * `conduit.diagnostics.reportAfterMillis`) once: to every listener added with
 * [addDeadlockListener], or to standard error if there is none. A lock cycle is timed on its
 * own waits, so one is reported while the rest of the program goes on.
 *
 * Thread-safe. [dump] blocks only for each channel's lock in turn, as it reads the channels'
 * wait queues; [findDeadlocks] blocks for its confirmation period.
 */
public object Diagnostics {
    private val listeners = CopyOnWriteArrayList<Consumer<DeadlockReport>>()

    private val leakListeners = CopyOnWriteArrayList<Consumer<LeakReport>>()

    @Volatile
    private var reportAfterNanos: Long = java.lang.Long.getLong("conduit.diagnostics.reportAfterMillis", 10_000L) * 1_000_000L

    /** Whether detection is on (`-Dconduit.diagnostics=true` when the JVM started). Never blocks. */
    @JvmStatic
    public val isEnabled: Boolean get() = BlockedWaits.ON

    /** How often the watchdog checks: a tenth of [reportAfter], between 10 ms and 1 s. */
    @JvmStatic
    public val watchdogInterval: Duration get() = Duration.ofNanos((reportAfterNanos / 10).coerceIn(10_000_000L, 1_000_000_000L))

    /** How long a deadlock must last before the watchdog reports it. Never blocks. */
    @JvmStatic
    public var reportAfter: Duration
        get() = Duration.ofNanos(reportAfterNanos)

        /** @throws IllegalArgumentException if not positive. */
        set(value) {
            require(!value.isNegative && !value.isZero) { "reportAfter must be > 0, but was $value" }
            reportAfterNanos = value.toNanos()
        }

    /**
     * Adds a listener for the watchdog's reports (each deadlock once, on the watchdog's thread;
     * an exception it throws is printed and does not stop the others); while there is one, the
     * watchdog no longer prints to standard error. Returns what removes it. Never blocks.
     *
     * @throws NullPointerException if [listener] is null.
     */
    @JvmStatic
    public fun addDeadlockListener(listener: Consumer<DeadlockReport>): AutoCloseable {
        listeners += listener
        return AutoCloseable { listeners.remove(listener) }
    }

    /**
     * Every live goroutine now (the runtime's goroutines, a manager's, the Java facade's) and
     * every thread or coroutine blocked in a Conduit operation, with name, labels, state, what
     * it waits on, since when, where it is suspended and where it was started (what detection
     * records; see the class doc). Blocks only for each channel's lock in turn.
     */
    @JvmStatic
    public fun dump(): GoroutineDump {
        val now = Instant.now()
        return GoroutineDump(now, snapshot(frames = true).map { it.info })
    }

    /**
     * Looks for deadlocks now: takes what every party waits on, waits [confirm], and reports
     * what held all along (see the class doc for what each kind means). Call it from a thread
     * that is not part of the program checked (a test's, a watchdog's): the caller counts as
     * an observer. Empty if detection is off. Blocks for [confirm].
     *
     * @throws IllegalArgumentException if [confirm] is negative.
     */
    @JvmStatic
    public fun findDeadlocks(confirm: Duration): List<DeadlockReport> {
        require(!confirm.isNegative) { "confirm must be >= 0, but was $confirm" }
        if (!isEnabled) return emptyList()
        val first = snapshot(frames = false)
        val deadline = System.nanoTime() + confirm.toNanos()
        while (true) {
            val left = deadline - System.nanoTime()
            if (left <= 0) break
            LockSupport.parkNanos(left)
        }
        return confirmed(first, snapshot(frames = true), confirm, Thread.currentThread())
    }

    /** Threads in [awaitDeadlock]: observers, left out of the foreign-thread rule. */
    private val observers = java.util.concurrent.CopyOnWriteArraySet<Thread>()

    /**
     * Blocks until the watchdog reports a deadlock (the next one, not an earlier one) or
     * [timeout] passes: the report, or `null`. The calling thread counts as an observer
     * meanwhile, as [findDeadlocks]'s does: its timed wait here does not stop the report. For
     * tests that deadlock a program on purpose. Returns `null` at once if detection is off.
     *
     * @throws InterruptedException if interrupted while it waits.
     * @throws IllegalArgumentException if [timeout] is negative.
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun awaitDeadlock(timeout: Duration): DeadlockReport? {
        val me = Thread.currentThread()
        observers += me
        try {
            return awaitNext(timeout, ::addDeadlockListener)
        } finally {
            observers -= me
        }
    }

    /**
     * Adds a listener for leaked coroutines ([LeakReport]: one the watchdog saw blocked in
     * Conduit and the JVM then collected before it completed), each reported once, on the
     * watchdog's thread, soon after the collection; an exception it throws is printed and does
     * not stop the others. While there is one, leaks are no longer printed to standard error.
     * Returns what removes it. Never blocks.
     *
     * @throws NullPointerException if [listener] is null.
     */
    @JvmStatic
    public fun addLeakListener(listener: Consumer<LeakReport>): AutoCloseable {
        leakListeners += listener
        return AutoCloseable { leakListeners.remove(listener) }
    }

    /**
     * Blocks until the watchdog reports a leaked coroutine (the next one) or [timeout] passes:
     * the report, or `null`. A leak is found only once the JVM has collected the coroutine, so
     * a test that leaks one on purpose asks for collections meanwhile ([System.gc]). Returns
     * `null` at once if detection is off.
     *
     * @throws InterruptedException if interrupted while it waits.
     * @throws IllegalArgumentException if [timeout] is negative.
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun awaitLeak(timeout: Duration): LeakReport? = awaitNext(timeout, ::addLeakListener)

    /** The next report given to a listener added with [listen], within [timeout]; `null` if none came, or detection is off. */
    private fun <R> awaitNext(timeout: Duration, listen: (Consumer<R>) -> AutoCloseable): R? {
        require(!timeout.isNegative) { "timeout must be >= 0, but was $timeout" }
        if (!isEnabled) return null
        val got = java.util.concurrent.ArrayBlockingQueue<R>(1)
        val listening = listen(Consumer { got.offer(it) })
        try {
            return got.poll(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
        } finally {
            listening.close()
        }
    }

    // ---- the snapshot ------------------------------------------------------------------

    /**
     * One party and its current wait (`null` if it is not blocked in Conduit); [keys] are what
     * its waits and locks are recorded under (its job and the scopes its code runs in, or its
     * thread); [timed] if a timer bounds the wait (its own, or a `withTimeout` it runs in).
     */
    internal class Party(val keys: List<Any>, val info: GoroutineInfo, val wait: BlockedWait?, val timed: Boolean, val goroutine: Boolean)

    /**
     * The current wait of the coroutine [job] or of a scope its code waits in (from [waits], by
     * party), with whether a timer bounds it; keys found go to [keys].
     */
    private fun waitOf(job: kotlinx.coroutines.Job, waits: Map<Any, BlockedWait>, keys: MutableList<Any>, timedScope: Boolean): Pair<BlockedWait, Boolean>? {
        keys += job
        waits[job]?.let { return it to (it.timed || timedScope) }
        for (c in job.children) {
            if (c.isCompleted || !GoLeaks.isScope(c)) continue
            waitOf(c, waits, keys, timedScope || GoLeaks.isTimeoutScope(c))?.let { return it }
        }
        return null
    }

    /** Every party and its wait now; with [frames], where each blocked coroutine is suspended (a walk of its frames' metadata). */
    private fun snapshot(frames: Boolean): List<Party> {
        val current = BlockedWaits.current()
        val waits = IdentityHashMap<Any, BlockedWait>()
        for (w in current) waits[w.key] = w
        val out = ArrayList<Party>()
        val seen = Collections.newSetFromMap(IdentityHashMap<Any, Boolean>())
        for (g in GoLeaks.running()) {
            val keys = ArrayList<Any>(2)
            val job = if (g.kind == "coroutine") g.waitKey as? kotlinx.coroutines.Job else null
            val found = if (job != null) {
                waitOf(job, waits, keys, false)
            } else {
                g.waitKey?.let { key -> keys += key; waits[key]?.let { it to it.timed } }
            }
            seen.addAll(keys)
            val wait = found?.first
            val d = g.details?.invoke()
            val info = GoroutineInfo(
                id = g.id,
                name = g.name,
                labels = d?.labels ?: emptyMap(),
                state = if (wait != null) GoroutineState.BLOCKED else d?.state ?: GoroutineState.RUNNING,
                blockedOn = if (wait != null) BlockedWaits.describe(wait) else d?.blockedOn,
                startedAt = d?.startedAt ?: g.startedAt,
                since = if (wait != null) Instant.ofEpochMilli(wait.sinceMillis) else d?.since,
                owner = d?.owner ?: if (g.kind == "thread") "java" else "go",
                failure = d?.failure,
                creationSite = g.creationSite,
                suspendedAt = if (frames && wait != null) wait.suspendedAt() else emptyList(),
            )
            out += Party(keys, info, wait, found?.second ?: false, goroutine = true)
        }
        for (wait in current) {
            if (wait.key in seen) continue
            val t = wait.key as? Thread
            // A coroutine that is not a goroutine may wait inside a `withTimeout` of its own: a timer.
            val inTimeout = (wait.key as? kotlinx.coroutines.Job)?.let { j -> generateSequence(j.parent) { it.parent }.any(GoLeaks::isTimeoutScope) } ?: false
            val info = GoroutineInfo(
                id = t?.id ?: 0L,
                name = t?.name ?: wait.context?.get(CoroutineName)?.name ?: "coroutine",
                labels = emptyMap(),
                state = GoroutineState.BLOCKED,
                blockedOn = BlockedWaits.describe(wait),
                startedAt = null,
                since = Instant.ofEpochMilli(wait.sinceMillis),
                owner = if (t != null) "thread" else "coroutine",
                failure = null,
                suspendedAt = if (frames) wait.suspendedAt() else emptyList(),
            )
            out += Party(listOf(wait.key), info, wait, wait.timed || inTimeout, goroutine = false)
        }
        out.sortBy { it.info.id }
        return out
    }

    // ---- the checks --------------------------------------------------------------------

    /** What held in both [first] and [second], taken [apart] apart, with [observer] left out. */
    private fun confirmed(first: List<Party>, second: List<Party>, apart: Duration, observer: Thread?): List<DeadlockReport> {
        val out = ArrayList<DeadlockReport>()
        allAsleep(KeptWaits(first).stillWaiting(), second, observer)?.let { out += DeadlockReport(DeadlockKind.ALL_ASLEEP, it.map { p -> p.info }, emptyList(), apart) }
        for (cycle in lockCycles(second)) {
            // The same waits, still undecided, in both: a goroutine blocked all along cannot have unlocked.
            if (cycle.all { p -> first.any { it.wait?.waiter === p.wait!!.waiter } && p.wait!!.isCurrent }) {
                out += DeadlockReport(DeadlockKind.LOCK_CYCLE, cycle.map { it.info }, describeCycle(cycle), apart)
            }
        }
        return out
    }

    /**
     * The parties of [second] if every one was asleep in both looks with the same wait, else
     * `null`; [before] is the first look's waiters, `null` if one of them has been decided since
     * (woken: a party that is not a goroutine then drops out of the second look).
     */
    private fun allAsleep(before: Set<Any>?, second: List<Party>, observer: Thread?): List<Party>? {
        val parties = second.filter { p -> p.keys.none { it === observer } }
        if (before == null || parties.isEmpty() || BlockedWaits.timersPending > 0 || BlockedWaits.unlistedWaiting()) return null
        for (p in parties) {
            val w = p.wait ?: return null
            if (p.timed || !w.isCurrent || w.waiter !in before) return null
            // An interrupt is on its way to this thread's wait: it will wake.
            if (p.keys.any { it is Thread && it.isInterrupted }) return null
        }
        if (foreignThreadMayWake(parties, observer)) return null
        return parties
    }

    /**
     * Whether a live non-daemon platform thread that is not blocked in Conduit (nor [observer],
     * nor one in [awaitDeadlock], nor the JVM's `DestroyJavaVM`) is runnable or in a timed
     * wait other than an idle pool worker's: it may wake them.
     */
    private fun foreignThreadMayWake(parties: List<Party>, observer: Thread?): Boolean {
        val inConduit = Collections.newSetFromMap(IdentityHashMap<Any, Boolean>())
        for (p in parties) inConduit.addAll(p.keys)
        for ((t, stack) in Thread.getAllStackTraces()) {
            if (t.isDaemon || t === observer || t in observers || t in inConduit || t.name == "DestroyJavaVM") continue
            when (t.state) {
                Thread.State.RUNNABLE -> return true
                Thread.State.TIMED_WAITING -> if (!isIdlePoolWorker(stack)) return true
                else -> {}
            }
        }
        return false
    }

    /**
     * Whether [stack] is an idle pool worker's, waiting (with its keep-alive timeout) for a task
     * someone else must submit: a `ThreadPoolExecutor`'s, a `ForkJoinPool`'s or kotlinx's
     * scheduler's. Its timeout only retires it.
     */
    private fun isIdlePoolWorker(stack: Array<StackTraceElement>): Boolean =
        stack.none { it.className == SCHEDULED_QUEUE } &&
            stack.any { f -> IDLE_WORKER_FRAMES.any { (cls, method) -> f.className == cls && f.methodName == method } }

    /** A `ScheduledThreadPoolExecutor`'s queue: its waiting worker waits for a delayed task, a timer. */
    private const val SCHEDULED_QUEUE = "java.util.concurrent.ScheduledThreadPoolExecutor\$DelayedWorkQueue"

    private val IDLE_WORKER_FRAMES = listOf(
        "java.util.concurrent.ThreadPoolExecutor" to "getTask",
        "java.util.concurrent.ForkJoinPool" to "awaitWork",
        "kotlinx.coroutines.scheduling.CoroutineScheduler\$Worker" to "tryPark",
    )

    /** Each cycle of mutex waits in [parties]: a goroutine waits for a mutex whose holder waits for the next. */
    private fun lockCycles(parties: List<Party>): List<List<Party>> {
        val byKey = IdentityHashMap<Any, Party>()
        for (p in parties) for (k in p.keys) byKey[k] = p
        /** The party holding the mutex [p] waits for, untimed; `null` if none. */
        fun next(p: Party): Party? {
            val w = p.wait ?: return null
            if (p.timed) return null
            val lock = (w.what as? ChannelSource)?.let { BlockedWaits.purposeOf(it) } as? LockPurpose ?: return null
            return lock.holder?.let { byKey[it] }
        }
        val cycles = ArrayList<List<Party>>()
        val done = Collections.newSetFromMap(IdentityHashMap<Party, Boolean>())
        for (start in parties) {
            if (start in done) continue
            val path = ArrayList<Party>()
            val onPath = IdentityHashMap<Party, Int>()
            var at: Party? = start
            while (at != null && at !in done && at !in onPath) {
                onPath[at] = path.size
                path += at
                at = next(at)
            }
            if (at != null && at in onPath) cycles += path.subList(onPath.getValue(at), path.size).toList()
            done += path
        }
        return cycles
    }

    private fun describeCycle(cycle: List<Party>): List<String> = cycle.indices.map { i ->
        val p = cycle[i]
        val holder = cycle[(i + 1) % cycle.size]
        val wants = (p.wait!!.what as ChannelSource).let { BlockedWaits.purposeOf(it) as LockPurpose }.lockName
        val holds = cycle[(i + cycle.size - 1) % cycle.size].wait!!.what.let { BlockedWaits.purposeOf(it as ChannelSource) as LockPurpose }.lockName
        "${label(p)} holds $holds and waits for $wants (held by ${label(holder)})"
    }

    private fun label(p: Party) = "goroutine ${p.info.id} \"${p.info.name}\""

    // ---- the watchdog ------------------------------------------------------------------

    /** How often the watchdog moves [BlockedWaits.coarseTicks] on: a tick of it. */
    private const val CLOCK_TICK_NANOS = 10_000_000L

    /** A lock cycle the watchdog follows: its waits, since when they are seen, whether reported. */
    private class TrackedCycle(val waits: KeptWaits, val since: Long, var reported: Boolean)

    /**
     * The waiters of some parties' current waits, held weakly: what the watchdog keeps from one
     * check to the next, so that a look it keeps never keeps a blocked coroutine reachable (a
     * leaked one must be collectable, for [LeakWatch] to see it go).
     */
    private class KeptWaits(parties: List<Party>) {
        private val refs = parties.mapNotNull { p -> p.wait?.let { WeakReference<Any>(it.waiter) } }

        /** The waiters, if every one still waits (none decided, none collected); else `null`. */
        fun stillWaiting(): Set<Any>? {
            val out = Collections.newSetFromMap(IdentityHashMap<Any, Boolean>())
            for (r in refs) {
                val w = r.get() ?: return null
                if (!BlockedWaits.isUndecided(w)) return null
                out += w
            }
            return out
        }

        /** Whether [parties] wait on exactly these waiters, each still waiting. */
        fun sameAs(parties: List<Party>): Boolean {
            val kept = stillWaiting() ?: return false
            val now = waitsOf(parties)
            return kept.size == now.size && now.containsAll(kept)
        }
    }

    /**
     * The watchdog's loop, on the thread `BlockedWaits` starts while detection is on: ticks the
     * coarse clock and hands on leaked coroutines; every [watchdogInterval], a [WatchdogCheck].
     */
    @JvmSynthetic
    internal fun runWatchdog() {
        val check = WatchdogCheck(Thread.currentThread())
        var nextCheck = System.nanoTime() + watchdogInterval.toNanos()
        while (true) {
            LockSupport.parkNanos(CLOCK_TICK_NANOS)
            BlockedWaits.tick()
            LeakWatch.handOnCollected(::deliverLeak)
            if (System.nanoTime() - nextCheck < 0) continue
            nextCheck = System.nanoTime() + watchdogInterval.toNanos()
            try {
                check.run()
            } catch (e: Throwable) {
                System.err.println("conduit: the deadlock watchdog failed a check")
                e.printStackTrace()
            }
            checksDone++
        }
    }

    /**
     * How many checks the watchdog has finished (its reports delivered): a test that expects
     * no report waits for checks to pass, not for time to. Written by the watchdog only.
     */
    @Volatile
    @JvmSynthetic
    internal var checksDone: Long = 0

    /**
     * What the watchdog keeps from one check to the next (weakly: [KeptWaits]), and one check:
     * reports "all asleep" once the same waits have lasted [reportAfter] everywhere, each lock
     * cycle once its own waits have, and follows the blocked coroutines that could leak. A check
     * runs in a method of its own, so that nothing of its look (a party, a waiter) stays in a
     * local of the watchdog's loop while it parks, keeping a leaked coroutine reachable.
     */
    private class WatchdogCheck(private val me: Thread) {
        private var first: KeptWaits? = null
        private var firstAt = 0L
        private var asleepReported = false
        private var cycles: List<TrackedCycle> = emptyList()

        fun run() {
            val now = System.nanoTime()
            val current = snapshot(frames = false)
            follow(current)
            val base = first
            if (base == null || !base.sameAs(current)) {
                first = KeptWaits(current)
                firstAt = now
                asleepReported = false
            } else if (!asleepReported && now - firstAt >= reportAfterNanos) {
                allAsleep(base.stillWaiting(), current, me)?.let {
                    deliver(DeadlockReport(DeadlockKind.ALL_ASLEEP, it.map { p -> p.info }, emptyList(), Duration.ofNanos(now - firstAt)))
                    asleepReported = true
                }
            }
            cycles = lockCycles(current).map { cycle ->
                val known = cycles.firstOrNull { it.waits.sameAs(cycle) } ?: TrackedCycle(KeptWaits(cycle), now, false)
                if (!known.reported && now - known.since >= reportAfterNanos && cycle.all { it.wait!!.isCurrent }) {
                    deliver(DeadlockReport(DeadlockKind.LOCK_CYCLE, cycle.map { it.info }, describeCycle(cycle), Duration.ofNanos(now - known.since)))
                    known.reported = true
                }
                known
            }
        }

        /**
         * Hands [LeakWatch] the coroutines blocked now that could leak: those that are not
         * goroutines (a goroutine is reachable through its parent), each by the coroutine
         * itself (the outermost job that is not a scope its code waits in).
         */
        private fun follow(current: List<Party>) {
            val blocked = IdentityHashMap<kotlinx.coroutines.Job, GoroutineInfo>()
            for (p in current) {
                if (p.goroutine || p.wait?.isCurrent != true) continue
                var job = p.keys.single() as? kotlinx.coroutines.Job ?: continue
                while (GoLeaks.isScope(job)) job = job.parent ?: break
                // A job that is not a coroutine (a `Job()` in a context) completes when someone completes it, not when code ends.
                if (job is kotlin.coroutines.Continuation<*>) blocked[job] = p.info.withSuspendedAt(p.wait!!.suspendedAt())
            }
            LeakWatch.sightAll(blocked)
        }
    }

    /** The waiters of [parties]' current waits, as an identity set. */
    private fun waitsOf(parties: List<Party>): MutableSet<Any> {
        val out = Collections.newSetFromMap(IdentityHashMap<Any, Boolean>())
        for (p in parties) p.wait?.let { out += it.waiter }
        return out
    }

    private fun deliver(r: DeadlockReport) = deliver(r, listeners, "deadlock")

    private fun deliverLeak(info: GoroutineInfo) = deliver(LeakReport(info, Instant.now()), leakListeners, "leak")

    /** Gives [r] to each of [ls], or prints it to standard error if there is none. */
    private fun <R> deliver(r: R, ls: List<Consumer<R>>, what: String) {
        val now = ls.toList()
        if (now.isEmpty()) {
            System.err.println(r)
            return
        }
        for (l in now) {
            try {
                l.accept(r)
            } catch (e: Throwable) {
                System.err.println("conduit: a $what listener failed")
                e.printStackTrace()
            }
        }
    }
}
