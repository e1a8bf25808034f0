package dev.conduit.net

/**
 * A snapshot of one channel on a [ChannelNode], taken under its lock: one consistent moment.
 * Counters count since the node started (for a durable channel: since its log was replayed).
 */
public data class ChannelInfo(
    /** The channel's name. */
    val name: String,
    /** Its buffer size (0: a rendezvous). */
    val capacity: Int,
    /** Whether it keeps its buffer in the node's log. */
    val durable: Boolean,
    /** Whether it was closed. */
    val closed: Boolean,
    /** Values in its buffer now. */
    val len: Int,
    /** Values delivered to clients and not acknowledged yet. */
    val inFlight: Int,
    /** Values accepted (duplicates not counted). */
    val sent: Long,
    /** Values delivered and acknowledged. */
    val received: Long,
    /** Values that went back to the head of the channel (released, or their client left). */
    val redelivered: Long,
    /** Duplicate sends dropped. */
    val duplicates: Long,
    /** Bytes of accepted values. */
    val bytes: Long,
    /** Clients with the channel open and connected now. */
    val clients: Int,
    /** Credits asked for and not yet granted: sends waiting for room. */
    val waitingSenders: Int,
    /** Pulls not yet served: receives waiting for a value. */
    val waitingReceivers: Int,
)
