package dev.conduit.net

import dev.conduit.chan.Chan
import dev.conduit.chan.ClosedChannelException
import dev.conduit.chan.select
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.cancelAndJoin
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds

/** Two clients of [node], one sending and one receiving on channel [name] of [capacity]: [block] gets both ends. */
private fun pair(node: ChannelNode, name: String, capacity: Int, block: (out: RemoteChan<String>, inn: RemoteChan<String>) -> Unit) {
    connect(node).use { a ->
        connect(node).use { b -> block(a.chan(name, capacity, Codecs.utf8()), b.chan(name, capacity, Codecs.utf8())) }
    }
}

class RemoteChanTest : FunSpec({
    val node = startNode()
    afterSpec { node.close() }

    test("a buffered remote channel carries values in order and reports len and cap from the node") {
        connect(node).use { client ->
            val ch = client.chan("buffered", 8, Codecs.utf8())
            bounded {
                for (i in 1..5) ch.send("v$i")
                ch.cap shouldBe 8
                ch.len shouldBe 5
                node.len("buffered") shouldBe 5
                (1..5).map { ch.receive() } shouldContainExactly (1..5).map { "v$it" }
                ch.len shouldBe 0
            }
        }
    }

    test("backpressure: a send into a full channel waits until a receiver frees a slot") {
        connect(node).use { producer ->
            connect(node).use { consumer ->
                val out = producer.chan("full", 2, Codecs.utf8())
                val inn = consumer.chan("full", 2, Codecs.utf8())
                bounded {
                    out.send("a")
                    out.send("b")
                    out.trySend("c") shouldBe false
                    coroutineScope {
                        val third = async { out.send("c") }
                        // Once the node holds its credit request with no room, the send can only
                        // finish after a receive.
                        awaitUntil { node.channel("full")!!.waitingSenders == 1 }
                        node.len("full") shouldBe 2
                        third.isCompleted shouldBe false
                        inn.receive() shouldBe "a"
                        third.await()
                    }
                    inn.receive() shouldBe "b"
                    inn.receive() shouldBe "c"
                }
            }
        }
    }

    test("a send returns only once the node holds its value, also when it waited for its credit") {
        // With no send window every send waits for a credit, and the credit's arrival wakes the
        // sender on its own thread while the network thread still numbers the value: a send that
        // read its sequence number too early returned before the node had it.
        connect(node).use { client ->
            val ch = client.chan("acked", 4000, Codecs.utf8())
            val returned = AtomicInteger()
            bounded {
                coroutineScope {
                    repeat(8) {
                        launch(Dispatchers.Default) {
                            repeat(400) {
                                ch.send("v")
                                val atLeast = returned.incrementAndGet()
                                node.channel("acked")!!.sent shouldBeGreaterThanOrEqual atLeast.toLong()
                            }
                        }
                    }
                }
            }
            node.len("acked") shouldBe 3200
        }
    }

    test("an unbuffered remote channel is a rendezvous: send returns once a receiver took the value") {
        pair(node, "rendezvous", 0) { out, inn ->
            bounded {
                coroutineScope {
                    val sent = async { out.send("x"); "sent" }
                    node.len("rendezvous") shouldBe 0
                    inn.receive() shouldBe "x"
                    sent.await() shouldBe "sent"
                }
            }
        }
    }

    test("close reaches every client: receivers drain, then see closed; sends fail") {
        pair(node, "closing", 4) { out, inn ->
            bounded {
                out.send("last")
                out.close()
                shouldThrow<ClosedChannelException> { out.send("late") }
                inn.receive() shouldBe "last"
                inn.receiveOk().ok shouldBe false
                shouldThrow<IllegalStateException> { inn.close() }.message shouldContain "close of closed channel"
            }
        }
    }

    test("10,000 numbered values from 3 producers to 3 consumers: each exactly once, per-producer order kept") {
        val clients = (1..6).map { connect(node) { sendWindow(32).prefetch(16) } }
        try {
            val outs = clients.take(3).map { it.chan("numbers", 64, Codecs.utf8()) }
            val ins = clients.drop(3).map { it.chan("numbers", 64, Codecs.utf8()) }
            val per = 3334
            val got = bounded(onTimeout = { println("DEBUG " + node.channel("numbers") + outs + ins) }) {
                coroutineScope {
                    for ((p, ch) in outs.withIndex()) launch { for (i in 1..per) ch.send("$p:$i") }
                    val total = 3 * per
                    val counter = java.util.concurrent.atomic.AtomicInteger()
                    val done = Chan<Unit>()
                    ins.map { ch ->
                        async {
                            val mine = ArrayList<String>()
                            while (true) {
                                val r = select<String?> {
                                    ch.onReceive { it }
                                    done.onReceiveOk { null }
                                } ?: break
                                mine += r
                                if (counter.incrementAndGet() == total) done.close()
                            }
                            mine
                        }
                    }.awaitAll()
                }
            }
            val all = got.flatten()
            all.size shouldBe 3 * per
            all.toSet().size shouldBe 3 * per
            for (consumer in got) {
                for (p in 0..2) {
                    val seqs = consumer.filter { it.startsWith("$p:") }.map { it.substringAfter(':').toInt() }
                    seqs shouldBe seqs.sorted()
                }
            }
        } finally {
            clients.forEach { it.close() }
        }
    }

    test("a select mixes a local and a remote channel, receive and send cases") {
        connect(node).use { client ->
            val remote = client.chan("mixed", 1, Codecs.utf8())
            val local = Chan<String>(1)
            bounded {
                local.send("local")
                remote.send("remote")
                val seen = HashSet<String>()
                repeat(2) {
                    seen += select<String> {
                        local.onReceive { it }
                        remote.onReceive { it }
                    }
                }
                seen shouldBe setOf("local", "remote")
                // A send case on the remote channel, the local one full.
                local.send("fill")
                val which = select<String> {
                    local.onSend("blocked") { "local" }
                    remote.onSend("via-select") { "remote" }
                }
                which shouldBe "remote"
                remote.receive() shouldBe "via-select"
            }
        }
    }

    test("a receive cancelled or timed out while waiting takes nothing: the next receive gets the value") {
        pair(node, "withdrawn-receive", 4) { out, inn ->
            bounded {
                coroutineScope {
                    val waiting = launch { inn.receive() }
                    awaitUntil { node.channel("withdrawn-receive")!!.waitingReceivers == 1 }
                    waiting.cancelAndJoin()
                    awaitUntil { node.channel("withdrawn-receive")!!.waitingReceivers == 0 }
                }
                select<String> {
                    inn.onReceive { it }
                    onTimeout(50.milliseconds) { "timed out" }
                } shouldBe "timed out"
                out.send("kept")
                inn.receive() shouldBe "kept"
                awaitUntil { node.channel("withdrawn-receive")!!.received == 1L }
                node.channel("withdrawn-receive")!!.inFlight shouldBe 0
            }
        }
    }

    test("a send cancelled while the channel is full is not sent") {
        connect(node).use { a ->
            val ch = a.chan("withdrawn-send", 1, Codecs.utf8())
            bounded {
                ch.send("first")
                coroutineScope {
                    val blocked = launch { ch.send("second") }
                    awaitUntil { node.channel("withdrawn-send")!!.waitingSenders == 1 }
                    blocked.cancelAndJoin()
                    awaitUntil { node.channel("withdrawn-send")!!.waitingSenders == 0 }
                }
                ch.receive() shouldBe "first"
                ch.send("third")
                ch.receive() shouldBe "third"
                node.channel("withdrawn-send")!!.sent shouldBe 2
            }
        }
    }
})
