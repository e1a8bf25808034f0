package dev.conduit.chan

import dev.conduit.lincheckTests
import dev.conduit.plainModelChecking
import dev.conduit.stressChecking
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import java.util.concurrent.ArrayBlockingQueue
import java.util.concurrent.BlockingQueue
import kotlinx.coroutines.channels.Channel as KChannel

/**
 * The [asBlockingQueue] view checked for linearizability against a sequential specification
 * that is the JDK's or kotlinx's own structure, not the view run sequentially:
 *
 * - [BufferedQueueViewOps]: every non-blocking operation of the view of a `Chan(2)` (offer,
 *   poll, peek, size, remaining capacity, `drainTo` whole and of one, `contains`,
 *   `remove(Object)`, `clear`, and iteration) against an `ArrayBlockingQueue(2)` ([AbqSpec]).
 *   The operations that edit or read the middle of the buffer (snapshot, identity removal,
 *   clear, the atomic `drainTo`) are the core support the view added.
 * - [RendezvousQueueViewOps] and [OneSlotQueueViewOps]: the view's `offer`, `poll` and `drainTo`
 *   beside coroutines suspended in the same channel's `send` and `receive` (what a blocked `put`
 *   or `take` is in the core: one waiter type for both), against a kotlinx `Channel` of the same
 *   capacity ([KotlinxSpec]): on the unbuffered channel `offer` succeeds only if a receiver
 *   waits and `poll`/`drainTo` take waiting senders' values, as a `SynchronousQueue`'s do; on
 *   the buffered one `drainTo` takes the buffer and then the senders that were waiting for
 *   room. Suspended operations are cancellable (Lincheck's default), so a withdrawn sender's
 *   value must never be drained.
 *
 * The blocking forms (`put`, `take`, timed `offer`/`poll`) park threads, which a sequential
 * specification cannot; they are the channel's blocking send and receive, checked by the
 * facade's tests, including interrupts.
 */
@Param(name = "value", gen = IntGen::class, conf = "1:3")
class BufferedQueueViewOps {
    private val q: BlockingQueue<Int> = Chan<Int>(2).asBlockingQueue()

    @Operation
    fun offer(@Param(name = "value") v: Int): Boolean = q.offer(v)

    @Operation
    fun poll(): Int? = q.poll()

    @Operation
    fun peek(): Int? = q.peek()

    @Operation
    fun size(): Int = q.size

    @Operation
    fun remainingCapacity(): Int = q.remainingCapacity()

    @Operation
    fun drainTo(): String = drained(q, Int.MAX_VALUE)

    @Operation
    fun drainOne(): String = drained(q, 1)

    @Operation
    fun contains(@Param(name = "value") v: Int): Boolean = q.contains(v)

    @Operation
    fun remove(@Param(name = "value") v: Int): Boolean = q.remove(v)

    @Operation
    fun clear(): Unit = q.clear()

    @Operation
    fun iterate(): String = q.iterator().asSequence().toList().toString()
}

/** [BufferedQueueViewOps]'s specification: the JDK's `ArrayBlockingQueue`, one operation at a time. */
class AbqSpec {
    private val q = ArrayBlockingQueue<Int>(2)

    fun offer(v: Int): Boolean = q.offer(v)
    fun poll(): Int? = q.poll()
    fun peek(): Int? = q.peek()
    fun size(): Int = q.size
    fun remainingCapacity(): Int = q.remainingCapacity()
    fun drainTo(): String = drained(q, Int.MAX_VALUE)
    fun drainOne(): String = drained(q, 1)
    fun contains(v: Int): Boolean = q.contains(v)
    fun remove(v: Int): Boolean = q.remove(v)
    fun clear(): Unit = q.clear()
    fun iterate(): String = q.iterator().asSequence().toList().toString()
}

/** What `drainTo(list, max)` moved, in order, and how many it reported. */
private fun drained(q: BlockingQueue<Int>, max: Int): String {
    val into = ArrayList<Int>()
    val n = q.drainTo(into, max)
    return "$n $into"
}

@Param(name = "value", gen = IntGen::class, conf = "1:3")
abstract class WaitingQueueViewOps(capacity: Int) {
    private val ch = Chan<Int>(capacity)
    private val q = ch.asBlockingQueue()

    @Operation
    suspend fun send(@Param(name = "value") v: Int): Unit = ch.send(v)

    @Operation
    suspend fun receive(): Int = ch.receive()

    @Operation
    fun offer(@Param(name = "value") v: Int): Boolean = q.offer(v)

    @Operation
    fun poll(): Int? = q.poll()

    @Operation
    fun drainTo(): String = drained(q, Int.MAX_VALUE)

    @Operation
    fun drainOne(): String = drained(q, 1)
}

class RendezvousQueueViewOps : WaitingQueueViewOps(0)

class OneSlotQueueViewOps : WaitingQueueViewOps(1)

/**
 * [WaitingQueueViewOps]'s specification: a kotlinx `Channel` of the same capacity, with `offer`
 * its `trySend`, `poll` its `tryReceive`, and `drainTo` `tryReceive` until nothing is ready.
 */
abstract class KotlinxSpec(capacity: Int) {
    private val ch = KChannel<Int>(capacity)

    suspend fun send(v: Int): Unit = ch.send(v)
    suspend fun receive(): Int = ch.receive()
    fun offer(v: Int): Boolean = ch.trySend(v).isSuccess
    fun poll(): Int? = ch.tryReceive().getOrNull()
    fun drainTo(): String = drainedFrom(Int.MAX_VALUE)
    fun drainOne(): String = drainedFrom(1)

    private fun drainedFrom(max: Int): String {
        val into = ArrayList<Int>()
        while (into.size < max) into.add(ch.tryReceive().getOrNull() ?: break)
        return "${into.size} $into"
    }
}

class RendezvousKotlinxSpec : KotlinxSpec(KChannel.RENDEZVOUS)

class OneSlotKotlinxSpec : KotlinxSpec(1)

class ChanBlockingQueueLincheckTest : FunSpec({
    lincheckTests(
        BufferedQueueViewOps::class,
        plainModelChecking().sequentialSpecification(AbqSpec::class.java),
        stressChecking().sequentialSpecification(AbqSpec::class.java),
    )
    for ((ops, spec) in listOf(
        RendezvousQueueViewOps::class to RendezvousKotlinxSpec::class,
        OneSlotQueueViewOps::class to OneSlotKotlinxSpec::class,
    )) {
        lincheckTests(
            ops,
            suspendingModelChecking().sequentialSpecification(spec.java),
            stressChecking().sequentialSpecification(spec.java),
        )
    }
})
