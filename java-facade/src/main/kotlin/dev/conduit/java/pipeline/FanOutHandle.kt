package dev.conduit.java.pipeline

import dev.conduit.java.chan.Chans
import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.java.internal.Bridge
import dev.conduit.pipeline.FanOut
import dev.conduit.pipeline.ItemFailure
import java.util.concurrent.CompletableFuture

/** A running fan-out for Java (see [Pipeline.fanOut]): its results, failures and outcome. */
public class FanOutHandle<T : Any, R : Any> internal constructor(private val fan: FanOut<T, R>) {
    /** Each successful result; closes when the fan-out ends. */
    public fun results(): ReceiveChannel<R> = Chans.receiving(fan.results)

    /** The inputs that failed so far. Never blocks. */
    public fun failures(): List<ItemFailure<T>> = fan.failures()

    /**
     * Blocks until every worker has ended (drain [results] meanwhile).
     *
     * @throws dev.conduit.pipeline.FanOutException listing every failed input with its cause
     * @throws InterruptedException if interrupted first (the fan-out keeps running)
     */
    @Throws(Exception::class)
    public fun await() {
        Bridge.callBlocking { fan.await() }
    }

    /**
     * Completes when every worker has ended: normally, or with a
     * [dev.conduit.pipeline.FanOutException] listing every failed input. Cancelling the future
     * stops waiting, not the fan-out. Never blocks.
     */
    public fun awaitAsync(): CompletableFuture<Void?> = Bridge.call { fan.await(); null }

    /** Stops the fan-out; [results] closes. Never blocks. */
    public fun cancel() {
        fan.cancel()
    }
}
