package dev.conduit.net

import com.google.protobuf.ByteString
import dev.conduit.net.proto.Ack
import dev.conduit.net.proto.ClientFrame
import dev.conduit.net.proto.CreditRequest
import dev.conduit.net.proto.Hello
import dev.conduit.net.proto.NodeFrame
import dev.conduit.net.proto.Open
import dev.conduit.net.proto.Pull
import dev.conduit.net.proto.Send
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.UUID

private fun hello() = frameOf { setHello(Hello.newBuilder().setSessionId(UUID.randomUUID().toString())) }
private fun open(handle: Int, name: String, capacity: Int = 10) =
    frameOf { setOpen(Open.newBuilder().setHandle(handle).setName(name).setCapacity(capacity).setProducer("raw-$handle")) }
private fun send(handle: Int, seq: Long, text: String) =
    frameOf { setSend(Send.newBuilder().setHandle(handle).setSeq(seq).setPayload(ByteString.copyFromUtf8(text))) }
private fun credits(handle: Int, n: Int) = frameOf { setCreditRequest(CreditRequest.newBuilder().setHandle(handle).setCount(n)) }
private fun pull(handle: Int, n: Int) = frameOf { setPull(Pull.newBuilder().setHandle(handle).setCount(n)) }

/** The node's answers to bad clients: refused, and nothing stored or other clients' streams touched. */
class ProtocolTest : FunSpec({
    val node = startNode { maxChannelsPerClient(2).maxInFlightPerClient(100).maxFrameBytes(64 * 1024) }

    /** A well-behaved client's channel holding one value, checked after each bad stream. */
    val bystander = connect(node)
    val kept = bystander.chan("kept", 10, Codecs.utf8())
    bounded { kept.send("safe") }
    afterSpec {
        bystander.close()
        node.close()
    }

    fun bystanderUnaffected() {
        node.channel("kept")!!.len shouldBe 1
        bounded { kept.send("still-works") }
        bounded { kept.receive() } shouldBe "safe"
        bounded { kept.send("safe") }
        bounded { kept.receive() } shouldBe "still-works"
    }

    test("no token: UNAUTHENTICATED and not a single frame") {
        RawStream(node.port, null).use { s ->
            s.send(hello(), open(1, "kept"))
            s.endStatus().first shouldBe "UNAUTHENTICATED"
            s.frames.size shouldBe 0
        }
        RawStream(node.port, "wrong").use { s ->
            s.send(hello())
            s.endStatus().first shouldBe "UNAUTHENTICATED"
            s.frames.size shouldBe 0
        }
        val e = shouldThrow<RemoteChannelException> { RemoteChannels.connect(node.address, Credentials.token("wrong")) }
        e.code shouldBe "UNAUTHENTICATED"
        bystanderUnaffected()
    }

    test("a frame before Hello: INVALID_ARGUMENT, stream closed") {
        RawStream(node.port, TOKEN).use { s ->
            s.send(open(1, "kept"))
            val (status, message) = s.endStatus()
            status shouldBe "INVALID_ARGUMENT"
            message!! shouldContain "Hello"
        }
        bystanderUnaffected()
    }

    test("a send without a credit: INVALID_ARGUMENT, nothing stored") {
        RawStream(node.port, TOKEN).use { s ->
            s.send(hello(), open(1, "kept"), send(1, 1, "sneaked"))
            s.endStatus().first shouldBe "INVALID_ARGUMENT"
        }
        bystanderUnaffected()
    }

    test("a sequence number that does not increase: INVALID_ARGUMENT; the first value is kept") {
        RawStream(node.port, TOKEN).use { s ->
            s.send(hello(), open(1, "other"), credits(1, 2))
            s.next(NodeFrame.KindCase.CREDIT).credit.count shouldBe 2
            s.send(send(1, 5, "five"), send(1, 5, "five-again"))
            val (status, message) = s.endStatus()
            status shouldBe "INVALID_ARGUMENT"
            message!! shouldContain "not above"
        }
        node.channel("other")!!.len shouldBe 1
        bystanderUnaffected()
    }

    test("an ack of a value never delivered, an unknown handle: INVALID_ARGUMENT") {
        RawStream(node.port, TOKEN).use { s ->
            s.send(hello(), open(1, "kept"), frameOf { setAck(Ack.newBuilder().setHandle(1).setUpToDelivery(7)) })
            s.endStatus().first shouldBe "INVALID_ARGUMENT"
        }
        RawStream(node.port, TOKEN).use { s ->
            s.send(hello(), pull(9, 1))
            s.endStatus().second!! shouldContain "handle 9"
        }
        bystanderUnaffected()
    }

    test("limits: too many channels or values in flight are RESOURCE_EXHAUSTED and the stream goes on") {
        RawStream(node.port, TOKEN).use { s ->
            s.send(hello(), open(1, "a"), open(2, "b"), open(3, "c"))
            val err = s.next(NodeFrame.KindCase.ERROR).error
            err.handle shouldBe 3
            err.code shouldBe "RESOURCE_EXHAUSTED"
            s.send(pull(1, 101))
            s.next(NodeFrame.KindCase.ERROR).error.message shouldContain "maxInFlightPerClient"
            // Still open: a request within the limit is served.
            s.send(credits(1, 1))
            s.next(NodeFrame.KindCase.CREDIT).credit.count shouldBe 1
            s.ended.isDone shouldBe false
        }
        bystanderUnaffected()
    }

    test("an oversized message is refused; a client refuses to send a value over the node's limit, naming the sizes") {
        RawStream(node.port, TOKEN).use { s ->
            s.send(hello(), open(1, "big", capacity = 1), credits(1, 1))
            s.next(NodeFrame.KindCase.CREDIT)
            s.send(send(1, 1, "x".repeat(100 * 1024)))
            s.endStatus().first shouldBe "RESOURCE_EXHAUSTED"
        }
        node.channel("big")!!.len shouldBe 0
        connect(node).use { c ->
            val ch = c.chan("big", 1, Codecs.bytes())
            val e = shouldThrow<IllegalArgumentException> { bounded { ch.send(ByteArray(100 * 1024)) } }
            e.message!! shouldContain "102400 bytes"
            node.channel("big")!!.len shouldBe 0
        }
        bystanderUnaffected()
    }

    test("bad requests through the client: a capacity that disagrees, a negative capacity, a bad address") {
        connect(node).use { c ->
            shouldThrow<RemoteChannelException> { c.chan("kept", 5, Codecs.utf8()) }.code shouldBe "FAILED_PRECONDITION"
            shouldThrow<IllegalArgumentException> { c.chan("x", -1, Codecs.utf8()) }.message shouldBe "capacity must be >= 0, but was -1"
            shouldThrow<RemoteChannelException> { c.chan("durable-here", 5, Codecs.utf8(), durable = true) }.message!! shouldContain "data directory"
        }
        shouldThrow<IllegalArgumentException> { RemoteChannels.connect("no-port", Credentials.token(TOKEN)) }.message!! shouldContain "host:port"
        shouldThrow<IllegalStateException> { NodeConfig.builder().build() }.message!! shouldContain "token"
        shouldThrow<IllegalArgumentException> { NodeConfig.builder().port(70000) }.message shouldBe "port must be in 0..65535, but was 70000"
        bystanderUnaffected()
    }

    test("the bystander's stream was never broken by the bad ones") {
        bystander.connections shouldBe 1
    }
})
