package dev.conduit.supervisor

import java.time.Instant
import java.util.Collections

/**
 * Where a goroutine is in its life, as [GoroutineInfo.state] shows it.
 *
 * A goroutine is [RUNNING] or [BLOCKED] until it ends, then [FINISHED], [FAILED] or
 * [CANCELLED] for good.
 */
public enum class GoroutineState {
    /** Running its code (or ready to: the JVM does not say whether it holds a thread right now). */
    RUNNING,

    /** Waiting for something that [GoroutineInfo.blockedOn] names: a slot, its cleanups, or what its code declared. */
    BLOCKED,

    /** Its code returned and its cleanups ran without an error. */
    FINISHED,

    /** Its code, or one of its cleanups, threw: [GoroutineInfo.failure] has the first such error. */
    FAILED,

    /** It stopped because it was asked to: its context was cancelled or its coroutine (its thread, in Java) was cancelled. */
    CANCELLED,
    ;

    /** Whether this is a final state ([FINISHED], [FAILED] or [CANCELLED]). Never blocks. */
    public val isEnded: Boolean get() = this == FINISHED || this == FAILED || this == CANCELLED
}

/**
 * One goroutine as seen at one moment: an immutable snapshot, safe to keep and to pass between
 * threads. [GoroutineManager.goroutines] lists them; [ManagedGoroutine.info] gives one;
 * [Diagnostics.dump] and [DeadlockReport] list every one of the runtime (and the threads and
 * coroutines blocked in Conduit operations that are not goroutines).
 *
 * The fields are those any goroutine listing needs (a manager's, a supervisor's, or a dump of
 * the whole runtime), so the same type describes a goroutine wherever Conduit reports one.
 */
public class GoroutineInfo @JvmOverloads constructor(
    /**
     * Its number, unique in the process (never reused), in start order; in a dump, a thread
     * that is not a goroutine shows its thread id and a coroutine that is not one shows 0.
     */
    public val id: Long,
    /** The name it was started with. */
    public val name: String,
    labels: Map<String, String>,
    /** Its state at the moment of the snapshot. */
    public val state: GoroutineState,
    /**
     * What it waits on while [GoroutineState.BLOCKED] ("a slot of manager 'crawler'",
     * "cleanups", what its code declared with [ManagedGoroutineScope.blockedOn], or, with
     * detection on, the Conduit operation it is blocked in: "receive from Chan@1b6d3586(cap 0)",
     * "lock of Mutex 'accounts'"); `null` in any other state.
     */
    public val blockedOn: String?,
    /**
     * When it was started (for a goroutine that had to wait for a slot: when it began to wait),
     * on its owner's clock; `null` in a dump where that is not known (a goroutine started while
     * detection was off, a thread or coroutine that is not a goroutine).
     */
    public val startedAt: Instant?,
    /** When it entered [state] (and [blockedOn]), on its owner's clock; `null` in a dump where that is not known. */
    public val since: Instant?,
    /**
     * Who runs it: the name of its [GoroutineManager] (a child manager's is `parent/child`); in
     * a dump, `go` for a plain goroutine, `java` for one the Java facade started, `thread` or
     * `coroutine` for a party that is not a goroutine.
     */
    public val owner: String,
    /** The first error of a [GoroutineState.FAILED] goroutine (its code's, else a cleanup's); `null` otherwise. */
    public val failure: Throwable?,
    creationSite: List<StackTraceElement> = emptyList(),
    suspendedAt: List<StackTraceElement> = emptyList(),
) {
    /** The stack of the call that started it, outermost frame last; empty if not recorded ([dev.conduit.GoLeaks.recordCreationSites], or detection on). An unmodifiable copy. */
    public val creationSite: List<StackTraceElement> = Collections.unmodifiableList(ArrayList(creationSite))

    /**
     * Where a coroutine blocked in a Conduit operation is suspended, innermost frame first (its
     * suspend functions' frames, from Kotlin's debug metadata, as kotlinx's `DebugProbes` shows
     * them); empty for a thread, for a goroutine that is not blocked in Conduit, and with
     * detection off. An unmodifiable copy.
     */
    public val suspendedAt: List<StackTraceElement> = Collections.unmodifiableList(ArrayList(suspendedAt))

    /** This snapshot with [frames] as where it is suspended. */
    @JvmSynthetic
    internal fun withSuspendedAt(frames: List<StackTraceElement>): GoroutineInfo =
        GoroutineInfo(id, name, labels, state, blockedOn, startedAt, since, owner, failure, creationSite, frames)

    /** Its labels (what it works on, for whom), as given when it was started; an unmodifiable copy. */
    public val labels: Map<String, String> = Collections.unmodifiableMap(LinkedHashMap(labels))

    /** One line: `goroutine 7 "fetch" [BLOCKED on a slot of manager 'crawler'] owner=crawler labels={url=…}`. Never blocks. */
    override fun toString(): String = buildString {
        append("goroutine ").append(id).append(" \"").append(name).append("\" [").append(state)
        if (blockedOn != null) append(" on ").append(blockedOn)
        append("] owner=").append(owner)
        if (labels.isNotEmpty()) append(" labels=").append(labels)
        if (failure != null) append(" failure=").append(failure)
    }
}
