package dev.conduit.java.pipeline

import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.pipeline.asFlow
import kotlinx.coroutines.jdk9.asPublisher
import java.util.concurrent.Flow

/**
 * Channels as `java.util.concurrent.Flow.Publisher`s, so they plug into Reactive Streams
 * consumers (JDK `SubmissionPublisher` users, Reactor, RxJava, Mutiny) with the subscriber's
 * demand as backpressure. The other direction is [Pipeline.fromPublisher].
 */
public object Publishers {
    /**
     * A publisher of [channel]'s items: each subscription receives from the channel, as demand
     * allows, until it closes (then `onComplete`). Items are shared between subscribers, not
     * repeated: a channel is consumed. Cancelling the subscription stops receiving. Never
     * blocks.
     */
    @JvmStatic
    public fun <T : Any> of(channel: ReceiveChannel<T>): Flow.Publisher<T> = channel.asChan().asFlow().asPublisher()
}
