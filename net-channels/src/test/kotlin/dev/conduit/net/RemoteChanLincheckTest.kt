package dev.conduit.net

import com.google.protobuf.ByteString
import dev.conduit.chan.spi.Poll
import dev.conduit.net.node.Attachment
import dev.conduit.net.node.NodeChannel
import dev.conduit.net.node.NodeSession
import dev.conduit.net.proto.ClientFrame
import dev.conduit.net.proto.NodeFrame
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * The client's side of a remote channel (`RemoteChanCore`) and the node's (`NodeChannel`), both
 * real, with the network between them as an operation of its own ([net]: every frame queued
 * either way is delivered, in order, and the client's network-thread tasks run), so Lincheck's
 * model checker interleaves user operations with frames arriving: with the moment a credit
 * wakes a waiting sender, a value is delivered to a receiver that is being cancelled, and so on.
 * The sequential specification is this class run one operation at a time: a history only the
 * concurrent run can make (a send that returned while the node does not hold its value, a
 * value received twice or lost) fails the check.
 *
 * Lincheck may cancel a suspended operation at its first suspension (a send waiting for its
 * credit, a receive for its value): the withdrawal must then leave no trace.
 *
 * What it does not reach: with the fix of 2026-12-04 undone (a credit's claim woke the
 * sender's coroutine before its value was numbered), this check still passed at 4 x 100;
 * most likely Lincheck's model of a resumed coroutine never runs it inside the claim that
 * resumed it. RemoteChanTest's "a send returns only once the node holds its value" catches it.
 */
@Param(name = "value", gen = IntGen::class, conf = "1:3")
class RemoteChanOps {
    private val toNode = ConcurrentLinkedQueue<ClientFrame>()
    private val toClient = ConcurrentLinkedQueue<NodeFrame>()
    private val networkTasks = ConcurrentLinkedQueue<() -> Unit>()
    private val node = NodeChannel("lc", CAPACITY, null, NodeConfig.Fsync.PER_SEND, null)
    private val session = object : NodeSession("session") {
        override fun send(frame: NodeFrame) {
            toClient.add(frame)
        }
    }
    private val host = object : ChanHost {
        override val clientId = "client"
        override val address = "in-memory"
        override val options = RemoteClientOptions.builder().build()
        override val maxInFlight = Int.MAX_VALUE
        override fun onNetworkThread(action: () -> Unit) {
            networkTasks.add(action)
        }
        override fun encoded(core: RemoteChanCore, element: Any?) = element as? Encoded ?: Encoded(core.bytesOf(element))
        override fun encodeRaw(core: RemoteChanCore, element: Any?): ByteString = ByteString.copyFrom(core.codec.encode(element))
    }

    @Suppress("UNCHECKED_CAST")
    private val core = RemoteChanCore(host, "lc", CAPACITY, false, 1, Codecs.utf8() as Codec<Any?>)

    init {
        core.reopen({ toNode.add(it) }, resumed = false)
        net()
    }

    @Operation
    suspend fun send(@Param(name = "value") v: Int): String = if (core.sendOrClosed(v.toString()) === Poll.SENT) "sent" else "closed"

    @Operation
    suspend fun receive(): String = core.receiveOrClosed().let { if (it === Poll.CLOSED) "closed" else it as String }

    /** What the node holds: a send that returned is in it, until a receive took it. */
    @Operation
    fun nodeLen(): Int = node.len

    /** The network: delivers every frame queued either way, in order, until none is left. */
    @Operation
    @Synchronized
    fun net() {
        while (true) {
            val task = networkTasks.poll()
            val up = toNode.poll()
            val down = toClient.poll()
            if (task == null && up == null && down == null) return
            task?.invoke()
            up?.let(::atNode)
            down?.let(core::onFrame)
        }
    }

    private val att: Attachment get() = session.attachments[1]!!

    /** What `NodeConnection` does with [f] for this one attachment, minus its checks of the client (which is correct here). */
    private fun atNode(f: ClientFrame) {
        when (f.kindCase) {
            ClientFrame.KindCase.OPEN -> Attachment(session, f.open.handle, node, f.open.producer).also {
                session.attachments[it.handle] = it
                node.attach(it)
            }
            ClientFrame.KindCase.CREDIT_REQUEST -> node.requestCredits(att, f.creditRequest.count)
            ClientFrame.KindCase.CREDIT_RETURN -> check(node.returnCredits(att, f.creditReturn.count, f.creditReturn.withdrawnRequests)) { "returned credits it did not hold" }
            ClientFrame.KindCase.SEND -> {
                val r = node.accept(att, f.send.seq, f.send.payload)
                check(r == NodeChannel.SendResult.ACCEPTED || r == NodeChannel.SendResult.DUPLICATE) { "send refused: $r" }
                node.takeAccepted(att)?.let(toClient::add)
            }
            ClientFrame.KindCase.PULL -> node.pull(att, f.pull.count)
            ClientFrame.KindCase.UNPULL -> node.unpull(att, f.unpull.count)
            ClientFrame.KindCase.ACK -> check(node.ack(att, f.ack.upToDelivery)) { "acknowledged a delivery never made" }
            ClientFrame.KindCase.RELEASE -> check(node.release(att, f.release.deliveriesList)) { "released a delivery not outstanding" }
            else -> error("unexpected frame ${f.kindCase}")
        }
    }

    companion object {
        const val CAPACITY = 1
    }
}

class RemoteChanLincheckTest : FunSpec({
    // 4 x 100: about 21 s (every frame is a protobuf message built and parsed under the model checker).
    test("a remote channel's client and node, with the network interleaved, are linearizable") {
        ModelCheckingOptions()
            .iterations(4)
            .invocationsPerIteration(100)
            .threads(2)
            .actorsPerThread(3)
            .actorsAfter(0)
            .minimizeFailedScenario(false)
            .check(RemoteChanOps::class)
    }
})
