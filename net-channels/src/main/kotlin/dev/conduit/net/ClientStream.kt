package dev.conduit.net

import dev.conduit.net.proto.ClientBatch
import dev.conduit.net.proto.ClientFrame
import dev.conduit.net.proto.NodeBatch
import io.vertx.core.Context
import io.vertx.grpc.client.GrpcClientRequest

/** One stream of a [RemoteClient] to its node: its outbox, and when the node was last heard. */
internal class ClientStream(
    val request: GrpcClientRequest<ClientBatch, NodeBatch>,
    context: Context,
    maxFrameBytes: Int,
) {
    val outbox = Outbox<ClientFrame>(context, maxFrameBytes) { frames ->
        request.write(ClientBatch.newBuilder().addAllFrames(frames).build())
    }

    /** Set by the node's Welcome; guarded by the network thread. */
    var welcomed = false

    @Volatile
    var lastHeard: Long = System.nanoTime()

    /** Set once the stream is gone; guarded by the network thread. */
    var lost = false
}
