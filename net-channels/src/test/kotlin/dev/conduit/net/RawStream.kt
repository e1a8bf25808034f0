package dev.conduit.net

import dev.conduit.net.proto.ChannelServiceGrpcClient
import dev.conduit.net.proto.ClientBatch
import dev.conduit.net.proto.ClientFrame
import dev.conduit.net.proto.NodeFrame
import io.vertx.core.Vertx
import io.vertx.core.net.SocketAddress
import io.vertx.grpc.client.GrpcClient
import io.vertx.grpc.client.GrpcClientRequest
import dev.conduit.net.proto.NodeBatch
import java.util.concurrent.CompletableFuture
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * A bare gRPC stream to a node, speaking conduit.proto frame by frame with no client logic:
 * for tests that send what a well-behaved client never would.
 */
class RawStream(port: Int, token: String?) : AutoCloseable {
    private val vertx = Vertx.vertx()
    private val request: GrpcClientRequest<ClientBatch, NodeBatch>
    val frames = LinkedBlockingQueue<NodeFrame>()

    /** The status the node ended the stream with, and its message. */
    val ended = CompletableFuture<Pair<String, String?>>()

    init {
        val client = GrpcClient.client(vertx)
        request = client.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"), ChannelServiceGrpcClient.Connect)
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        if (token != null) request.headers().set("authorization", "Bearer $token")
        request.response().onSuccess { resp ->
            resp.handler { b -> frames.addAll(b.framesList) }
            resp.endHandler { ended.complete(resp.status().name to RemoteClient.statusMessageOf(resp)) }
            resp.exceptionHandler { e -> ended.complete("BROKEN" to e.toString()) }
        }.onFailure { e -> ended.complete("BROKEN" to e.toString()) }
    }

    /** Sends [frames] as one batch. */
    fun send(vararg frames: ClientFrame) {
        request.write(ClientBatch.newBuilder().addAllFrames(frames.toList()).build())
    }

    /** The next frame, waiting at most 10 s. */
    fun next(): NodeFrame = frames.poll(10, TimeUnit.SECONDS) ?: error("no frame from the node within 10 s")

    /** The next frame of [kind], skipping others, waiting at most 10 s. */
    fun next(kind: NodeFrame.KindCase): NodeFrame {
        while (true) {
            val f = next()
            if (f.kindCase == kind) return f
        }
    }

    /** How the node ended the stream, waiting at most 10 s. */
    fun endStatus(): Pair<String, String?> = ended.get(10, TimeUnit.SECONDS)

    override fun close() {
        // Our half of the stream is still open after the node ended its half: reset it, or
        // Vert.x's graceful close would wait for it.
        try {
            request.cancel()
            // And the connection at once (no graceful wait for streams the node already ended).
            request.connection().shutdown(0, TimeUnit.SECONDS)
        } catch (_: Exception) {
            // already reset
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
    }
}
