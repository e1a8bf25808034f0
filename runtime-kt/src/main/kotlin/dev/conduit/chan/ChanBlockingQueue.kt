package dev.conduit.chan

import dev.conduit.chan.ClosedChannelException.Companion.receiveOnClosed
import dev.conduit.chan.ClosedChannelException.Companion.sendOnClosed
import dev.conduit.chan.spi.Poll
import java.util.AbstractQueue
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.BlockingQueue
import java.util.concurrent.TimeUnit

/** The view [asBlockingQueue] makes: the one implementation, which the Java facade's `Channel.asBlockingQueue()` returns too. */
internal class ChanBlockingQueue<T : Any>(private val chan: ChanImpl<T>) : AbstractQueue<T>(), BlockingQueue<T> {

    override fun offer(e: T): Boolean = chan.trySend(e)

    override fun put(e: T) {
        if (chan.sendBlocking(e, Long.MAX_VALUE, null) === Poll.CLOSED) throw sendOnClosed()
    }

    override fun offer(e: T, timeout: Long, unit: TimeUnit): Boolean =
        when (chan.sendBlocking(e, unit.toNanos(timeout), null)) {
            Poll.SENT -> true
            Poll.CLOSED -> throw sendOnClosed()
            else -> false
        }

    @Suppress("UNCHECKED_CAST")
    override fun take(): T {
        val r = chan.receiveBlocking(Long.MAX_VALUE, null)
        return if (r === Poll.CLOSED) throw receiveOnClosed() else r as T
    }

    override fun poll(): T? = chan.tryReceive()?.valueOrNull()

    @Suppress("UNCHECKED_CAST")
    override fun poll(timeout: Long, unit: TimeUnit): T? {
        val r = chan.receiveBlocking(unit.toNanos(timeout), null)
        return if (r === Poll.CLOSED || r === Poll.NOT_READY) null else r as T
    }

    @Suppress("UNCHECKED_CAST")
    override fun peek(): T? = chan.peekBuffered() as T?

    override val size: Int get() = chan.len

    override fun isEmpty(): Boolean = chan.len == 0

    override fun remainingCapacity(): Int = (chan.cap - chan.len).coerceAtLeast(0)

    override fun iterator(): MutableIterator<T> = SnapshotIterator(chan.snapshotBuffered())

    /**
     * Over one snapshot, so its size is exact (the default, `size()` and then an iterator, could
     * disagree with the values a concurrent change leaves).
     */
    @Suppress("UNCHECKED_CAST")
    override fun spliterator(): Spliterator<T> =
        Spliterators.spliterator<Any?>(chan.snapshotBuffered(), Spliterator.ORDERED or Spliterator.NONNULL) as Spliterator<T>

    override fun contains(element: T): Boolean = chan.snapshotBuffered().any { element == it }

    override fun remove(element: T): Boolean {
        while (true) {
            val candidates = chan.snapshotBuffered().filter { element == it }
            if (candidates.isEmpty()) return false
            // Each was taken meanwhile if none is still buffered: look again at what is there now.
            if (candidates.any { chan.removeBuffered(it) }) return true
        }
    }

    override fun clear(): Unit = chan.clearBuffered()

    override fun drainTo(c: MutableCollection<in T>): Int = drainTo(c, Int.MAX_VALUE)

    override fun drainTo(c: MutableCollection<in T>, maxElements: Int): Int {
        require(c !== this && (c as? ChanBlockingQueue<*>)?.chan !== chan) { "cannot drain a channel into itself" }
        if (maxElements <= 0) return 0
        val taken = chan.receiveReady(maxElements)
        var added = 0
        try {
            while (added < taken.size) {
                @Suppress("UNCHECKED_CAST")
                c.add(taken[added] as T)
                added++
            }
        } finally {
            if (added < taken.size) chan.giveBack(taken, added)
        }
        return added
    }

    /** Weakly consistent: the buffered values of one snapshot; `remove` removes the same instance if still buffered. */
    private inner class SnapshotIterator(private val values: Array<Any?>) : MutableIterator<T> {
        private var next = 0
        private var last = -1

        override fun hasNext(): Boolean = next < values.size

        @Suppress("UNCHECKED_CAST")
        override fun next(): T {
            if (next >= values.size) throw NoSuchElementException()
            last = next
            return values[next++] as T
        }

        override fun remove() {
            check(last >= 0) { "next() has not been called, or remove() was already called after it" }
            chan.removeBuffered(values[last])
            last = -1
        }
    }
}

