package dev.conduit.java.internal

import dev.conduit.chan.ReceiveChan
import dev.conduit.pipeline.Broadcast
import dev.conduit.pipeline.Completion
import dev.conduit.pipeline.FanOut
import dev.conduit.pipeline.FanOutException
import dev.conduit.pipeline.GatherException
import dev.conduit.pipeline.Gathered
import dev.conduit.pipeline.WorkStealingPool
import dev.conduit.pipeline.gather
import java.time.Duration
import java.util.concurrent.CompletableFuture
import kotlin.time.toKotlinDuration

/**
 * The suspending calls of the pipeline patterns, bridged for the Java facade types (which
 * cannot call `suspend` functions): blocking forms through [Bridge.callBlocking], futures
 * through [Bridge.call]. The Java types check the arguments first.
 */
internal object PipelineCalls {
    /** [Broadcast.publish], blocking. @throws InterruptedException if interrupted first. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T : Any> publish(broadcast: Broadcast<T>, item: T) {
        Bridge.callBlocking { broadcast.publish(item) }
    }

    /** [Broadcast.publish] as a future. Never blocks. */
    @JvmStatic
    fun <T : Any> publishAsync(broadcast: Broadcast<T>, item: T): CompletableFuture<Void?> =
        Bridge.call {
            broadcast.publish(item)
            null
        }

    /** [WorkStealingPool.submit], blocking. @throws InterruptedException if interrupted first. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T : Any> submit(pool: WorkStealingPool<T>, item: T) {
        Bridge.callBlocking { pool.submit(item) }
    }

    /** [WorkStealingPool.submitTo], blocking. @throws InterruptedException if interrupted first. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T : Any> submitTo(pool: WorkStealingPool<T>, worker: Int, item: T) {
        Bridge.callBlocking { pool.submitTo(worker, item) }
    }

    /** [WorkStealingPool.join], blocking. @throws InterruptedException if interrupted first. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun join(pool: WorkStealingPool<*>) {
        Bridge.callBlocking { pool.join() }
    }

    /** [FanOut.await], blocking. @throws FanOutException, InterruptedException. */
    @JvmStatic
    @Throws(FanOutException::class, InterruptedException::class)
    fun await(fan: FanOut<*, *>) {
        Bridge.callBlocking { fan.await() }
    }

    /** [FanOut.await] as a future. Never blocks. */
    @JvmStatic
    fun awaitAsync(fan: FanOut<*, *>): CompletableFuture<Void?> =
        Bridge.call {
            fan.await()
            null
        }

    /** [gather], blocking. @throws GatherException, InterruptedException. */
    @JvmStatic
    @Throws(GatherException::class, InterruptedException::class)
    fun <T : Any> gather(sources: List<ReceiveChan<T>>, perSourceTimeout: Duration, completion: Completion): Gathered<T> =
        Bridge.callBlocking { gather(sources, perSourceTimeout.toKotlinDuration(), completion) }

    /** [gather] as a future. Never blocks. */
    @JvmStatic
    fun <T : Any> gatherAsync(sources: List<ReceiveChan<T>>, perSourceTimeout: Duration, completion: Completion): CompletableFuture<Gathered<T>> =
        Bridge.call { gather(sources, perSourceTimeout.toKotlinDuration(), completion) }
}
