package dev.conduit.java

import dev.conduit.java.chan.Channel
import dev.conduit.chan.select
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import kotlin.time.Duration.Companion.seconds

/** A channel made in Java is the same channel in Kotlin code and in a Kotlin select. */
class SharedChannelTest {
    @Test
    fun javaSendersAndKotlinSelectShareOneChannel() = runBlocking {
        val fromJava = Channel.create<String>(1)
        val other = Channel.create<String>()
        Go.go { fromJava.send("hello from a Java thread") }
        val got = withTimeout(10.seconds) {
            select<String> {
                fromJava.unwrap().onReceive { it }
                other.unwrap().onReceive { "wrong" }
            }
        }
        assertEquals("hello from a Java thread", got)
        fromJava.unwrap().trySend("back") // a Kotlin send
        assertEquals("back", fromJava.tryReceive().orElseThrow())
    }
}
