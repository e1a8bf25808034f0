package dev.conduit.supervisor

import java.time.Instant
import java.util.Collections

/** A [GoroutineManager]'s state, as [GoroutineManager.state] shows it; it only moves forward. */
public enum class GoroutineManagerState {
    /** Starts goroutines ([GoroutineManager.go], [GoroutineManager.tryGo], [GoroutineManager.child]). */
    ACCEPTING,

    /** [GoroutineManager.shutdown] was called: it starts nothing, and its goroutines are being stopped. */
    SHUTTING_DOWN,

    /** [GoroutineManager.cancel] was called: it starts nothing, and its goroutines are cancelled. */
    CANCELLED,

    /** Its goroutines and child managers have ended (or were given up on); its own cleanups are running. */
    CLEANING_UP,

    /** Everything has ended and its cleanups have run: [GoroutineManager.wait] returns, [GoroutineManager.errors] is closed. */
    TERMINATED,
}

/** A step in a [GoroutineManager]'s ending, as a [GoroutineManagerEvent] reports it, in this order. */
public enum class GoroutineManagerPhase {
    /** It stopped starting goroutines; the `go` calls waiting for a slot were refused. */
    STOP_ACCEPTING,

    /** Its context was cancelled: goroutines that watch it stop by themselves. */
    SIGNAL,

    /** The grace period is over (or it was cancelled): goroutines still running have their coroutines cancelled (Java: threads interrupted). */
    FORCE_CANCEL,

    /** The shutdown deadline passed with goroutines still running: they are given up on and reported as never ended. */
    DEADLINE,

    /** Its goroutines and children have ended (or were given up on): its own cleanups run. */
    CLEANUP,

    /** Its cleanups have run; it has ended. */
    TERMINATED,
}

/**
 * A phase of a [GoroutineManager]'s ending: which manager, which [phase], when (on the
 * manager's clock) and how many goroutines were still running then (its children's included).
 */
public class GoroutineManagerEvent(
    /** The name of the manager. */
    public val manager: String,
    /** The phase it entered. */
    public val phase: GoroutineManagerPhase,
    /** When, on the manager's clock. */
    public val at: Instant,
    /** Goroutines of the manager and its children that had not ended at that moment. */
    public val running: Int,
) {
    /** `crawler SIGNAL at 2026-…Z (3 running)`. Never blocks. */
    override fun toString(): String = "$manager $phase at $at ($running running)"
}

/**
 * Receives a [GoroutineManager]'s [GoroutineManagerEvent]s, on the thread that made the phase
 * change (the caller of [GoroutineManager.shutdown] or [GoroutineManager.cancel], or the
 * coroutine that ran its cleanups). It must not block; an exception it throws goes to
 * [dev.conduit.GoRuntime.report] and stops nothing. The manager makes no event object while no
 * listener is registered.
 */
public fun interface GoroutineManagerListener {
    /**
     * Called once per phase the manager goes through, in the order of [GoroutineManagerPhase]
     * (phases it skips, such as [GoroutineManagerPhase.DEADLINE] when everything ended in time,
     * are not reported). Must not block.
     */
    public fun onEvent(event: GoroutineManagerEvent)
}

/**
 * What a [GoroutineManager.shutdown] saw happen to the goroutines of the manager and its
 * children: [ended] lists those running when it began that ended within the grace period,
 * [forceCancelled] and [neverEnded] every one still running after it (so also one started at the
 * very moment it began); each goroutine is in one list at most, as a snapshot taken when the
 * shutdown ended. A `go` that was waiting for a slot is refused, never started, and not listed.
 */
public class GoroutineManagerReport(
    /** When the shutdown began, on the manager's clock. */
    public val startedAt: Instant,
    /** When it ended (after the cleanups), on the manager's clock. */
    public val endedAt: Instant,
    ended: List<GoroutineInfo>,
    forceCancelled: List<GoroutineInfo>,
    neverEnded: List<GoroutineInfo>,
    failures: List<ManagedGoroutineFailure>,
) {
    /** Those that ended by themselves before the grace period was over (once signalled, or on their own). */
    public val ended: List<GoroutineInfo> = Collections.unmodifiableList(ArrayList(ended))

    /** Those still running when the grace period was over, that ended once force-cancelled, before the deadline. */
    public val forceCancelled: List<GoroutineInfo> = Collections.unmodifiableList(ArrayList(forceCancelled))

    /** Those still running at the deadline: given up on (they may still be running), shown in the state they were in. */
    public val neverEnded: List<GoroutineInfo> = Collections.unmodifiableList(ArrayList(neverEnded))

    /** Every error the manager recorded (before and during the shutdown), as [GoroutineManager.wait] would throw them. */
    public val failures: List<ManagedGoroutineFailure> = Collections.unmodifiableList(ArrayList(failures))

    /** Whether every goroutine ended by the deadline (nothing in [neverEnded]). Never blocks. */
    public val isClean: Boolean get() = neverEnded.isEmpty()

    /** A few lines: the counts, then each goroutine not ended by itself. Never blocks. */
    override fun toString(): String = buildString {
        append("ended by themselves: ").append(ended.size)
        append(", force-cancelled: ").append(forceCancelled.size)
        append(", never ended: ").append(neverEnded.size)
        append(", errors: ").append(failures.size)
        for (g in forceCancelled) append("\n  force-cancelled ").append(g)
        for (g in neverEnded) append("\n  never ended ").append(g)
    }
}
