package dev.conduit.sync

import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.Job
import java.util.function.Consumer
import kotlin.coroutines.CoroutineContext

/**
 * A lock-order checker for [Mutex], as Linux's lockdep and Abseil's mutex deadlock detection
 * are for theirs: while it is on, every [Mutex.lock] and unbounded [Mutex.lockBlocking] records
 * the edge "held before this one" from the mutex its caller took last (the ones before reach it
 * through that one), with who took that order and where. When an edge would close a cycle (some caller took these mutexes in the other order
 * before), the program *can* deadlock, whether or not this run does: the checker hands a
 * [LockOrderViolation] naming the cycle and a witness for each of its edges to the handler
 * given to [enable], before the caller waits. Locking a mutex the caller already holds is
 * reported the same way, as a possible self-deadlock: it waits forever unless another caller
 * unlocks it (Go allows that; a program that does it on purpose should not run with `THROW`).
 *
 * The caller is the coroutine (its `Job`) for [Mutex.lock], the thread for [Mutex.lockBlocking]
 * and [Mutex.tryLockOnThread] (and so for the Java facade's `lock` and `tryLock`), unless that
 * thread is one of kotlinx's shared pool, where a coroutine may have made the call: then
 * nothing is recorded (missed, never falsely reported). A scoping function (`withContext`, `coroutineScope`,
 * `withTimeout`) runs its block under a job of its own, so a lock taken inside one is not
 * ordered after the locks held outside it: such an inversion is missed (never falsely
 * reported). [Mutex.tryLock], [Mutex.tryLockOnThread], [Mutex.lockFuture] and a lock with a
 * timeout are not checked: a try or a bounded wait cannot deadlock, and a future has no caller
 * to hold it (a timed lock and [Mutex.tryLockOnThread] still count as held once taken; Kotlin's
 * [Mutex.tryLock] does not, as it cannot tell a coroutine from its thread). [Cond]'s re-lock after a wait keeps the caller and is not
 * checked again. A mutex unlocked by another caller than its locker (Go allows it) leaves its
 * locker's held set all the same.
 *
 * Each inversion is reported once. The edge that would close a cycle is not kept, so that the
 * recorded order stays acyclic; [disable] forgets every edge. It is off by default, and off it
 * costs a lock one volatile read. On, it takes one global lock per acquisition and keeps an edge
 * (with the stack trace of its first witness, taken under that lock) per pair of mutexes ever
 * nested directly, for as long as it stays on: a tool for tests and debugging runs, not for
 * production.
 *
 * ```
 * LockOrder.enable(LockOrder.THROW) // a test: an inversion fails the lock call
 * ```
 *
 * Thread-safe; no function here blocks, except that a handler runs on the locking caller.
 */
public object LockOrder {
    /** The handler that throws a [LockOrderException] for every violation, failing the lock call. */
    @JvmField
    public val THROW: Consumer<LockOrderViolation> = Consumer { throw LockOrderException(it) }

    /** The checker while on: its handler and its records, read once per call. */
    private class On(val handler: Consumer<LockOrderViolation>, val graph: LockOrderGraph)

    /**
     * `null` while off. [disable] drops the records with it, and a graph once dropped is never
     * installed again: a call that read the old state records into the dropped graph, never into
     * a later one (where a holding it recorded would never be undone).
     */
    @Volatile
    private var on: On? = null

    /** Whether the checker is on. Never blocks. */
    @JvmStatic
    public val isEnabled: Boolean get() = on != null

    /**
     * Turns the checker on, with [onViolation] receiving each violation on the locking caller's
     * thread before it waits; what the handler throws is thrown by the lock call, which then
     * does not lock ([THROW] does that). Calling it again replaces the handler and keeps the
     * edges recorded so far. Never blocks.
     */
    @JvmStatic
    public fun enable(onViolation: Consumer<LockOrderViolation>) {
        synchronized(this) { on = On(onViolation, on?.graph ?: LockOrderGraph()) }
    }

    /** Turns the checker off and forgets every edge and holder it recorded. Never blocks. */
    @JvmStatic
    public fun disable() {
        synchronized(this) { on = null }
    }

