package dev.conduit.chan

import dev.conduit.ring.RingBuffer

/**
 * One batch from a [BatchChannel]: [size] items, read by index or iterated. Batches (object and
 * array) come from the channel's pool; call [recycle] when done with one (or use
 * [BatchChannel.receiveList], which copies and recycles) so steady traffic allocates nothing.
 * A batch must not be used after [recycle].
 */
public class Batch<T> internal constructor(internal val items: Array<Any?>, private val pool: RingBuffer<Batch<*>>) : Iterable<T> {
    /** How many items the batch holds. */
    public var size: Int = 0
        internal set

    /** The item at [index]. @throws IndexOutOfBoundsException if not in `0 until size`. */
    @Suppress("UNCHECKED_CAST")
    public operator fun get(index: Int): T {
        if (index !in 0 until size) throw IndexOutOfBoundsException("index $index, size $size")
        return items[index] as T
    }

    override fun iterator(): Iterator<T> = object : Iterator<T> {
        private var next = 0
        override fun hasNext(): Boolean = next < size
        override fun next(): T = if (hasNext()) get(next++) else throw NoSuchElementException()
    }

    /** The items as a new list. */
    public fun toList(): List<T> = List(size) { get(it) }

    /** Gives the batch back to the pool (cleared). Never blocks. Using it afterwards is a bug. */
    public fun recycle() {
        items.fill(null, 0, size)
        size = 0
        pool.offer(this) // a full pool just lets it go
    }

    override fun toString(): String = "Batch(size=$size)"
}
