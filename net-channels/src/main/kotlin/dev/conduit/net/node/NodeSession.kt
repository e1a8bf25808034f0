package dev.conduit.net.node

import dev.conduit.net.proto.NodeFrame
import java.util.concurrent.ConcurrentHashMap

/**
 * A client's session on a node, named by the id the client chose: the channels it opened
 * (by handle) and, through them, its unacknowledged deliveries. It outlives a broken stream by
 * the node's session grace, so a client that reconnects in time resumes it and no value
 * delivered to it is handed to anyone else meanwhile.
 */
internal open class NodeSession(val id: String) {
    val attachments = ConcurrentHashMap<Int, Attachment>()

    /** The stream serving the session now; null while it is suspended. */
    @Volatile
    var connection: NodeConnection? = null

    /** The Vert.x timer that ends a suspended session; guarded by the node's session lock. */
    var graceTimer = -1L

    /** Queues [frame] to the client; dropped while suspended (the state it reports is reset on resume). */
    open fun send(frame: NodeFrame) {
        connection?.outbox?.offer(frame)
    }

    /** Credits, pulls and unacknowledged deliveries held now: what the in-flight limit counts. */
    fun inFlight(): Int = attachments.values.sumOf { it.inFlight() }
}
