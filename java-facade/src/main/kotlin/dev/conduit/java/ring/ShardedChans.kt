package dev.conduit.java.ring

import dev.conduit.java.internal.Bridge
import dev.conduit.ring.ShardedChan
import java.util.Optional

/**
 * Blocking sends and receives on a [ShardedChan] for Java: `new ShardedChan<>(lanes, capacity)`,
 * `trySend`, `tryReceive` and `close` are used as they are.
 */
public object ShardedChans {
    /**
     * Sends [value] into the lane of [key] (null: the calling thread's lane), blocking while that
     * lane is full.
     *
     * @throws kotlinx.coroutines.channels.ClosedSendChannelException if the channel is closed
     * @throws InterruptedException if interrupted first (nothing is sent)
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun <T : Any> send(channel: ShardedChan<T>, value: T, key: Any? = null) {
        Bridge.callBlocking { channel.send(value, key) }
    }

    /**
     * Blocks for an item from any lane; empty once every lane is closed and drained.
     *
     * @throws InterruptedException if interrupted first (nothing is taken)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> receive(channel: ShardedChan<T>): Optional<T> =
        Bridge.callBlocking { channel.receiveOk().let { if (it.ok) Optional.of(it.value) else Optional.empty() } }
}
