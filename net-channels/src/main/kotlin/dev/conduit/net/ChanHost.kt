package dev.conduit.net

import com.google.protobuf.ByteString

/**
 * What a [RemoteChanCore] needs of the client it belongs to: its identity, options and limits,
 * its network thread, and the encoding of values. [RemoteClient] is the one host in use; a test
 * drives a core against a real node channel through a host of its own, with no network between.
 */
internal interface ChanHost {
    /** Names this client's producers (each channel's is `clientId/handle`). */
    val clientId: String

    /** The node's `host:port`, for messages. */
    val address: String

    val options: RemoteClientOptions

    /** The node's limit of credits and pulls a client may hold, from its Welcome. */
    val maxInFlight: Int

    /** Runs [action] on the thread that handles the node's frames. */
    fun onNetworkThread(action: () -> Unit)

    /** The bytes of [element] for [core], once: an [Encoded] already is. */
    fun encoded(core: RemoteChanCore, element: Any?): Encoded

    /** [element] encoded by [core]'s codec and checked against the node's frame limit. */
    fun encodeRaw(core: RemoteChanCore, element: Any?): ByteString
}

/** Where frames for one stream go, from any thread; never blocks. [Outbox] is the one in use. */
internal fun interface FrameSink<F> {
    fun offer(frame: F)
}
