package dev.conduit.net

import dev.conduit.net.proto.Hello
import dev.conduit.net.proto.NodeFrame
import dev.conduit.net.proto.Open
import dev.conduit.net.proto.Pull
import dev.conduit.net.proto.Release
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.time.Duration
import java.util.UUID
import kotlin.time.Duration.Companion.seconds

private fun hello(session: String) = frameOf { setHello(Hello.newBuilder().setSessionId(session)) }
private fun open(name: String, acked: Long = 0, released: List<Long> = emptyList()) =
    frameOf {
        setOpen(
            Open.newBuilder().setHandle(1).setName(name).setCapacity(10).setDurable(true).setProducer("raw-consumer")
                .setAckedDelivery(acked).addAllReleased(released),
        )
    }
private fun pull(n: Int) = frameOf { setPull(Pull.newBuilder().setHandle(1).setCount(n)) }
private fun release(vararg ids: Long) = frameOf { setRelease(Release.newBuilder().setHandle(1).addAllDeliveries(ids.toList())) }

/** The payloads of the next [n] deliveries on [s], by delivery number. */
private fun RawStream.deliveries(n: Int): Map<Long, String> =
    (1..n).associate { next(NodeFrame.KindCase.DELIVER).deliver.let { d -> d.delivery to d.payload.toStringUtf8() } }

/**
 * A consumer's session across a broken stream and across a restart of its node, frame by frame:
 * what it took is not delivered again, what it released or had not taken goes back, even when
 * its Release never reached the node or the node's disk.
 */
class SessionRecoveryTest : FunSpec({
    /** A durable channel [name] on a node of [dir] holding a, b, c. */
    fun filled(dir: java.nio.file.Path, name: String, configure: NodeConfig.Builder.() -> Unit = {}): ChannelNode {
        val node = startNode { dataDir(dir).apply(configure) }
        connect(node).use { c ->
            val ch = c.chan(name, 10, Codecs.utf8(), durable = true)
            bounded { for (v in listOf("a", "b", "c")) ch.send(v) }
        }
        return node
    }

    test("a Release lost with its stream: the resumed session names it, and the value goes back instead of counting as taken") {
        val node = filled(tempDir("conduit-lost-release"), "lost")
        node.use {
            val session = UUID.randomUUID().toString()
            RawStream(node.port, TOKEN).use { s ->
                s.send(hello(session), open("lost"), pull(3))
                s.deliveries(3) shouldBe mapOf(1L to "a", 2L to "b", 3L to "c")
                // The client released 2 and took 1 and 3; the stream broke before the node heard.
            }
            // Whether or not the node saw that stream end yet, a new stream with the session's id takes it over.
            RawStream(node.port, TOKEN).use { s ->
                s.send(hello(session))
                s.next(NodeFrame.KindCase.WELCOME).welcome.resumed shouldBe true
                s.send(open("lost", acked = 3, released = listOf(2)))
                s.next(NodeFrame.KindCase.OPENED).opened.resumed shouldBe true
                bounded { awaitUntil { node.channel("lost")!!.len == 1 } }
                s.send(pull(1))
                s.deliveries(1) shouldBe mapOf(4L to "b")
                node.channel("lost")!!.received shouldBe 2
            }
        }
    }

    test("a client that cancels its stream is seen at once (not after the heartbeat's silence): its session is suspended and, not resumed, gives back what it held") {
        filled(tempDir("conduit-cancelled"), "cancelled") { sessionGrace(Duration.ofMillis(100)) }.use { node ->
            RawStream(node.port, TOKEN).use { s ->
                s.send(hello(UUID.randomUUID().toString()), open("cancelled"), pull(2))
                s.deliveries(2)
                node.channel("cancelled")!!.inFlight shouldBe 2
            }
            // The node's heartbeat is 5 s (silence: 15 s); the cancelled call must not wait for that.
            bounded(5.seconds) { awaitUntil { node.channel("cancelled")!!.len == 3 } }
            node.sessions() shouldBe 0
        }
    }

    test("a node restarted from its data directory resumes its consumers' sessions: nothing taken comes again, nothing released or untaken is lost") {
        val dir = tempDir("conduit-restored-session")
        val session = UUID.randomUUID().toString()
        val port: Int
        filled(dir, "restored").use { node ->
            port = node.port
            RawStream(node.port, TOKEN).use { s ->
                s.send(hello(session), open("restored"), pull(3))
                s.deliveries(3) shouldBe mapOf(1L to "a", 2L to "b", 3L to "c")
                s.send(release(2))
                s.next(NodeFrame.KindCase.RELEASED).released.deliveriesList shouldBe listOf(2L)
            }
        }
        startNode { dataDir(dir).port(port) }.use { node ->
            // Delivered and not acknowledged: held for the session, not handed to anyone else.
            node.sessions() shouldBe 1
            node.channel("restored")!!.len shouldBe 1
            RawStream(node.port, TOKEN).use { s ->
                s.send(hello(session))
                s.next(NodeFrame.KindCase.WELCOME).welcome.resumed shouldBe true
                s.send(open("restored", acked = 3))
                s.next(NodeFrame.KindCase.OPENED).opened.resumed shouldBe true
                s.send(pull(2))
                // The release reached the log before Released was sent: b is back; a and c were taken.
                s.deliveries(1).values.toList() shouldBe listOf("b")
                node.channel("restored")!!.let { it.len shouldBe 0; it.inFlight shouldBe 1 }
            }
        }
    }

    test("a restored session its client never resumes gives its deliveries back after the session grace") {
        val dir = tempDir("conduit-abandoned-session")
        val port: Int
        filled(dir, "abandoned").use { node ->
            port = node.port
            RawStream(node.port, TOKEN).use { s ->
                s.send(hello(UUID.randomUUID().toString()), open("abandoned"), pull(2))
                s.deliveries(2)
            }
        }
        startNode { dataDir(dir).port(port).sessionGrace(Duration.ofMillis(100)) }.use { node ->
            bounded { awaitUntil { node.sessions() == 0 } }
            node.channel("abandoned")!!.let { it.len shouldBe 3; it.inFlight shouldBe 0 }
            connect(node).use { c ->
                val ch = c.chan("abandoned", 10, Codecs.utf8(), durable = true)
                bounded { listOf(ch.receive(), ch.receive(), ch.receive()) } shouldBe listOf("a", "b", "c")
            }
        }
    }
})

