package dev.conduit.chan

import dev.conduit.chan.spi.Poll

/**
 * The part every channel kind's [ChanIterator] shares: it keeps the raw result of the last
 * receive (a value or [Poll.CLOSED]) that `hasNext` found, and [next] hands the value out.
 */
internal abstract class RawIterator<T> : ChanIterator<T> {
    private var next: Any? = Poll.NOT_READY

    /** Keeps [r], a receive's result, for [next]; says whether it is a value. */
    protected fun found(r: Any?): Boolean {
        next = r
        return r !== Poll.CLOSED
    }

    override fun next(): T {
        val r = next
        check(r !== Poll.NOT_READY && r !== Poll.CLOSED) { "next() without a hasNext() that returned true" }
        next = Poll.NOT_READY
        @Suppress("UNCHECKED_CAST")
        return r as T
    }
}

/** A [RawIterator] whose `hasNext` is [receive] (a value or [Poll.CLOSED]). */
internal inline fun <T> rawIterator(crossinline receive: suspend () -> Any?): ChanIterator<T> = object : RawIterator<T>() {
    override suspend fun hasNext(): Boolean = found(receive())
}
