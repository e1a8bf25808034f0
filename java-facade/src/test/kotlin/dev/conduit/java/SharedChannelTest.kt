package dev.conduit.java

import dev.conduit.chan.select
import dev.conduit.java.chan.BatchChannel
import dev.conduit.java.chan.Channel
import dev.conduit.java.chan.PriorityChannel
import dev.conduit.java.chan.ShardedChannel
import dev.conduit.java.pipeline.Broadcast
import dev.conduit.pipeline.Overflow
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Test
import java.time.Duration
import kotlin.time.Duration.Companion.seconds

/** A channel made in Java is the same channel in Kotlin code and in a Kotlin select, and back. */
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

    @Test
    fun priorityValuesSentOnEitherSideAreServedByPriorityOnTheOther() = runBlocking {
        val java = PriorityChannel.create<String>(3, 8, Duration.ofHours(1))
        val kotlin = java.unwrap()
        assertSame(kotlin, PriorityChannel.wrap(kotlin).unwrap())
        java.send("java low", 0)
        kotlin.send("kotlin high", 2) // a suspending Kotlin send at a priority
        assertEquals("kotlin high", java.receive())
        assertEquals("java low", withTimeout(10.seconds) { kotlin.receive() })
    }

    @Test
    fun aShardedChannelKeyedInJavaIsOneSelectCaseInKotlin() = runBlocking {
        val java = ShardedChannel.create<Int>(4, 2)
        java.send(7, "account-7")
        val got = withTimeout(10.seconds) { select<Int> { java.unwrap().onReceive { it } } }
        assertEquals(7, got)
        java.unwrap().send(8, "account-8")
        assertEquals(8, java.receive())
    }

    @Test
    fun batchesFilledInJavaAreReceivedInKotlin() = runBlocking {
        val java = BatchChannel.create<String>(2, Duration.ofHours(1))
        java.send("a")
        java.unwrap().send("b") // a Kotlin send completes the batch
        assertEquals(listOf("a", "b"), withTimeout(10.seconds) { java.unwrap().receiveList() })
        java.close()
    }

    @Test
    fun aKotlinBroadcastPublishedToFromJava() = runBlocking {
        val kotlin = dev.conduit.pipeline.Broadcast<String>()
        val java = Broadcast.wrap(kotlin)
        assertSame(kotlin, java.unwrap())
        val sub = kotlin.subscribe("kotlin side", 4, Overflow.BLOCK)
        java.publish("from Java")
        assertEquals("from Java", withTimeout(10.seconds) { sub.items.receive() })
        assertSame(sub, java.subscriptions().single().unwrap())
    }
}
