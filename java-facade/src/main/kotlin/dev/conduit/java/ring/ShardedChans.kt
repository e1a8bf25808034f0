package dev.conduit.java.ring

import dev.conduit.chan.ShardedChan
import dev.conduit.java.chan.Chans
import java.util.Optional

/**
 * Blocking sends and receives on a [ShardedChan] for Java: `new ShardedChan<>(lanes, capacity)`
 * is a channel like any other (`Chans.of(sharded)` gives its full Java face); these add the
 * keyed send.
 */
public object ShardedChans {
    /**
     * Sends [value] into the lane of [key] (null: the calling thread's lane), blocking while that
     * lane is full.
     *
     * @throws dev.conduit.chan.ClosedChannelException if the channel is or becomes closed
     * @throws InterruptedException if interrupted first (nothing is sent)
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun <T : Any> send(channel: ShardedChan<T>, value: T, key: Any? = null) {
        channel.sendBlocking(value, key)
    }

    /**
     * Blocks for an item from any lane; empty once every lane is closed and drained.
     *
     * @throws InterruptedException if interrupted first (nothing is taken)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> receive(channel: ShardedChan<T>): Optional<T> =
        Chans.of(channel).receiveOk().let { if (it.ok) Optional.of(it.value) else Optional.empty() }
}
