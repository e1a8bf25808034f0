package dev.conduit.supervisor

import kotlinx.coroutines.Job
import java.lang.ref.ReferenceQueue
import java.lang.ref.WeakReference
import java.util.Collections
import java.util.WeakHashMap
import java.util.concurrent.ConcurrentHashMap

/**
 * The watchdog's leak detector: every coroutine it sees blocked in a Conduit operation is
 * followed, weakly, until it completes; one collected before it completed could never have
 * been resumed, so it leaked ([LeakReport]), and is reported if the last check saw it blocked in
 * Conduit. Holds nothing that keeps a coroutine reachable: a weak
 * reference to its job, and what the watchdog last saw of it. Thread-safe.
 */
internal object LeakWatch {
    private val gone = ReferenceQueue<Job>()

    /**
     * One followed coroutine: its job, weakly, and what was last seen of it: `null` while the
     * last check did not see it blocked in Conduit (then it is not reported, whenever it is
     * collected). Nothing here refers to the job strongly (not even its completion handler's
     * handle, which would).
     */
    private class Followed(job: Job, @Volatile var lastSeen: GoroutineInfo?) : WeakReference<Job>(job, gone) {
        /** Set when the job completes: not reported, whenever it is collected. */
        @Volatile
        var completed = false

        /** Set once the watchdog has handed it on after its collection ([handOnCollected]). */
        @Volatile
        var handled = false
    }

    /** Every followed coroutine, by its job (weak keys); [followed] keeps the records themselves. */
    private val byJob: MutableMap<Job, Followed> = Collections.synchronizedMap(WeakHashMap())

    private val followed: MutableSet<Followed> = ConcurrentHashMap.newKeySet()

    /** What was last seen of each coroutine blocked in Conduit at the last check (for tests: whether one is followed yet). Never blocks. */
    fun following(): List<GoroutineInfo> = followed.mapNotNull { it.lastSeen }

    /**
     * Follows each coroutine of [blocked] (a check's coroutines blocked in Conduit, by job, as
     * seen now), and marks the followed ones not in it as not blocked in Conduit: one collected
     * is reported with the wait it had at the last check before (it may have left that wait
     * since, and leaked on another: the report says "last seen"), and one that no check since
     * its last sighting saw blocked in Conduit is not reported. A coroutine stays followed until
     * it completes or is collected. The watchdog's thread only. Never blocks.
     */
    fun sightAll(blocked: Map<Job, GoroutineInfo>) {
        for (f in followed) {
            val job = f.get() ?: continue
            if (job !in blocked) f.lastSeen = null
        }
        for ((job, info) in blocked) {
            val known = byJob[job]
            if (known != null) {
                known.lastSeen = info
                continue
            }
            val f = Followed(job, info)
            byJob[job] = f
            followed += f
            job.invokeOnCompletion {
                f.completed = true
                followed -= f
            }
        }
    }

    /**
     * Hands each coroutine followed and collected without completing since the last call to
     * [report], then marks every collected record handled ([isHandled]), reported or not. The
     * watchdog's thread only. Never blocks beyond [report].
     */
    fun handOnCollected(report: (GoroutineInfo) -> Unit) {
        while (true) {
            val f = gone.poll() as Followed? ?: break
            followed -= f
            val seen = f.lastSeen
            try {
                if (!f.completed && seen != null) report(seen)
            } finally {
                f.handled = true
            }
        }
    }

    /** The record that follows [job], or `null`: for tests, which hold it (a weak reference: it keeps [job] collectable). Never blocks. */
    fun recordOf(job: Job): Any? = byJob[job]

    /**
     * Whether the watchdog has handed on [record] ([recordOf]'s), collected: its report, if it
     * had one, was delivered first. A test waits for this instead of waiting for a report not to
     * come. Never blocks.
     */
    fun isHandled(record: Any): Boolean = (record as Followed).handled
}
