package dev.conduit.supervisor

import java.time.Instant

/**
 * A leaked coroutine, Go 1.26's "goroutine leak" on the JVM: a coroutine that the watchdog saw
 * blocked in a Conduit operation, at its last check before, was then garbage collected before
 * it completed. Nothing
 * referred to it any more (not its channel, not a parent job), so nothing could ever resume it:
 * its code after the wait never runs, its `finally` blocks never run, and the JVM dropped it
 * silently. Reported once per coroutine, after the collection, by the watchdog (see
 * [Diagnostics.addLeakListener]). Immutable.
 *
 * Only a coroutine that nothing reachable refers to can be collected: one launched in a scope
 * that was then dropped (`CoroutineScope(…).launch`, `GlobalScope`), waiting on a channel that
 * only it still refers to. A goroutine of Conduit's runtime or of a manager stays reachable
 * through its parent however stuck it is; the dump, `GoLeaks` and the deadlock checks show it.
 */
public class LeakReport internal constructor(
    /**
     * The coroutine as the watchdog last saw it: its name (its `CoroutineName`, or
     * "coroutine"), what it was blocked on and since when, and where it was suspended
     * ([GoroutineInfo.suspendedAt]; its outermost frame is the coroutine's own block, which
     * tells where it was launched). Its owner is "coroutine" and its id 0, as in a dump.
     */
    public val goroutine: GoroutineInfo,
    /** When the watchdog found it collected. */
    public val detectedAt: Instant,
) {
    /** "conduit: leaked coroutine …", then the coroutine as a dump shows it. Never blocks. */
    override fun toString(): String =
        "conduit: leaked coroutine - collected before it completed, it can never resume (found at $detectedAt); last seen:\n" +
            goroutineText(goroutine, null)
}
