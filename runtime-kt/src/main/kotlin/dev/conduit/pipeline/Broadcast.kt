package dev.conduit.pipeline

import dev.conduit.chan.Chan
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.closeIfOpen
import dev.conduit.chan.select
import dev.conduit.chan.ClosedChannelException
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicLong

/** What a [Broadcast] does when a subscriber's buffer is full. */
public enum class Overflow {
    /** The publisher waits until the subscriber makes room (or unsubscribes). */
    BLOCK,

    /** The oldest buffered item is dropped to make room for the new one. */
    DROP_OLDEST,

    /** The new item is dropped for this subscriber. */
    DROP_NEWEST,

    /** The subscriber is disconnected: its channel closes after what it had buffered. */
    DISCONNECT,
}

/** Told about every item a [Broadcast] dropped for a subscriber, and every disconnection. */
public interface BroadcastListener<in T> {
    /** [item] was dropped for [subscription] by its overflow policy. Must not block. */
    public fun onDropped(subscription: Subscription<*>, item: T) {}

    /** [subscription] was disconnected because its buffer was full. Must not block. */
    public fun onDisconnected(subscription: Subscription<*>) {}
}

/**
 * One subscriber of a [Broadcast]: [items] delivers what is published after it subscribed,
 * in publishing order, minus what its [overflow] policy drops (counted in [dropped]).
 */
public class Subscription<T> internal constructor(
    /** The subscriber's name, for reports. */
    public val name: String,
    /** How many items this subscriber may have waiting before [overflow] applies. */
    public val buffer: Int,
    /** What happens when the buffer is full. */
    public val overflow: Overflow,
    private val owner: Broadcast<T>,
) {
    internal val chan: Chan<T> = Chan(buffer)
    internal val gone: Chan<Unit> = Chan(0)
    private val droppedCount = AtomicLong()

    @Volatile
    private var disconnectedFlag = false

    /** The items for this subscriber; closes on [unsubscribe], disconnection or broadcast close. */
    public val items: ReceiveChan<T> get() = chan

    /** How many items this subscriber lost to its overflow policy. Never blocks. */
    public val dropped: Long get() = droppedCount.get()

    /** Whether the broadcast disconnected this subscriber for being too slow. Never blocks. */
    public val disconnected: Boolean get() = disconnectedFlag

    internal fun countDrop() {
        droppedCount.incrementAndGet()
    }

    internal fun markDisconnected() {
        disconnectedFlag = true
    }

    /**
     * Leaves the broadcast: nothing more is delivered and [items] closes after what is already
     * buffered. A publisher blocked on this subscriber moves on. Idempotent; never blocks.
     */
    public fun unsubscribe() {
        owner.remove(this)
    }

    override fun toString(): String = "Subscription($name, $overflow, buffer=$buffer, dropped=$dropped)"
}

/**
 * One publisher, many subscribers, each with its own buffer and [Overflow] policy: Go's
 * broadcast pattern, with the slow-subscriber question answered per subscriber instead of
 * letting the slowest one set everyone's pace.
 *
 * Subscribers may join and leave at any time; a new one starts from now (it gets what is
 * published after [subscribe] returns, nothing earlier). Drops are never silent: each one is
 * counted on the [Subscription] and reported to [listener].
 *
 * ```
 * val prices = Broadcast<Tick>()
 * val ui = prices.subscribe("ui", buffer = 1, overflow = Overflow.DROP_OLDEST)
 * val audit = prices.subscribe("audit", buffer = 1024, overflow = Overflow.BLOCK)
 * prices.publish(tick)
 * ```
 *
 * [publish] is for one publisher at a time (calls must not overlap). [subscribe],
 * [Subscription.unsubscribe] and [close] are thread-safe and never block.
 */
public class Broadcast<T> @JvmOverloads constructor(
    private val listener: BroadcastListener<T>? = null,
) {
    private val subscribers = CopyOnWriteArrayList<Subscription<T>>()

    @Volatile
    private var closed = false

    /** The current subscribers. Never blocks. */
    public val subscriptions: List<Subscription<T>> get() = subscribers.toList()

    /**
     * Adds a subscriber that receives everything published from now on.
     *
     * @throws IllegalArgumentException if [buffer] is negative, or 0 with a dropping or
     *   disconnecting policy (there would be nothing to drop from).
     * @throws IllegalStateException if the broadcast is closed.
     */
    @JvmOverloads
    public fun subscribe(name: String = "subscriber", buffer: Int = 16, overflow: Overflow = Overflow.BLOCK): Subscription<T> {
        require(buffer >= 0) { "buffer must be >= 0, but was $buffer" }
        require(buffer > 0 || overflow == Overflow.BLOCK) { "buffer must be > 0 for $overflow, but was 0" }
        val sub = Subscription(name, buffer, overflow, this)
        subscribers.add(sub)
        if (closed) {
            remove(sub)
            throw IllegalStateException("subscribe to closed broadcast")
        }
        return sub
    }

    internal fun remove(sub: Subscription<T>) {
        subscribers.remove(sub)
        sub.gone.closeIfOpen()
        sub.chan.closeIfOpen()
    }

    /**
     * Delivers [item] to every current subscriber under its overflow policy. Suspends only for
     * [Overflow.BLOCK] subscribers whose buffer is full, until they make room or unsubscribe.
     *
     * @throws IllegalStateException if the broadcast is closed.
     */
    public suspend fun publish(item: T) {
        check(!closed) { "publish on closed broadcast" }
        for (sub in subscribers) {
            if (sub.chan.trySendOpen(item)) continue
            when (sub.overflow) {
                Overflow.BLOCK -> try {
                    select {
                        sub.chan.onSend(item) {}
                        sub.gone.onReceiveOk {}
                    }
                } catch (e: ClosedChannelException) {
                    // it unsubscribed while we waited: nothing to deliver
                }
                Overflow.DROP_NEWEST -> drop(sub, item)
                Overflow.DROP_OLDEST -> {
                    while (!sub.chan.trySendOpen(item)) {
                        val oldest = sub.chan.tryReceive() ?: continue
                        if (!oldest.ok) break // unsubscribed meanwhile
                        drop(sub, oldest.value)
                    }
                }
                Overflow.DISCONNECT -> {
                    sub.markDisconnected()
                    remove(sub)
                    listener?.onDisconnected(sub)
                }
            }
        }
    }

    private fun drop(sub: Subscription<T>, item: T) {
        sub.countDrop()
        listener?.onDropped(sub, item)
    }

    /** Sends unless the subscriber's channel is full or closed (it left). */
    private fun Chan<T>.trySendOpen(item: T): Boolean =
        try {
            trySend(item)
        } catch (e: ClosedChannelException) {
            true // unsubscribed: nothing to deliver
        }

    /**
     * Ends the broadcast: every subscriber's channel closes after what it has buffered, and
     * later [publish] and [subscribe] calls fail. Idempotent; never blocks.
     */
    public fun close() {
        closed = true
        for (sub in subscribers) remove(sub)
    }

    override fun toString(): String = "Broadcast(subscribers=${subscribers.size}, closed=$closed)"
}
