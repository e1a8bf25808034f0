package dev.conduit.sync

import java.util.Collections
import java.util.IdentityHashMap

/**
 * What [LockOrder] records while it is on: the acquired-before edges between mutexes (each
 * with its first witness), the inversions already reported, and what each caller (a coroutine's
 * `Job` or a thread) holds. Thread-safe: every call takes this graph's one lock, and never
 * blocks beyond it.
 */
internal class LockOrderGraph {
    private val lock = Any()

    /** Acquired-before edges: from mutex to mutex, with the first witness of each. */
    private val edges = IdentityHashMap<Mutex, LinkedHashMap<Mutex, LockOrderViolation.Witness>>()

    /** Edges already reported as closing a cycle, so that each inversion is reported once. */
    private val reported = HashSet<Pair<Mutex, Mutex>>()

    /** What each caller holds, in the order it took them. */
    private val held = IdentityHashMap<Any, ArrayList<Mutex>>()

    /** The caller holding each recorded mutex. */
    private val holders = IdentityHashMap<Mutex, Any>()

    /**
     * Records that [caller] is about to wait for [m]: an edge from the mutex it took last (the
     * ones before reach [m] through that one, as lockdep does). Returns the violation if [m] is
     * held by [caller] already, or if the edge would close a cycle (then it is not kept, so the
     * recorded order stays acyclic); `null` otherwise, and for an inversion reported before.
     * [callerName] is asked only for a new edge's witness.
     */
    fun beforeLock(m: Mutex, caller: Any, callerName: () -> String): LockOrderViolation? = synchronized(lock) {
        val mine = held[caller] ?: return null
        if (m in mine) {
            if (!reported.add(m to m)) return null
            val w = LockOrderViolation.Witness(m.describe(), m.describe(), callerName(), Throwable().stackTrace.toList())
            return LockOrderViolation(listOf(m.describe()), listOf(w), selfDeadlock = true)
        }
        val before = mine.last()
        val out = edges.getOrPut(before) { LinkedHashMap(4) }
        if (m in out) return null
        val witness = LockOrderViolation.Witness(before.describe(), m.describe(), callerName(), Throwable().stackTrace.toList())
        val back = path(m, before)
        if (back == null) {
            out[m] = witness
            return null
        }
        if (!reported.add(before to m)) return null
        return LockOrderViolation((listOf(before) + back.map { it.first }).map { it.describe() }, listOf(witness) + back.map { it.third }, selfDeadlock = false)
    }

    /** [caller] now holds [m]. */
    fun locked(m: Mutex, caller: Any) {
        synchronized(lock) {
            held.getOrPut(caller) { ArrayList(2) }.add(m)
            holders[m] = caller
        }
    }

    /** [m] was unlocked, by whoever: it leaves its locker's held set. */
    fun unlocked(m: Mutex) {
        synchronized(lock) {
            val caller = holders.remove(m) ?: return
            val list = held[caller] ?: return
            list.remove(m)
            if (list.isEmpty()) held.remove(caller)
        }
    }

    /** A path of recorded edges from [from] to [to] (each step: from, to, witness), or `null`. Under [lock]. */
    private fun path(from: Mutex, to: Mutex): List<Triple<Mutex, Mutex, LockOrderViolation.Witness>>? {
        val cameFrom = IdentityHashMap<Mutex, Pair<Mutex, LockOrderViolation.Witness>>()
        val todo = ArrayDeque<Mutex>().apply { add(from) }
        val seen = Collections.newSetFromMap(IdentityHashMap<Mutex, Boolean>()).apply { add(from) }
        while (todo.isNotEmpty()) {
            val at = todo.removeFirst()
            if (at === to) {
                val steps = ArrayList<Triple<Mutex, Mutex, LockOrderViolation.Witness>>()
                var node = to
                while (node !== from) {
                    val (prev, w) = cameFrom.getValue(node)
                    steps.add(Triple(prev, node, w))
                    node = prev
                }
                return steps.asReversed()
            }
            for ((next, w) in edges[at] ?: continue) {
                if (seen.add(next)) {
                    cameFrom[next] = at to w
                    todo.add(next)
                }
            }
        }
        return null
    }
}
