package dev.conduit.java.pipeline

import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.java.internal.Bridge
import dev.conduit.pipeline.Completion
import dev.conduit.pipeline.Gathered
import dev.conduit.pipeline.gather
import java.time.Duration
import kotlin.time.toKotlinDuration

/** The multi-channel coordinator for Java: see `dev.conduit.pipeline.gather`. */
public object Gathers {
    /**
     * Takes one value from each of [sources], each within [perSourceTimeout], blocking until
     * [completion] is met.
     *
     * @throws dev.conduit.pipeline.GatherException as soon as [completion] can no longer be met
     * @throws IllegalArgumentException for no sources, a non-positive timeout, or a completion
     *   needing more answers than there are sources
     * @throws InterruptedException if interrupted first
     */
    @JvmStatic
    @Throws(Exception::class)
    public fun <T : Any> gather(sources: List<ReceiveChannel<T>>, perSourceTimeout: Duration, completion: Completion): Gathered<T> =
        Bridge.callBlocking { gather(sources.map { it.asChan() }, perSourceTimeout.toKotlinDuration(), completion) }
}
