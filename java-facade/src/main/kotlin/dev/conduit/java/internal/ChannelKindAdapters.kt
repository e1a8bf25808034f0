package dev.conduit.java.internal

import dev.conduit.chan.Batch
import dev.conduit.chan.ShardedChan
import dev.conduit.context.Context
import dev.conduit.java.chan.BatchChannel
import dev.conduit.java.chan.Channel
import dev.conduit.java.chan.PriorityChannel
import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.java.chan.ShardedChannel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import java.time.Duration
import java.util.concurrent.CompletableFuture
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration
import dev.conduit.chan.BatchChannel as CoreBatchChannel
import dev.conduit.chan.PriorityChannel as CorePriorityChannel

/**
 * The Java face of a Kotlin [CorePriorityChannel]: a [Channel] by [ChannelAdapter] (sends
 * without a priority use the channel's default one), plus the sends at a priority, which park
 * the thread in the channel's own queue as every channel send does.
 */
internal class PriorityChannelAdapter<T : Any>(private val chan: CorePriorityChannel<T>) :
    PriorityChannel<T>,
    Channel<T> by ChannelAdapter(chan) {
    override fun send(value: T, priority: Int) {
        chan.sendBlocking(checkValue(value), priority, Long.MAX_VALUE, null)
    }

    override fun send(value: T, priority: Int, timeout: Duration) {
        if (!chan.sendBlocking(checkValue(value), priority, nanosOf(nonNull(timeout, "timeout")), null)) throw sendTimedOut(timeout)
    }

    override fun send(ctx: Context, value: T, priority: Int) {
        nonNull(ctx, "ctx")
        chan.sendBlocking(checkValue(value), priority, Long.MAX_VALUE, ctx)
    }

    override fun trySend(value: T, priority: Int): Boolean = chan.trySend(checkValue(value), priority)

    override fun sendAsync(value: T, priority: Int): CompletableFuture<Void?> = chan.sendFuture(checkValue(value), priority)

    override fun levels(): Int = chan.levels
    override fun agingStep(): Duration = chan.agingStep.toJavaDuration()
    override fun unwrap(): CorePriorityChannel<T> = chan
    override fun toString(): String = chan.toString()
}

/** The Java face of a Kotlin [ShardedChan]: a [Channel] by [ChannelAdapter], plus the keyed sends. */
internal class ShardedChannelAdapter<T : Any>(private val chan: ShardedChan<T>) :
    ShardedChannel<T>,
    Channel<T> by ChannelAdapter(chan) {
    override fun send(value: T, key: Any) {
        chan.sendBlocking(checkValue(value), nonNull(key, "key"), Long.MAX_VALUE, null)
    }

    override fun send(value: T, key: Any, timeout: Duration) {
        checkValue(value)
        nonNull(key, "key")
        if (!chan.sendBlocking(value, key, nanosOf(nonNull(timeout, "timeout")), null)) throw sendTimedOut(timeout)
    }

    override fun send(ctx: Context, value: T, key: Any) {
        nonNull(ctx, "ctx")
        chan.sendBlocking(checkValue(value), nonNull(key, "key"), Long.MAX_VALUE, ctx)
    }

    override fun trySend(value: T, key: Any): Boolean = chan.trySend(checkValue(value), nonNull(key, "key"))

    override fun sendAsync(value: T, key: Any): CompletableFuture<Void?> = chan.sendFuture(checkValue(value), nonNull(key, "key"))

    override fun lanes(): Int = chan.lanes
    override fun unwrap(): ShardedChan<T> = chan
    override fun toString(): String = chan.toString()
}

/**
 * The Java face of a Kotlin [CoreBatchChannel]: the [ReceiveChannel] of its batches by
 * [ReceiveAdapter], plus the item-by-item side: sends park in the channel's own queue; flush is
 * bridged.
 */
internal class BatchChannelAdapter<T : Any>(private val chan: CoreBatchChannel<T>) :
    BatchChannel<T>,
    ReceiveChannel<Batch<T>> by ReceiveAdapter(chan) {
    override fun send(item: T) {
        nonNull(item, "item")
        chan.sendBlocking(item)
    }

    override fun trySend(item: T): Boolean = chan.trySend(nonNull(item, "item"))

    override fun sendAsync(item: T): CompletableFuture<Void?> = chan.sendFuture(nonNull(item, "item"))

    override fun flush() {
        Bridge.callBlocking { chan.flush() }
    }

    override fun receiveList(): List<T> {
        val batch = receive()
        return batch.toList().also { batch.recycle() }
    }

    override fun close(): Unit = chan.close()
    override fun batchSize(): Int = chan.batchSize
    override fun maxLatency(): Duration = chan.maxLatency.toJavaDuration()
    override fun unwrap(): CoreBatchChannel<T> = chan
    override fun toString(): String = chan.toString()
}

/**
 * A Kotlin batch channel whose latency flusher runs on goroutine threads, in a scope of its own
 * that lives as long as the channel (the flusher ends once it is closed and drained). Never
 * blocks.
 *
 * @throws IllegalArgumentException for a non-positive size, capacity or latency.
 */
internal fun <T : Any> goBatchChannel(batchSize: Int, maxLatency: Duration, capacity: Int): CoreBatchChannel<T> =
    CoreBatchChannel(CoroutineScope(SupervisorJob() + GoThreads.dispatcher), batchSize, maxLatency.toKotlinDuration(), capacity)