/**
 * This channel as a `java.util.concurrent.BlockingQueue`, for code written against the JDK (a
 * `ThreadPoolExecutor`'s work queue, a legacy consumer loop): a view, not a copy. The queue's
 * operations are the channel's own, on the same buffer and the same waiting queues, so Kotlin
 * coroutines, [select]s, Java facade calls and JDK code can all use one channel at once. Each
 * call makes a new view object over the same channel. Never blocks.
 *
 * | queue | channel | blocks? |
 * |---|---|---|
 * | `put(e)` | a blocking send | until sent |
 * | `offer(e)`, `add(e)` | [SendChan.trySend] | never |
 * | `offer(e, timeout, unit)` | a send bounded by the timeout | at most the timeout |
 * | `take()` | a blocking receive | until a value |
 * | `poll()`, `remove()` | [ReceiveChan.tryReceive] | never |
 * | `poll(timeout, unit)` | a receive bounded by the timeout | at most the timeout |
 * | `drainTo(c[, max])` | what `tryReceive` would take now, in one step | never |
 * | `size()`, `peek()`, `iterator()`, `contains`, `toArray` | the buffered values ([Chan.len]) | never |
 *
 * The model is `ArrayBlockingQueue` for a buffered channel (`LinkedBlockingQueue` for
 * `Chan(Int.MAX_VALUE)`: `remainingCapacity()` is then `Int.MAX_VALUE - size()`), and
 * `SynchronousQueue` for an unbuffered one: `size()` is 0, `peek()` null, the iterator empty,
 * `remainingCapacity()` 0, and `offer(e)` succeeds only if a receiver is waiting, while `poll()`
 * takes a waiting sender's value. A value a sender is still waiting to hand over (a blocked
 * `put` on a full buffer) is not in the queue: it is not counted, seen or removed, as in the JDK
 * queues.
 *
 * ## Blocking and interruption
 * `put`, `take` and the timed `offer` and `poll` wait in the channel's own queue, as the facade's
 * blocking calls do (a brief spin on an unbuffered channel, then a park; cheap on a virtual
 * thread). An interrupt ends only a wait: an operation that can complete at once completes even
 * if the thread's interrupt status is set (as a hand-off to a waiting partner does in
 * `SynchronousQueue`; `ArrayBlockingQueue` checks the status first). An interrupted wait throws `InterruptedException` with the status cleared and
 * nothing sent or taken; if a value was handed over at that very moment, the call returns it (or
 * returns normally, for a send) with the interrupt status set again. So no value is lost or
 * duplicated. A zero or negative timeout only tries.
 *
 * ## Closed channel
 * A queue has no close; the channel may be closed all the same (by its other users).
 * `put`, `offer` and `add` then throw [ClosedChannelException] (an `IllegalStateException`),
 * including a `put` or timed `offer` already waiting; the buffered values can still be taken.
 * Once closed and drained, `take()` throws [ClosedChannelException] ("receive from closed
 * channel"), while `poll()` and the timed `poll` return `null` at once. A
 * `ThreadPoolExecutor` must be shut down before its work-queue channel is closed: a worker's
 * `take()` would throw, and the pool replaces a worker that throws.
 *
 * ## Peeking, iteration and removal
 * `peek`, `element`, `iterator`, `spliterator` (so `stream()`), `contains`, `toArray`,
 * `toString` and `remove(Object)` look at the buffered values, read or copied under the
 * channel's lock in one step (a snapshot; nothing for an unbuffered channel). The iterator is
 * weakly consistent, as the `java.util.concurrent` queues' are: it returns each value buffered
 * when it was made exactly once, in order, never throws `ConcurrentModificationException`, and
 * does not see later changes. `Iterator.remove` removes that value (the same instance) if it is still
 * buffered, and does nothing if a receiver took it meanwhile. `remove(o)` removes the oldest
 * buffered value equal to `o`, and returns `false` only if a snapshot holds none. `clear()`
 * drops the buffered values; senders that were waiting then fill the freed slots. Equality
 * (`equals`) is called outside the lock, on the snapshot. `contains(null)` and `remove(null)`
 * return `false`; every method that takes an element refuses `null` with
 * `NullPointerException`.
 *
 * ## drainTo
 * `drainTo(c, max)` takes up to `max` values that are ready now (buffered ones, then waiting
 * senders' values, as repeated `poll()`s would) in one atomic step, then adds them to `c` in
 * order, outside the lock. If `c.add` throws, the values already added stay in `c`, and the one
 * that failed and those after it go back to the head of the channel, in order, before any other
 * value, and the exception propagates: no value is lost, and none is in both places (as in
 * `ArrayBlockingQueue`; the `BlockingQueue` contract allows either). That failure path is not
 * atomic: between the take and the give-back other users see those values gone (on a closed
 * channel, a receive may see "closed and drained" and a later one get a value put back), and
 * the buffer may hold more than [Chan.cap] values for a while after it (senders wait until it is
 * below [Chan.cap] again). `drainTo` never blocks.
 *
 * Thread-safe. Every method but the four waiting ones never blocks.
 *
 * ```kotlin
 * val jobs = Chan<Runnable>(64)
 * val pool = java.util.concurrent.ThreadPoolExecutor(2, 2, 0, java.util.concurrent.TimeUnit.SECONDS, jobs.asBlockingQueue())
 * ```
 *
 * @throws IllegalArgumentException if this channel was not made by [Chan()][Chan] (another kind,
 *   such as [SpscChan()][SpscChan], [ShardedChan] or [nilChan], keeps its values elsewhere or
 *   has no single buffer to look at).
 */
public fun <T : Any> Chan<T>.asBlockingQueue(): BlockingQueue<T> {
    require(this is ChanImpl<*> && this.javaClass == ChanImpl::class.java) {
        "a BlockingQueue view needs a channel made by Chan(capacity), but was $this"
    }
    @Suppress("UNCHECKED_CAST")
    return ChanBlockingQueue(this as ChanImpl<T>)
}
