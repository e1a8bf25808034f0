package dev.conduit.supervisor

import kotlinx.coroutines.Job
import java.lang.ref.ReferenceQueue
import java.lang.ref.WeakReference
import java.util.Collections
import java.util.WeakHashMap
import java.util.concurrent.ConcurrentHashMap

/**
 * The watchdog's leak detector: every coroutine it sees blocked in a Conduit operation is
 * followed, weakly, until it completes; one collected before it completed could never have been
 * resumed, so it leaked ([LeakReport]). Holds nothing that keeps a coroutine reachable: a weak
 * reference to its job, and what the watchdog last saw of it. Thread-safe.
 */
internal object LeakWatch {
    private val gone = ReferenceQueue<Job>()

    /** One followed coroutine: its job, weakly, and what was last seen of it. */
    private class Followed(job: Job, @Volatile var lastSeen: GoroutineInfo) : WeakReference<Job>(job, gone) {
        /** Set when the job completes: it did not leak, whenever it is collected. */
        @Volatile
        var completed = false
    }

    /** Every followed coroutine, by its job (weak keys); [followed] keeps the records themselves. */
    private val byJob: MutableMap<Job, Followed> = Collections.synchronizedMap(WeakHashMap())

    private val followed: MutableSet<Followed> = ConcurrentHashMap.newKeySet()

    /** What was last seen of each coroutine followed now (for tests: whether one is followed yet). Never blocks. */
    fun following(): List<GoroutineInfo> = followed.map { it.lastSeen }

    /** Notes that the coroutine of [job] was seen blocked, as [info] describes it; the watchdog's thread only. Never blocks. */
    fun sight(job: Job, info: GoroutineInfo) {
        val known = byJob[job]
        if (known != null) {
            known.lastSeen = info
            return
        }
        val f = Followed(job, info)
        byJob[job] = f
        followed += f
        job.invokeOnCompletion {
            f.completed = true
            followed -= f
        }
    }

    /** The coroutines followed and collected, without completing, since the last call. Never blocks. */
    fun collected(): List<GoroutineInfo> {
        var out: MutableList<GoroutineInfo>? = null
        while (true) {
            val f = gone.poll() as Followed? ?: break
            followed -= f
            if (!f.completed) (out ?: ArrayList<GoroutineInfo>().also { out = it }) += f.lastSeen
        }
        return out ?: emptyList()
    }
}