    /** The caller [Mutex.lock] runs for: the coroutine's job, or the thread without one. */
    internal fun coroutineCaller(context: CoroutineContext): Any = context[Job] ?: Thread.currentThread()

    /** [coroutineCaller] while the checker is on, else `null`. */
    internal fun caller(context: CoroutineContext): Any? = if (isEnabled) coroutineCaller(context) else null

    /**
     * Records that [caller] is about to wait for [m] ([LockOrderGraph.beforeLock]). Runs the
     * handler for a violation; a throwing handler fails the lock. [callerName] is asked only
     * for a new edge's witness.
     */
    internal fun beforeLock(m: Mutex, caller: Any, callerName: () -> String) {
        val state = on ?: return
        val violation = state.graph.beforeLock(m, caller, callerName) ?: return
        state.handler.accept(violation)
    }

    /** [caller] now holds [m]. */
    internal fun locked(m: Mutex, caller: Any) {
        on?.graph?.locked(m, caller)
    }

    /** [m] was unlocked, by whoever: it leaves its locker's held set. */
    internal fun unlocked(m: Mutex) {
        on?.graph?.unlocked(m)
    }

    /** A caller's name for reports: the coroutine's name, or the thread's. */
    internal fun describeCoroutine(context: CoroutineContext): String =
        context[CoroutineName]?.let { "coroutine '${it.name}'" } ?: context[Job]?.let { "coroutine $it" } ?: describeThread()

    internal fun describeThread(): String = "thread '${Thread.currentThread().name}'"
}

/**
 * A lock-order inversion [LockOrder] found: [cycle] lists the mutexes of the cycle (a mutex's
 * description: its name, or `Mutex#id`), and [witnesses] one edge of it each, in order: the
 * first is the lock call that found it (which holds `cycle[0]` and is locking `cycle[1]`), the
 * others the earlier calls that took the rest of the cycle in the order that closes it. For a
 * [selfDeadlock] (a caller locking a mutex it holds), the cycle is that one mutex. Immutable.
 */
public class LockOrderViolation internal constructor(
    /** The mutexes of the cycle, in order; the last one is held before the first. */
    public val cycle: List<String>,
    /** One witness per edge of [cycle]: who locked [Witness.to] while holding [Witness.from], and where. */
    public val witnesses: List<Witness>,
    /** Whether this is a caller locking a mutex it already holds. */
    @get:JvmName("isSelfDeadlock") public val selfDeadlock: Boolean,
) {
    /** An edge of the lock order: [by] locked [to] while it held [from], at [stack]. */
    public class Witness internal constructor(
        /** The mutex held. */
        public val from: String,
        /** The mutex being locked. */
        public val to: String,
        /** Who did it: a coroutine or a thread, by name. */
        public val by: String,
        /** Where: the stack of the lock call. */
        public val stack: List<StackTraceElement>,
    ) {
        /** "by locked to while holding from, at" the first frame outside the locking code. */
        override fun toString(): String {
            val site = stack.firstOrNull { f -> LOCKING_CODE.none { f.className == it || f.className.startsWith("$it$") } } ?: stack.firstOrNull()
            return "$by locked $to while holding $from, at $site"
        }

        private companion object {
            /** The lock calls' own frames, the Java facade's included, which a report skips. */
            private val LOCKING_CODE = listOf(
                LockOrder::class.java.name, LockOrderGraph::class.java.name, Mutex::class.java.name, "dev.conduit.sync.LockAllKt",
                "dev.conduit.java.sync.Mutex", "dev.conduit.java.sync.Locker",
            )
        }
    }

    /** The report: the cycle, then each witness on a line of its own. */
    override fun toString(): String = buildString {
        if (selfDeadlock) append("self-deadlock: ${cycle[0]} locked by a caller that already holds it (it is not reentrant)")
        else append("lock order inversion, a possible deadlock: ${(cycle + cycle[0]).joinToString(" -> ")}")
        for (w in witnesses) append("\n  ").append(w)
    }
}

/** Thrown by a lock call when [LockOrder.THROW] is the handler: the call found [violation] and did not lock. */
public class LockOrderException(
    /** What was found. */
    public val violation: LockOrderViolation,
) : IllegalStateException(violation.toString())
