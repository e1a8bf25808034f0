package dev.conduit

import dev.conduit.chan.spi.BlockedWaits
import dev.conduit.supervisor.GoroutineInfo
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.job
import java.time.Duration
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.locks.LockSupport
import java.util.function.BooleanSupplier
import java.util.function.Supplier
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * A goroutine running now, as [GoLeaks.running] lists it: its [name], its [kind]
 * (`"coroutine"` for Kotlin's [go], `"thread"` for the Java facade's `Go.go`) and, if it was
 * started while [GoLeaks.recordCreationSites] (or detection, `-Dconduit.diagnostics=true`) was
 * on, where it was started.
 *
 * The Java facade makes one per goroutine it lists (see [GoLeaks.addSource]).
 */
public class LiveGoroutine @JvmOverloads constructor(
    /** Its name: the coroutine's `CoroutineName`, or the facade goroutine's name. */
    public val name: String,
    /** `"coroutine"` or `"thread"`. */
    public val kind: String,
    /** The stack of the call that started it; empty if creation sites were not being recorded. */
    public val creationSite: List<StackTraceElement>,
    /** What identifies it across two listings (its job or handle), compared by identity. */
    private val identity: Any,
    private val ended: BooleanSupplier,
    /** Its number ([GoLeaks.nextId]); 0 if it has none. */
    public val id: Long = 0,
    /** The thread that runs a `"thread"` goroutine now (`null` before it starts); `null` for a coroutine. */
    private val thread: Supplier<Thread?>? = null,
) {
    /** What its Conduit waits are recorded under: its coroutine's job, or its thread (`null` if not started). */
    @get:JvmSynthetic
    internal val waitKey: Any? get() = if (thread != null) thread.get() else identity

    /** When it was started, if known (a goroutine started while detection was on). */
    @get:JvmSynthetic @set:JvmSynthetic
    internal var startedAt: Instant? = null

    /** What its manager knows of it (labels, its manager's name), for a managed goroutine. */
    @get:JvmSynthetic @set:JvmSynthetic
    internal var details: (() -> GoroutineInfo)? = null

    /** Whether it has ended by now. Never blocks. */
    public fun hasEnded(): Boolean = ended.asBoolean

    /** Whether [other] is the same goroutine, listed at another time. Never blocks. */
    public fun isSameAs(other: LiveGoroutine): Boolean = identity === other.identity

    /** "kind 'name'", then where it was started if known. */
    override fun toString(): String {
        val site = creationSite.firstOrNull { f ->
            STARTING_CLASSES.none { f.className == it || f.className.startsWith("$it$") } && PLATFORM.none { f.className.startsWith(it) }
        }
        return "$kind '$name'" + (site?.let { ", started at $it" } ?: "")
    }

    private companion object {
        /** The frames of the starting calls themselves, and of the platform, which the site skips. */
        private val STARTING_CLASSES = listOf(
            "dev.conduit.GoKt", "dev.conduit.GoLeaks", "dev.conduit.sync.ErrGroup", "dev.conduit.java.Go", "dev.conduit.java.Goroutine",
            "dev.conduit.java.Goroutines",
        )
        private val PLATFORM = listOf("java.", "jdk.", "kotlin.", "kotlinx.")
    }
}

/** Thrown by [GoLeaks.verifyNone]: goroutines started during a test were still running after it. */
public class GoroutineLeakError(
    /** The goroutines still running. */
    public val leaked: List<LiveGoroutine>,
    grace: Duration,
) : AssertionError("${leaked.size} goroutine(s) still running ${grace.toMillis()} ms after the test:\n  " + leaked.joinToString("\n  "))

/**
 * Go's `goleak` for the JVM: which Conduit goroutines run now ([running]), and a check that
 * none started since a snapshot is still running ([verifyNone]) — what the JUnit 5
 * `dev.conduit.testing.GoLeakExtension` runs after each test. Goroutines are the coroutines
 * under [GoRuntime.scope] started as goroutines (Kotlin's [go], `ErrGroup` tasks, `afterFunc`
 * actions, a `GoroutineManager`'s goroutines) and every source added with [addSource] (the
 * Java facade adds its `Go.go` goroutines). Thread-safe.
 */
public object GoLeaks {
    @Volatile
    private var recordSites = false

    private val sources = CopyOnWriteArrayList<Supplier<List<LiveGoroutine>>>()

    /**
     * Records, from now on, where each goroutine is started (a stack trace per start, so for
     * tests and debugging), for the reports of [verifyNone]; `false` stops. Never blocks.
     */
    @JvmStatic
    public fun recordCreationSites(on: Boolean) {
        recordSites = on
    }

    /** The stack of a start now, or an empty list if sites are not being recorded (nor detection on). Never blocks. */
    @JvmStatic
    public fun creationSiteNow(): List<StackTraceElement> = if (recordSites || BlockedWaits.ON) Throwable().stackTrace.asList() else emptyList()

    /** Adds a source of goroutines to [running] (the Java facade adds its own). Never blocks. */
    @JvmStatic
    public fun addSource(source: Supplier<List<LiveGoroutine>>) {
        sources.addIfAbsent(source)
    }

