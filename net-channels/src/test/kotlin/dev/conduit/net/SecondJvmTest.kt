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
import dev.conduit.chan.select
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** A peer in a JVM of its own, its stdout lines collected as they come. */
private class Peer(vararg args: String) {
    val lines = CopyOnWriteArrayList<String>()
    val process: Process = ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PeerMain::class.java.name, *args,
    ).redirectError(ProcessBuilder.Redirect.INHERIT).start()

    private val reader: Thread

    init {
        reader = thread(isDaemon = true) {
            try {
                process.inputStream.bufferedReader().forEachLine { lines += it }
            } catch (_: java.io.IOException) {
                // the process was killed: its output ends here
            }
        }
    }

    /** Kills the process and waits until everything it printed has been read. */
    fun kill() {
        process.destroyForcibly().waitFor()
        reader.join(10_000)
    }

    fun numbers(prefix: String): List<Int> = lines.filter { it.startsWith(prefix) }.map { it.substringAfter(' ').toInt() }
}

class SecondJvmTest : FunSpec({
    test("a node JVM killed with destroyForcibly mid-stream and restarted on its data directory: a durable channel's 10,000 values arrive exactly once, in order") {
        val dir = tempDir("conduit-killed-node")
        val port = java.net.ServerSocket(0).use { it.localPort }
        fun nodeJvm() = Peer("node", port.toString(), TOKEN, dir.toString()).also { p ->
            bounded { awaitUntil { p.lines.isNotEmpty() || !p.process.isAlive } }
            check(p.lines.firstOrNull() == "LISTENING $port") { "the node JVM did not start: ${p.lines}" }
        }
        var node = nodeJvm()
        val n = 10_000
        try {
            val fast: RemoteClientOptions.Builder.() -> Unit = { initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(100)) }
            connect("127.0.0.1:$port") { fast(); sendWindow(32) }.use { producer ->
                connect("127.0.0.1:$port") { fast(); prefetch(16) }.use { consumer ->
                    val out = producer.chan("jobs", 256, Codecs.utf8(), durable = true)
                    val inn = consumer.chan("jobs", 256, Codecs.utf8(), durable = true)
                    val got = ArrayList<Int>(n)
                    bounded(90.seconds) {
                        coroutineScope {
                            launch { for (i in 1..n) out.send(i.toString()) }
                            while (got.size < n) {
                                got += inn.receive().toInt()
                                if (got.size == 3000) {
                                    node.kill()
                                    node = nodeJvm()
                                }
                            }
                        }
                    }
                    got shouldBe (1..n).toList()
                    println("killed node: ${got.size} received exactly once across the kill; consumer connected ${consumer.connections}x, producer ${producer.connections}x")
                }
            }
        } finally {
            node.kill()
        }
    }


    test("a producer JVM killed with destroyForcibly mid-stream: every send it saw accepted arrives, once, in order") {
        startNode().use { node ->
            val producer = Peer("produce", node.address, TOKEN, "from-peer", "100000")
            connect(node) { prefetch(16) }.use { client ->
                val ch = client.chan("from-peer", 64, Codecs.utf8())
                val got = ArrayList<Int>()
                bounded {
                    while (got.size < 3000) got += ch.receive().toInt()
                    producer.kill()
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
                        consumer.kill()
                        // Until every value the node accepted was acknowledged by one consumer or the other.
                        while (node.channel("to-peer")!!.received < total) {
                            select<Unit> {
                                ch.onReceive { got += it.toInt() }
                                onTimeout(100.milliseconds) {}
                            }
                        }
                    }
                    val peerGot = consumer.numbers("GOT")
                    val all = got + peerGot
                    val info = node.channel("to-peer")!!
                    info.sent shouldBe total.toLong()
                    info.inFlight shouldBe 0
                    (1..total).toSet().containsAll(all) shouldBe true
                    // At most the value it took (and acknowledged) but was killed before printing is missing from the two lists.
                    (total - all.toSet().size) shouldBeLessThanOrEqual 1
                    // Only values it had taken when it died, whose acknowledgement had not reached the node, come twice.
                    (all.size - all.toSet().size) shouldBeLessThanOrEqual 64
                    println("killed consumer: it printed ${peerGot.size}, the survivor got ${got.size}, ${all.size - total} twice; ${node.channel("to-peer")}")
                }
            }
        }
    }
})
