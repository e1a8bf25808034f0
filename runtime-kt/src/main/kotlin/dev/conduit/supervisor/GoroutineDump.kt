package dev.conduit.supervisor

import java.time.Duration
import java.time.Instant
import java.util.Collections

/**
 * Every live goroutine at one moment, as [Diagnostics.dump] took it (Go's SIGQUIT dump,
 * kotlinx's `DebugProbes.dumpCoroutines`): its [goroutines], in text ([toString]) or JSON
 * ([toJson]). Immutable.
 */
public class GoroutineDump internal constructor(
    /** When it was taken. */
    public val takenAt: Instant,
    goroutines: List<GoroutineInfo>,
) {
    /** The goroutines, and the threads and coroutines blocked in Conduit operations that are not goroutines, by id. */
    public val goroutines: List<GoroutineInfo> = Collections.unmodifiableList(ArrayList(goroutines))

    /**
     * One block per goroutine, as Go prints them: `goroutine 7 "fetch" [BLOCKED on receive from
     * Chan@1b6d3586(cap 0), 2104 ms] owner=crawler labels={url=…}`, then where it was started
     * (the starting call and up to five callers; [toJson] has the whole stack). Never blocks.
     */
    override fun toString(): String = buildString {
        append("conduit goroutine dump at ").append(takenAt).append(": ").append(goroutines.size).append(" goroutine(s)\n")
        for (g in goroutines) append('\n').append(goroutineText(g, takenAt))
    }

    /**
     * The dump as one JSON object: `{"takenAt": "…", "goroutines": [{"id", "name", "labels",
     * "state", "blockedOn", "since", "startedAt", "owner", "failure", "creationSite": […],
     * "suspendedAt": […]}]}`;
     * absent values are `null`, times are ISO-8601 strings. Never blocks.
     */
    public fun toJson(): String = buildString {
        append("{\"takenAt\":").appendJson(takenAt.toString()).append(",\"goroutines\":[")
        goroutines.forEachIndexed { i, g ->
            if (i > 0) append(',')
            append("{\"id\":").append(g.id)
            append(",\"name\":").appendJson(g.name)
            append(",\"labels\":{")
            g.labels.entries.forEachIndexed { j, (k, v) ->
                if (j > 0) append(',')
                appendJson(k).append(':').appendJson(v)
            }
            append("},\"state\":").appendJson(g.state.name)
            append(",\"blockedOn\":").appendJson(g.blockedOn)
            append(",\"since\":").appendJson(g.since?.toString())
            append(",\"startedAt\":").appendJson(g.startedAt?.toString())
            append(",\"owner\":").appendJson(g.owner)
            append(",\"failure\":").appendJson(g.failure?.toString())
            append(",\"creationSite\":").appendJsonFrames(g.creationSite)
            append(",\"suspendedAt\":").appendJsonFrames(g.suspendedAt)
            append('}')
        }
        append("]}")
    }
}

/** One goroutine's block of text, as [GoroutineDump] and [DeadlockReport] print it; with [now], how long it has been in its state. */
internal fun goroutineText(g: GoroutineInfo, now: Instant?): String = buildString {
    append("goroutine ").append(g.id).append(" \"").append(g.name).append("\" [").append(g.state)
    if (g.blockedOn != null) append(" on ").append(g.blockedOn)
    val since = g.since
    if (since != null && now != null) append(", ").append(Duration.between(since, now).toMillis().coerceAtLeast(0)).append(" ms")
    append("] owner=").append(g.owner)
    if (g.labels.isNotEmpty()) append(" labels=").append(g.labels)
    if (g.failure != null) append(" failure=").append(g.failure)
    append('\n')
    // The call that started it and a few callers, as Go's "created by": the rest is the test or framework around it.
    val site = g.creationSite.dropWhile { f -> STARTING_CODE.any { f.className.startsWith(it) } }.take(SITE_FRAMES)
    if (g.suspendedAt.isNotEmpty()) {
        append("  suspended at:\n")
        for (f in g.suspendedAt.take(SITE_FRAMES)) append("    at ").append(f).append('\n')
    }
    if (site.isEmpty()) {
        append("  (creation site not recorded)\n")
    } else {
        append("  started at:\n")
        for (f in site) append("    at ").append(f).append('\n')
    }
}

/** How many frames of a creation site the text shows (the JSON has them all). */
private const val SITE_FRAMES = 6

/** The frames of Conduit's own starting code, which a creation site leaves out. */
private val STARTING_CODE = listOf(
    "dev.conduit.GoLeaks", "dev.conduit.GoKt", "dev.conduit.sync.ErrGroup", "dev.conduit.supervisor.GoroutineManager",
    "dev.conduit.java.Goroutine", "dev.conduit.java.Go", "java.lang.Thread.getStackTrace", "java.lang.Throwable",
)

private fun StringBuilder.appendJsonFrames(frames: List<StackTraceElement>): StringBuilder {
    append('[')
    frames.forEachIndexed { j, f ->
        if (j > 0) append(',')
        appendJson(f.toString())
    }
    return append(']')
}

private fun StringBuilder.appendJson(s: String?): StringBuilder {
    if (s == null) return append("null")
    append('"')
    for (c in s) {
        when {
            c == '"' -> append("\\\"")
            c == '\\' -> append("\\\\")
            c == '\n' -> append("\\n")
            c == '\r' -> append("\\r")
            c == '\t' -> append("\\t")
            c < ' ' -> append("\\u").append(String.format("%04x", c.code))
            else -> append(c)
        }
    }
    return append('"')
}
