package dev.conduit.java.pipeline

import dev.conduit.chan.PriorityChannel
import dev.conduit.java.chan.Chans

/**
 * Blocking sends and receives on a [PriorityChannel] for Java. The channel is made with
 * `PriorityChannel.create(levels, capacity, agingStep)` and is a channel like any other:
 * `Chans.of(channel)` gives its full Java face (blocking, timeouts, futures, select).
 */
public object PriorityChannels {
    /**
     * Sends [item] at [priority], blocking while the channel is full; the thread parks in the
     * channel's own queue.
     *
     * @throws IllegalArgumentException if [priority] is out of range
     * @throws dev.conduit.chan.ClosedChannelException if the channel is or becomes closed
     * @throws InterruptedException if interrupted first (the item is not sent)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> send(channel: PriorityChannel<T>, item: T, priority: Int) {
        channel.sendBlocking(item, priority)
    }

    /**
     * Takes the item with the highest effective priority, blocking while none waits.
     *
     * @throws dev.conduit.chan.ClosedChannelException if closed and drained
     * @throws InterruptedException if interrupted first (nothing is taken)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> receive(channel: PriorityChannel<T>): T = Chans.of(channel).receive()
}