    /** The Conduit goroutines running now, of every source. Never blocks. */
    @JvmStatic
    public fun running(): List<LiveGoroutine> {
        val out = ArrayList<LiveGoroutine>()
        collect(GoRuntime.scope.coroutineContext.job, null, out)
        for (s in sources) out += s.get().filter { !it.hasEnded() }
        return out
    }

    /** The goroutines among [job]'s descendants (a goroutine manager's run a level or more down). */
    private fun collect(job: kotlinx.coroutines.Job, inherited: GoroutineMark?, out: MutableList<LiveGoroutine>) {
        for (child in job.children) {
            // Not isActive: a cancelled goroutine that goes on running (ignoring it) is still running.
            if (child.isCompleted) continue
            val context = (child as? CoroutineScope)?.coroutineContext
            // Only marked coroutines are goroutines: the runtime's own (timers, watchers, pool workers) are not;
            // nor is a scope (`withContext`, `coroutineScope`) a goroutine runs its own code in.
            val mark = context?.get(GoroutineMark)
            if (mark != null && !isScope(child)) {
                // A coroutine launched inside a goroutine inherits its mark: a goroutine of its own, without the parent's number.
                val own = mark !== inherited
                out += LiveGoroutine(context[CoroutineName]?.name ?: "go", "coroutine", mark.site, child, { child.isCompleted }, if (own) mark.id else 0).also {
                    if (own) {
                        it.startedAt = mark.startedAt
                        it.details = mark.details
                    }
                }
            }
            collect(child, mark ?: inherited, out)
        }
    }

    /**
     * The goroutines running now that were not in [before] (a [running] snapshot), after
     * giving them up to [grace] to end: polls, with a growing pause, until none is left or
     * [grace] has passed, as `goleak` does. Blocks up to [grace].
     */
    @JvmStatic
    public fun startedSince(before: List<LiveGoroutine>, grace: Duration): List<LiveGoroutine> {
        val deadline = System.nanoTime() + grace.toNanos()
        var pause = 1_000_000L
        while (true) {
            val fresh = running().filter { g -> before.none { it.isSameAs(g) } }
            if (fresh.isEmpty() || System.nanoTime() - deadline >= 0) return fresh
            LockSupport.parkNanos(minOf(pause, deadline - System.nanoTime()))
            pause = minOf(pause * 2, 100_000_000L)
        }
    }

    /**
     * Fails if a goroutine not in [before] is still running after [grace] ([startedSince]).
     * Blocks up to [grace].
     *
     * @throws GoroutineLeakError listing them, with their creation sites if recorded.
     */
    @JvmStatic
    public fun verifyNone(before: List<LiveGoroutine>, grace: Duration) {
        val leaked = startedSince(before, grace)
        if (leaked.isNotEmpty()) throw GoroutineLeakError(leaked, grace)
    }

    /**
     * Whether [job] is a scope its parent's code waits in (`coroutineScope`, `withContext`,
     * `withTimeout`, `supervisorScope`: kotlinx's `ScopeCoroutine`s) rather than a coroutine of
     * its own. kotlinx does not name that class in its API, so it is found by name.
     */
    @JvmSynthetic
    internal fun isScope(job: kotlinx.coroutines.Job): Boolean = extends(job.javaClass, "kotlinx.coroutines.internal.ScopeCoroutine")

    /** Whether [job] is `withTimeout`'s scope: a timer ends what waits in it. */
    @JvmSynthetic
    internal fun isTimeoutScope(job: kotlinx.coroutines.Job): Boolean = extends(job.javaClass, "kotlinx.coroutines.TimeoutCoroutine")

    private fun extends(c: Class<*>, name: String): Boolean {
        var k: Class<*>? = c
        while (k != null) {
            if (k.name == name) return true
            k = k.superclass
        }
        return false
    }

    private val ids = AtomicLong()

    /**
     * A new goroutine number, unique in the process and never reused: what a goroutine manager
     * and the Java facade number their goroutines with, so a dump's numbers never clash.
     * Never blocks.
     */
    @JvmStatic
    public fun nextId(): Long = ids.incrementAndGet()

    /**
     * The element every goroutine start ([go], an `ErrGroup` task, a context's `afterFunc`, a
     * manager's goroutine) adds to its coroutine: what tells a goroutine from the runtime's
     * other coroutines in [GoRuntime.scope]. While sites are recorded or detection is on, it
     * also holds the goroutine's number, where and when it was started; a managed goroutine
     * passes its own [id] and [details].
     */
    @JvmSynthetic
    internal fun goroutineElement(id: Long = 0, details: (() -> GoroutineInfo)? = null): CoroutineContext =
        if (recordSites || BlockedWaits.ON || details != null) {
            GoroutineMark(creationSiteNow(), if (id != 0L) id else nextId(), if (BlockedWaits.ON) Instant.now() else null, details)
        } else {
            GoroutineMark.PLAIN
        }


    private class GoroutineMark(
        val site: List<StackTraceElement>,
        val id: Long,
        val startedAt: Instant?,
        val details: (() -> GoroutineInfo)?,
    ) : AbstractCoroutineContextElement(GoroutineMark) {
        companion object Key : CoroutineContext.Key<GoroutineMark> {
            val PLAIN = GoroutineMark(emptyList(), 0, null, null)
        }
    }
}
