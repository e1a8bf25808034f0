package dev.conduit.java.ring

import dev.conduit.java.chan.Chans
import dev.conduit.java.internal.Bridge
import dev.conduit.java.internal.GoThreads
import dev.conduit.chan.Batch
import dev.conduit.chan.BatchChannel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import java.time.Duration
import kotlin.time.toKotlinDuration

/**
 * A [BatchChannel] for Java: blocking send, flush and receive. The channel's latency flusher
 * runs on goroutine threads and lives as long as the channel (it ends when the channel is
 * closed and drained).
 */
public object BatchChannels {
    /**
     * A batch channel of [batchSize] items whose partial batches leave [maxLatency] after their
     * first item; at most [capacity] full batches wait.
     *
     * @throws IllegalArgumentException for a non-positive size, capacity or latency
     */
    @JvmStatic
    @JvmOverloads
    public fun <T : Any> create(batchSize: Int, maxLatency: Duration, capacity: Int = 4): BatchChannel<T> =
        BatchChannel(CoroutineScope(SupervisorJob() + GoThreads.dispatcher), batchSize, maxLatency.toKotlinDuration(), capacity)

    /**
     * Adds [item]; blocks only when it completes a batch and [BatchChannel.capacity] full batches
     * already wait.
     *
     * @throws dev.conduit.chan.ClosedChannelException if the channel is closed
     * @throws InterruptedException if interrupted while blocked (the item is in the batch)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> send(channel: BatchChannel<T>, item: T) {
        Bridge.callBlocking { channel.send(item) }
    }

    /**
     * Sends the partial batch now, blocking as [send] may.
     *
     * @throws InterruptedException if interrupted while blocked
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> flush(channel: BatchChannel<T>) {
        Bridge.callBlocking { channel.flush() }
    }

    /**
     * Blocks for the next batch; call `recycle()` on it when done.
     *
     * @throws dev.conduit.chan.ClosedChannelException if closed and drained
     * @throws InterruptedException if interrupted first (nothing is taken)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> receive(channel: BatchChannel<T>): Batch<T> = Chans.receiving(channel).receive()

    /**
     * Blocks for the next batch as a list, or null once the channel is closed and drained.
     *
     * @throws InterruptedException if interrupted first (nothing is taken)
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun <T : Any> receiveList(channel: BatchChannel<T>): List<T>? {
        val r = Chans.receiving(channel).receiveOk()
        return if (r.ok) r.value.toList().also { r.value.recycle() } else null
    }
}
