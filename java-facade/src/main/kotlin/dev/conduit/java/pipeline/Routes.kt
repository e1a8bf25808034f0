package dev.conduit.java.pipeline

import dev.conduit.java.chan.Chans
import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.pipeline.DeadLetter
import dev.conduit.pipeline.Router

/** The outputs of a Java multiplexer ([Pipeline.multiplex], [Pipeline.multiplexByKey]). */
public class Routes<K : Any, T : Any> internal constructor(private val router: Router<K, T>) {
    /** The route keys, in declaration order. */
    public fun keys(): Set<K> = router.routes

    /**
     * The output of route [key].
     *
     * @throws IllegalArgumentException if there is no such route
     */
    public fun get(key: K): ReceiveChannel<T> = Chans.receiving(router[key])

    /** Messages no route took, with the reason. */
    public fun deadLetters(): ReceiveChannel<DeadLetter<T>> = Chans.receiving(router.deadLetters)
}
