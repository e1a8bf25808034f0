package dev.conduit.sync

import dev.conduit.lincheckSize
import dev.conduit.lincheckTests
import dev.conduit.plainModelChecking
import dev.conduit.stressChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/**
 * [LockOrder]'s records ([LockOrderGraph]) under concurrent lockers, each result checked against
 * the same calls made one at a time: which call finds an inversion and which cycle, that each
 * inversion is reported once, a self-deadlock, and ordered acquisitions (as [lockAll] makes
 * them) meeting an inversion a nested lock recorded. So an edge is never lost or half-recorded
 * when two lockers record at once, and two lockers closing the same cycle at once cannot both
 * miss it. Each locker is its thread, and holds the mutexes it records as held for real (a
 * monitor on each [Mutex] object stands for it, which Lincheck explores far faster than the
 * channel inside), so the record of who holds what is exact; a nested lock checks its second
 * mutex without waiting for it (waiting would deadlock the run once the inversion had been
 * reported once, as the program would without the checker).
 */
@Param(name = "m", gen = IntGen::class, conf = "0:2")
class LockOrderOps {
    private val graph = LockOrderGraph()
    private val m = List(3) { Mutex("m$it") }

    /** "ok", or the violation [check] found: "m0 -> m1" (a cycle), "self m1". */
    private fun found(violation: LockOrderViolation?): String = when {
        violation == null -> "ok"
        violation.selfDeadlock -> "self " + violation.cycle.single()
        else -> violation.cycle.joinToString(" -> ")
    }

    private fun check(mutex: Mutex): LockOrderViolation? = graph.beforeLock(mutex, Thread.currentThread()) { "thread" }

    /** Holds m[first], and checks locking m[second] while holding it. */
    @Operation
    fun nest(@Param(name = "m") first: Int, @Param(name = "m") second: Int): String = synchronized(m[first]) {
        check(m[first])
        graph.locked(m[first], Thread.currentThread())
        try {
            found(check(m[second]))
        } finally {
            graph.unlocked(m[first])
        }
    }

    /** Takes m[a] and the next one round in their global order, as [lockAll] does, each checked first; stops at a violation. */
    @Operation
    fun lockBoth(@Param(name = "m") a: Int): String {
        val (low, high) = listOf(m[a], m[(a + 1) % 3]).sortedBy { it.order }
        return synchronized(low) {
            check(low)?.let { return@synchronized found(it) }
            graph.locked(low, Thread.currentThread())
            try {
                check(high)?.let { return@synchronized found(it) }
                synchronized(high) {
                    graph.locked(high, Thread.currentThread())
                    graph.unlocked(high)
                }
                "ok"
            } finally {
                graph.unlocked(low)
            }
        }
    }
}

class LockOrderLincheckTest : FunSpec({
    lincheckTests(
        LockOrderOps::class,
        // Small: each explored interleaving cost 65 to 115 ms here (the graph's maps, and a
        // witness's stack trace, are all explored; 4 x 250 of them took 120 s): more scenarios, few interleavings each.
        plainModelChecking().iterations(lincheckSize(4, 100)).invocationsPerIteration(lincheckSize(20, 5_000)),
        stressChecking().iterations(lincheckSize(15, 100)),
        name = "the lock-order checker's records",
    )
})
