package dev.conduit.net

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.time.Duration

/** Real faults between real clients and a real node on loopback: nothing acknowledged is lost. */
class FaultTest : FunSpec({
    val n = 10_000

    fun fastReconnect(b: RemoteClientOptions.Builder) {
        b.initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(100)).requestTimeout(Duration.ofSeconds(5))
    }

    test("connections cut by a TCP proxy three times mid-stream: 10,000 values arrive exactly once, in order") {
        startNode().use { node ->
            TcpProxy("127.0.0.1", node.port).use { proxy ->
                connect(proxy.address) { fastReconnect(this); sendWindow(64) }.use { producer ->
                    connect(proxy.address) { fastReconnect(this); prefetch(32) }.use { consumer ->
                        val out = producer.chan("cut", 128, Codecs.utf8())
                        val inn = consumer.chan("cut", 128, Codecs.utf8())
                        val got = bounded(onTimeout = { println("DEBUG ${node.channel("cut")} $out $inn") }) {
                            coroutineScope {
                                launch { for (i in 1..n) out.send(i.toString()) }
                                val got = ArrayList<Int>(n)
                                while (got.size < n) {
                                    got += inn.receive().toInt()
                                    if (got.size == 2000 || got.size == 5000 || got.size == 8000) proxy.cut() shouldBeGreaterThan 0
                                }
                                got
                            }
                        }
                        got shouldBe (1..n).toList()
                        producer.connections shouldBeGreaterThan 3
                        consumer.connections shouldBeGreaterThan 3
                        println("cut test: $n values, producer connected ${producer.connections}x, consumer ${consumer.connections}x, ${node.channel("cut")}")
                    }
                }
            }
        }
    }

    test("a silent connection (packets stop, nothing closes) is found by heartbeats and replaced") {
        startNode { heartbeat(Duration.ofMillis(100)) }.use { node ->
            TcpProxy("127.0.0.1", node.port).use { proxy ->
                connect(proxy.address) { fastReconnect(this).also { requestTimeout(Duration.ofMillis(500)) } }.use { client ->
                    val ch = client.chan("silent", 4, Codecs.utf8())
                    bounded {
                        ch.send("before")
                        proxy.freeze()
                        coroutineScope {
                            val late = async { ch.send("during") }
                            // The client finds the silence within 3 heartbeats and drops the connection.
                            awaitUntil { proxy.connectionsMade >= 2 }
                            proxy.thaw()
                            late.await()
                        }
                        node.channel("silent")!!.len shouldBe 2
                        ch.receive() shouldBe "before"
                        ch.receive() shouldBe "during"
                    }
                }
            }
        }
    }

    test("a durable channel on a node stopped and restarted mid-stream: 10,000 values arrive exactly once, in order") {
        val dir = tempDir("conduit-durable")
        var node = startNode { dataDir(dir) }
        val port = node.port
        try {
            connect(node) { fastReconnect(this); sendWindow(32) }.use { producer ->
                connect(node) { fastReconnect(this); prefetch(16) }.use { consumer ->
                    val out = producer.chan("jobs", 256, Codecs.utf8(), durable = true)
                    val inn = consumer.chan("jobs", 256, Codecs.utf8(), durable = true)
                    val got = bounded(60.kotlinSeconds()) {
                        coroutineScope {
                            launch { for (i in 1..n) out.send(i.toString()) }
                            val got = ArrayList<Int>(n)
                            while (got.size < n) {
                                got += inn.receive().toInt()
                                if (got.size == 3000) {
                                    node.close()
                                    node = startNode { dataDir(dir).port(port) }
                                }
                            }
                            got
                        }
                    }
                    // The consumer's session came back from the log: what it had taken is not delivered again.
                    got shouldBe (1..n).toList()
                    println("restart test (durable): ${got.size} received exactly once, ${node.channel("jobs")}")
                }
            }
        } finally {
            node.close()
        }
    }

    test("a non-durable channel loses its buffer with its node; clients reconnect and go on") {
        var node = startNode()
        val port = node.port
        try {
            connect(node) { fastReconnect(this) }.use { client ->
                val ch = client.chan("volatile", 100, Codecs.utf8())
                bounded {
                    for (i in 1..50) ch.send("v$i")
                    node.close()
                    node = startNode { port(port) }
                    ch.send("after")
                    ch.len shouldBe 1
                    ch.receive() shouldBe "after"
                }
            }
        } finally {
            node.close()
        }
    }

    test("a slow consumer: the producer waits, the node never holds more than the capacity") {
        startNode().use { node ->
            connect(node) { sendWindow(8) }.use { producer ->
                connect(node).use { consumer ->
                    val out = producer.chan("slow", 100, Codecs.bytes())
                    val inn = consumer.chan("slow", 100, Codecs.bytes())
                    val value = ByteArray(1024)
                    bounded {
                        coroutineScope {
                            val sending = launch { repeat(n) { out.send(value) } }
                            var received = 0
                            while (received < n) {
                                // Take a burst only once the producer is stuck on a full channel.
                                if (received % 1000 == 0) awaitUntil { sending.isCompleted || node.channel("slow")!!.waitingSenders > 0 }
                                node.channel("slow")!!.len shouldBeLessThanOrEqual 100
                                inn.receive().size shouldBe 1024
                                received++
                            }
                        }
                    }
                }
            }
        }
    }
})

private fun Int.kotlinSeconds(): kotlin.time.Duration = kotlin.time.Duration.parse("${this}s")
