package dev.conduit.net

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch

/** A peer in a JVM of its own, its stdout lines collected as they come. */
private class Peer(vararg args: String) {
    val lines = CopyOnWriteArrayList<String>()
    val process: Process = ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PeerMain::class.java.name, *args,
    ).redirectError(ProcessBuilder.Redirect.INHERIT).start()

    init {
        thread(isDaemon = true) {
            try {
                process.inputStream.bufferedReader().forEachLine { lines += it }
            } catch (_: java.io.IOException) {
                // the process was killed: its output ends here
            }
        }
    }

    fun numbers(prefix: String): List<Int> = lines.filter { it.startsWith(prefix) }.map { it.substringAfter(' ').toInt() }
}

class SecondJvmTest : FunSpec({
    test("a producer JVM killed with destroyForcibly mid-stream: every send it saw accepted arrives, once, in order") {
        startNode().use { node ->
            val producer = Peer("produce", node.address, TOKEN, "from-peer", "100000")
            connect(node) { prefetch(16) }.use { client ->
                val ch = client.chan("from-peer", 64, Codecs.utf8())
                val got = ArrayList<Int>()
                bounded {
                    while (got.size < 3000) got += ch.receive().toInt()
                    producer.process.destroyForcibly().waitFor()
                    val acked = producer.numbers("ACKED").maxOrNull() ?: 0
                    // Everything the node accepted from it is in the channel: drain until the last one acknowledged, then the rest.
                    while (got.last() < acked || node.channel("from-peer")!!.len > 0) got += ch.receive().toInt()
                    got.shouldContainAll((1..acked).toList())
                    got shouldBe (1..got.last()).toList()
                    println("killed producer: $acked acknowledged to it, ${got.size} received, ${node.channel("from-peer")}")
                }
            }
        }
    }

    test("a consumer JVM killed mid-stream: what it had not acknowledged goes back to the channel, nothing is lost") {
        startNode { sessionGrace(Duration.ofMillis(200)) }.use { node ->
            connect(node) { sendWindow(32) }.use { client ->
                val ch = client.chan("to-peer", 64, Codecs.utf8())
                val consumer = Peer("consume", node.address, TOKEN, "to-peer")
                val total = 5000
                val got = ArrayList<Int>()
                bounded {
                    coroutineScope {
                        launch { for (i in 1..total) ch.send(i.toString()) }
                        awaitUntil { consumer.lines.size >= 1000 }
                        consumer.process.destroyForcibly().waitFor()
                        val printed = consumer.numbers("GOT")
                        while ((got + printed).toSet().size < total) got += ch.receive().toInt()
                    }
                    val peerGot = consumer.numbers("GOT")
                    val all = got + peerGot
                    all.toSet() shouldBe (1..total).toSet()
                    // Only values it had taken when it died, whose acknowledgement had not reached the node, come twice.
                    (all.size - total) shouldBeLessThanOrEqual 64
                    println("killed consumer: it printed ${peerGot.size}, the survivor got ${got.size}, ${all.size - total} twice; ${node.channel("to-peer")}")
                }
            }
        }
    }
})
