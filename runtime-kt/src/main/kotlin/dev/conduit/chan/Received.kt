package dev.conduit.chan

import dev.conduit.chan.ClosedChannelException.Companion.receiveOnClosed

/**
 * The outcome of a receive that may find its channel closed: Go's `v, ok := <-ch`.
 *
 * Either a value ([ok] is `true`) or "closed" ([ok] is `false`, and there is no value).
 * Destructure it as Go does: `val (v, ok) = ch.receiveOk()`; then `v` is `null` when closed.
 */
public class Received<out T> private constructor(
    private val item: Any?,
    /** Whether this holds a value (`false`: the channel was closed); `isOk()` from Java. */
    @get:JvmName("isOk") public val ok: Boolean,
) {
    /**
     * The received value.
     *
     * @throws ClosedChannelException if this is "closed" ([ok] is `false`).
     */
    @Suppress("UNCHECKED_CAST")
    public val value: T
        get() = if (ok) item as T else throw receiveOnClosed()

    /** The received value, or `null` when this is "closed". */
    @Suppress("UNCHECKED_CAST")
    public fun valueOrNull(): T? = item as T?

    /** The value or `null`, for `val (v, ok) = ...`. */
    public operator fun component1(): T? = valueOrNull()

    /** [ok], for `val (v, ok) = ...`. */
    public operator fun component2(): Boolean = ok

    override fun equals(other: Any?): Boolean =
        other is Received<*> && other.ok == ok && other.item == item

    override fun hashCode(): Int = if (ok) 31 + item.hashCode() else 0

    override fun toString(): String = if (ok) "Received($item)" else "Received(closed)"

    public companion object {
        private val CLOSED = Received<Nothing>(null, false)

        /** A received [value]. */
        @JvmStatic
        public fun <T> of(value: T): Received<T> = Received(value, true)

        /** "Closed": the channel is closed and drained. Always the same instance. */
        @JvmStatic
        public fun <T> closed(): Received<T> = CLOSED
    }
}
