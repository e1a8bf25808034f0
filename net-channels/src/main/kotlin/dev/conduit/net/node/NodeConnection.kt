package dev.conduit.net.node

import dev.conduit.net.Outbox
import dev.conduit.net.proto.ClientBatch
import dev.conduit.net.proto.ClientFrame
import dev.conduit.net.proto.Error
import dev.conduit.net.proto.Heartbeat
import dev.conduit.net.proto.NodeBatch
import dev.conduit.net.proto.NodeFrame
import dev.conduit.net.proto.Open
import dev.conduit.net.proto.Stats
import dev.conduit.net.proto.Welcome
import io.vertx.core.Context
import io.vertx.grpc.common.GrpcStatus
import io.vertx.grpc.server.GrpcServerRequest

/**
 * One client stream on a node: reads its batches of frames in order on the stream's event
 * loop, applies them to the channels, and answers. A frame that breaks the protocol ends the
 * stream with INVALID_ARGUMENT (the session is suspended, as if the connection broke, so
 * nothing it held is lost); a refused request on one channel is an Error frame and the stream
 * goes on.
 */
internal class NodeConnection(
    private val node: NodeCore,
    private val request: GrpcServerRequest<ClientBatch, NodeBatch>,
    private val context: Context,
) {
    val outbox = Outbox<NodeFrame>(context, node.config.maxFrameBytes) { frames ->
        request.response().write(NodeBatch.newBuilder().addAllFrames(frames).build())
    }
    private var session: NodeSession? = null

    @Volatile
    var lastHeard: Long = System.nanoTime()
        private set
    private var ended = false

    /** Attachments touched by the batch being read: maybe owed an Accepted frame, and their channels (durable) a sync. */
    private val touched = LinkedHashSet<Attachment>()

    fun start() {
        node.register(this)
        request.handler { batch -> onBatch(batch) }
        request.endHandler { end(null, null) }
        request.exceptionHandler { end(null, null) }
        // A client that cancels its call (RST_STREAM) is reported here, not as an exception.
        request.errorHandler { end(null, null) }
        request.response().exceptionHandler { end(null, null) }
    }

    private fun onBatch(batch: ClientBatch) {
        if (ended) return
        lastHeard = System.nanoTime()
        for (f in batch.framesList) {
            val problem = try {
                handle(f)
            } catch (e: RuntimeException) {
                "frame ${f.kindCase} failed: $e"
            }
            if (problem != null) {
                finishBatch()
                end(GrpcStatus.INVALID_ARGUMENT, problem)
                return
            }
            if (ended) return
        }
        finishBatch()
    }

    /** After a batch: durable channels' logs forced once (and what waited for that sent), then every send of the batch acknowledged. */
    private fun finishBatch() {
        if (touched.isEmpty()) return
        for (att in touched) if (att.channel.durable) att.channel.sync()
        for (att in touched) att.channel.takeAccepted(att)?.let { outbox.offer(it) }
        touched.clear()
    }

    /** Applies [f]; a protocol violation's description, or null. */
    private fun handle(f: ClientFrame): String? {
        val s = session
        if (s == null) {
            if (f.kindCase != ClientFrame.KindCase.HELLO) return "the first frame must be Hello, not ${f.kindCase}"
            val id = f.hello.sessionId
            if (id.isBlank() || id.length > 128) return "Hello.session_id must be 1..128 characters"
            val (sess, resumed) = node.attachSession(id, this)
            session = sess
            outbox.offer(
                frame {
                    setWelcome(
                        Welcome.newBuilder().setResumed(resumed).setMaxFrameBytes(node.config.maxFrameBytes)
                            .setHeartbeatMillis(node.config.heartbeat.toMillis().toInt()).setMaxInFlight(node.config.maxInFlightPerClient),
                    )
                },
            )
            return null
        }
        return when (f.kindCase) {
            ClientFrame.KindCase.HELLO -> "a second Hello on one stream"
            ClientFrame.KindCase.OPEN -> open(s, f.open)
            ClientFrame.KindCase.SEND -> {
                val att = s.attachments[f.send.handle] ?: return unknown(f.send.handle)
                if (!att.live) return unknown(f.send.handle)
                when (att.channel.accept(att, f.send.seq, f.send.payload)) {
                    NodeChannel.SendResult.NO_CREDIT -> "Send seq ${f.send.seq} on handle ${f.send.handle} without a credit"
                    NodeChannel.SendResult.OUT_OF_ORDER -> "Send seq ${f.send.seq} on handle ${f.send.handle} is not above the previous one"
                    else -> {
                        touched += att
                        null
                    }
                }
            }
            ClientFrame.KindCase.CREDIT_REQUEST ->
                request(s, f.creditRequest.handle, f.creditRequest.count, "CreditRequest") { att, n -> att.channel.requestCredits(att, n) }
            ClientFrame.KindCase.CREDIT_RETURN -> {
                val r = f.creditReturn
                val att = live(s, r.handle) ?: return unknown(r.handle)
                if (!att.channel.returnCredits(att, r.count, r.withdrawnRequests)) "CreditReturn on handle ${r.handle} gives back more than it holds" else null
            }
            ClientFrame.KindCase.PULL -> request(s, f.pull.handle, f.pull.count, "Pull") { att, n ->
                att.channel.pull(att, n)
                touched += att
            }
            ClientFrame.KindCase.UNPULL -> {
                val att = live(s, f.unpull.handle) ?: return unknown(f.unpull.handle)
                att.channel.unpull(att, f.unpull.count)
                null
            }
            ClientFrame.KindCase.ACK -> {
                val att = live(s, f.ack.handle) ?: return unknown(f.ack.handle)
                if (!att.channel.ack(att, f.ack.upToDelivery)) "Ack of delivery ${f.ack.upToDelivery} on handle ${f.ack.handle}, which was never delivered" else null
            }
            ClientFrame.KindCase.RELEASE -> {
                val att = live(s, f.release.handle) ?: return unknown(f.release.handle)
                touched += att
                if (!att.channel.release(att, f.release.deliveriesList)) "Release on handle ${f.release.handle} names a delivery not outstanding" else null
            }
            ClientFrame.KindCase.CLOSE -> {
                val att = live(s, f.close.handle) ?: return unknown(f.close.handle)
                if (!att.channel.close()) error(att.handle, "FAILED_PRECONDITION", "close of closed channel '${att.channel.name}'")
                null
            }
            ClientFrame.KindCase.QUERY -> {
                val att = live(s, f.query.handle) ?: return unknown(f.query.handle)
                outbox.offer(frame { setStats(Stats.newBuilder().setHandle(att.handle).setRequest(f.query.request).setLen(att.channel.len).setCap(att.channel.capacity)) })
                null
            }
            ClientFrame.KindCase.HEARTBEAT -> {
                outbox.offer(frame { setHeartbeat(Heartbeat.getDefaultInstance()) })
                null
            }
            ClientFrame.KindCase.DETACH -> {
                finishBatch()
                node.detachSession(s)
                session = null
                ended = true
                outbox.close()
                request.response().end()
                null
            }
            else -> "unknown frame ${f.kindCase}"
        }
    }

    /** A request for [n] credits or pulls ([what]) on [handle]: checked, held to the in-flight limit, then [grant]ed. */
    private inline fun request(s: NodeSession, handle: Int, n: Int, what: String, grant: (Attachment, Int) -> Unit): String? {
        val att = live(s, handle) ?: return unknown(handle)
        if (n <= 0) return "$what.count must be > 0"
        if (withinLimit(s, att, n)) grant(att, n)
        return null
    }

    private fun live(s: NodeSession, handle: Int): Attachment? = s.attachments[handle]?.takeIf { it.live }

    private fun unknown(handle: Int): String = "handle $handle is not open on this stream"

    /** Whether [n] more fits the client's in-flight limit; if not, an Error frame says so. */
    private fun withinLimit(s: NodeSession, att: Attachment, n: Int): Boolean {
        val limit = node.config.maxInFlightPerClient
        val now = s.inFlight()
        if (now.toLong() + n <= limit) return true
        error(att.handle, "RESOURCE_EXHAUSTED", "in-flight limit: $now held + $n asked > maxInFlightPerClient $limit")
        return false
    }

    private fun error(handle: Int, code: String, message: String) {
        outbox.offer(frame { setError(Error.newBuilder().setHandle(handle).setCode(code).setMessage(message)) })
    }

    private fun open(s: NodeSession, o: Open): String? {
        val existing = s.attachments[o.handle]
        if (existing != null) {
            if (existing.live) return "handle ${o.handle} is already open"
            if (existing.channel.name != o.name) return "handle ${o.handle} was '${existing.channel.name}', not '${o.name}'"
            existing.channel.resume(existing, o.ackedDelivery, o.releasedList.toHashSet())
            touched += existing
            return null
        }
        if (o.handle == 0) return "Open.handle must be > 0"
        if (o.producer.isBlank() || o.producer.length > 256) return "Open.producer must be 1..256 characters"
        if (s.attachments.size >= node.config.maxChannelsPerClient) {
            error(o.handle, "RESOURCE_EXHAUSTED", "open-channel limit: maxChannelsPerClient is ${node.config.maxChannelsPerClient}")
            return null
        }
        val channel = try {
            node.channelFor(o.name, o.capacity, o.durable)
        } catch (e: NodeCore.Refused) {
            error(o.handle, e.code, e.message!!)
            return null
        }
        val att = Attachment(s, o.handle, channel, o.producer)
        s.attachments[o.handle] = att
        channel.attach(att)
        return null
    }

    /** Ends the stream from another thread (a newer stream took its session, or it fell silent), on its own event loop. */
    fun endFromElsewhere(status: GrpcStatus, message: String) {
        context.runOnContext { end(status, message) }
    }

    /** Ends the stream (with [status] unless it just broke) and suspends its session. */
    fun end(status: GrpcStatus?, message: String?) {
        if (ended) return
        ended = true
        outbox.close()
        val s = session
        session = null
        if (s != null) node.suspendSession(s, this)
        node.forget(this)
        if (status != null) {
            try {
                request.response().status(status).statusMessage(message).end()
            } catch (_: IllegalStateException) {
                // the stream is already gone
            }
        }
    }
}
