package dev.conduit.java.pipeline

import dev.conduit.java.chan.Chans
import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.java.internal.Bridge
import dev.conduit.pipeline.Broadcast
import dev.conduit.pipeline.Subscription

/**
 * Blocking publishes on a [Broadcast] for Java. The broadcast is made and subscribed to as it
 * is: `new Broadcast<>(listener)`, `b.subscribe("ui", 16, Overflow.DROP_OLDEST)`,
 * `sub.unsubscribe()`, `b.close()`.
 */
public object Broadcasts {
    /**
     * Delivers [item] to every subscriber under its overflow policy, blocking only for full
     * `BLOCK` subscribers.
     *
     * @throws IllegalStateException if the broadcast is closed
     * @throws InterruptedException if interrupted while blocked (subscribers already served
     *   keep the item)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> publish(broadcast: Broadcast<T>, item: T) {
        Bridge.callBlocking { broadcast.publish(item) }
    }

    /** A subscription's items as a Java channel. */
    @JvmStatic
    public fun <T : Any> items(subscription: Subscription<T>): ReceiveChannel<T> = Chans.receiving(subscription.items)
}
