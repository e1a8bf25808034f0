package dev.conduit.supervisor

import java.time.Duration
import java.util.Collections

/** What a [DeadlockReport] found. */
public enum class DeadlockKind {
    /**
     * Go's "all goroutines are asleep - deadlock!": every party Conduit knows of (its
     * goroutines, and every thread or coroutine blocked in a Conduit operation) is blocked in a
     * Conduit operation that no timer bounds, no Conduit timer is pending, and none of them has
     * moved for the whole check.
     */
    ALL_ASLEEP,

    /**
     * A cycle of mutexes: each goroutine in it holds a mutex the next one waits for, and none
     * of those waits is bounded by a timer. Only an unlock by a goroutine that does not hold
     * the mutex (Go allows it) could end it.
     */
    LOCK_CYCLE,
}

/**
 * A deadlock [Diagnostics] found: what kind, the goroutines in it (each with what it waits on,
 * since when, and where it was started if recorded), and for a [DeadlockKind.LOCK_CYCLE] who
 * holds what. Immutable.
 */
public class DeadlockReport internal constructor(
    /** What was found. */
    public val kind: DeadlockKind,
    goroutines: List<GoroutineInfo>,
    cycle: List<String>,
    /** How long they were seen asleep, at least: the check's confirmation period or the watchdog's. */
    public val asleepFor: Duration,
) {
    /** The goroutines in it: for [DeadlockKind.ALL_ASLEEP] every party, for a lock cycle its members, in cycle order. */
    public val goroutines: List<GoroutineInfo> = Collections.unmodifiableList(ArrayList(goroutines))

    /**
     * For a [DeadlockKind.LOCK_CYCLE], one line per member: "goroutine 7 "a" holds Mutex 'x'
     * and waits for Mutex 'y' (held by goroutine 8 "b")"; empty otherwise.
     */
    public val cycle: List<String> = Collections.unmodifiableList(ArrayList(cycle))

    /** Go's wording first ("all goroutines are asleep - deadlock!" or the lock cycle), then each goroutine as a dump shows it. Never blocks. */
    override fun toString(): String = buildString {
        when (kind) {
            DeadlockKind.ALL_ASLEEP -> append("conduit: all goroutines are asleep - deadlock! (")
                .append(goroutines.size).append(" asleep for at least ").append(asleepFor.toMillis()).append(" ms)\n")
            DeadlockKind.LOCK_CYCLE -> {
                append("conduit: lock cycle - deadlock! (").append(goroutines.size).append(" goroutines, for at least ")
                    .append(asleepFor.toMillis()).append(" ms)\n")
                for (line in cycle) append("  ").append(line).append('\n')
            }
        }
        for (g in goroutines) append('\n').append(goroutineText(g, null))
    }
}
