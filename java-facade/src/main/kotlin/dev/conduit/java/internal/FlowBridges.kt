package dev.conduit.java.internal

import dev.conduit.chan.ReceiveChan
import dev.conduit.pipeline.asFlow
import kotlinx.coroutines.jdk9.asPublisher
import java.util.concurrent.Flow

/**
 * `java.util.concurrent.Flow` bridges for the Java facade, declared in Kotlin: the Kotlin
 * compiler, reading the facade's Java sources on a newer JDK with `-Xjdk-release=17` (seen on
 * JDK 25), does not resolve `Flow`'s nested types there, so no Kotlin class may override a Java
 * method that names them.
 */
internal object FlowBridges {
    /** [chan] as a publisher: each subscription receives from it as demand allows. Never blocks. */
    @JvmStatic
    fun <T : Any> publisherOf(chan: ReceiveChan<T>): Flow.Publisher<T> = chan.asFlow().asPublisher()
}
