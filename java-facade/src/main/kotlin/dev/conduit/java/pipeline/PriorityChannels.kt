package dev.conduit.java.pipeline

import dev.conduit.java.internal.Bridge
import dev.conduit.pipeline.PriorityChannel

/**
 * Blocking sends and receives on a [PriorityChannel] for Java. The channel is made with
 * `PriorityChannel.create(levels, capacity, agingStep)`; `trySend`, `tryReceive` and `close`
 * are used as they are.
 */
public object PriorityChannels {
    /**
     * Queues [item] at [priority], blocking while the channel is full.
     *
     * @throws IllegalArgumentException if [priority] is out of range
     * @throws kotlinx.coroutines.channels.ClosedSendChannelException if the channel is closed
     * @throws InterruptedException if interrupted first (the item is not queued)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> send(channel: PriorityChannel<T>, item: T, priority: Int) {
        Bridge.callBlocking { channel.send(item, priority) }
    }

    /**
     * Takes the item with the highest effective priority, blocking while none waits.
     *
     * @throws kotlinx.coroutines.channels.ClosedReceiveChannelException if closed and drained
     * @throws InterruptedException if interrupted first (nothing is taken)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> receive(channel: PriorityChannel<T>): T = Bridge.callBlocking { channel.receive() }
}
