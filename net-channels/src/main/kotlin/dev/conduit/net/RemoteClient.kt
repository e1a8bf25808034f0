package dev.conduit.net

import com.google.protobuf.ByteString
import dev.conduit.net.proto.ChannelServiceGrpcClient
import dev.conduit.net.proto.Detach
import dev.conduit.net.proto.Heartbeat
import dev.conduit.net.proto.Hello
import dev.conduit.net.proto.NodeBatch
import dev.conduit.net.proto.NodeFrame
import io.vertx.core.Context
import io.vertx.core.Vertx
import io.vertx.core.http.HttpClientOptions
import io.vertx.core.net.PfxOptions
import io.vertx.core.net.SocketAddress
import io.vertx.grpc.client.GrpcClient
import io.vertx.grpc.client.GrpcClientOptions
import io.vertx.grpc.common.GrpcStatus
import java.util.UUID
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ExecutionException
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger

/**
 * A connection to a [ChannelNode], made by [RemoteChannels.connect], through which [chan] opens
 * remote channels. It keeps one gRPC stream to the node and, when that breaks, reconnects with
 * exponential backoff and jitter, resumes its session (values delivered to it are not handed to
 * anyone else meanwhile), resends the sends the node had not accepted (the node drops
 * duplicates), and pulls again for its waiting receivers: blocked operations keep waiting, or
 * end by their own `Context`, timeout or cancellation. Heartbeats find a dead node or a
 * silently cut connection within three of the node's heartbeat intervals.
 *
 * Thread-safe. [close] ends it; operations still waiting then end as on a closed channel.
 */
public class RemoteClient internal constructor(
    /** The node's `host:port`. */
    public val address: String,
    private val credentials: Credentials,
    /** The options it runs with. */
    public val options: RemoteClientOptions,
) : AutoCloseable {
    private val socket: SocketAddress = parseAddress(address)
    private val vertx = Vertx.vertx()
    private val context: Context = vertx.orCreateContext
    private val grpc: GrpcClient = GrpcClient.client(vertx, GrpcClientOptions().setMaxMessageSize(options.maxFrameBytes.toLong()), httpOptions())
    internal val clientId: String = UUID.randomUUID().toString()
    private val sessionId: String = UUID.randomUUID().toString()
    private val chans = ConcurrentHashMap<Int, RemoteChanCore>()
    private val nextHandle = AtomicInteger()
    private val firstWelcome = CompletableFuture<Unit>()

    /** The node's limits, from its Welcome. */
    @Volatile
    internal var maxFrameBytes: Int = options.maxFrameBytes

    @Volatile
    internal var maxInFlight: Int = Int.MAX_VALUE
    private var heartbeatTimer = -1L
    private var attempt = 0
    private var current: ClientStream? = null

    @Volatile
    private var closed = false

    /** How many times it connected (the first time included); for tests and monitoring. */
    @Volatile
    public var connections: Int = 0
        private set

    private fun httpOptions(): HttpClientOptions {
        // gRPC needs HTTP/2: with prior knowledge over plain text, negotiated by ALPN over TLS.
        val o = HttpClientOptions().setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
        val trust = options.tlsTrustStore
        if (trust != null) o.setSsl(true).setUseAlpn(true).setTrustOptions(PfxOptions().setPath(trust.toString()).setPassword(options.tlsTrustStorePassword))
        return o
    }

    internal fun start() {
        context.runOnContext { connect() }
        try {
            firstWelcome.get(options.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        } catch (e: ExecutionException) {
            close()
            throw e.cause!!
        } catch (e: TimeoutException) {
            close()
            throw RemoteChannelException("UNAVAILABLE", "no answer from the node at $address within ${options.requestTimeout}")
        }
    }

    /** This client as its channels' [ChanHost]. */
    private val host = object : ChanHost {
        override val clientId get() = this@RemoteClient.clientId
        override val address get() = this@RemoteClient.address
        override val options get() = this@RemoteClient.options
        override val maxInFlight get() = this@RemoteClient.maxInFlight
        override fun onNetworkThread(action: () -> Unit) = this@RemoteClient.onNetworkThread(action)
        override fun encoded(core: RemoteChanCore, element: Any?) = this@RemoteClient.encoded(core, element)
        override fun encodeRaw(core: RemoteChanCore, element: Any?) = this@RemoteClient.encodeRaw(core, element)
    }

    /** Runs [action] on the client's network thread. */
    internal fun onNetworkThread(action: () -> Unit) {
        context.runOnContext { action() }
    }

    // ---- the stream (network thread) ---------------------------------------------------------

    private fun connect() {
        if (closed) return
        grpc.request(socket, ChannelServiceGrpcClient.Connect).onComplete { ar ->
            if (ar.failed()) {
                lost(null, "UNAVAILABLE", "cannot reach the node at $address: ${ar.cause()}", ar.cause())
                return@onComplete
            }
            val req = ar.result()
            credentials.token?.let { req.headers().set("authorization", "Bearer $it") }
            val s = ClientStream(req, context, maxFrameBytes)
            current = s
            req.exceptionHandler { e -> lost(s, "UNAVAILABLE", "the stream to $address broke: $e", e) }
            // A node shutting down says so (GOAWAY) before its streams end: move on at once rather
            // than wait on a stream it will not serve.
            req.connection().goAwayHandler { lost(s, "UNAVAILABLE", "the node at $address is going away (GOAWAY)", null) }
            req.response().onComplete { rr ->
                if (rr.failed()) {
                    lost(s, "UNAVAILABLE", "the stream to $address broke: ${rr.cause()}", rr.cause())
                    return@onComplete
                }
                val resp = rr.result()
                resp.handler { batch -> onBatch(s, batch) }
                resp.exceptionHandler { e -> lost(s, "UNAVAILABLE", "the stream to $address broke: $e", e) }
                resp.endHandler {
                    val st = resp.status()
                    lost(s, st?.name ?: "UNAVAILABLE", statusMessageOf(resp) ?: "the node ended the stream", null)
                }
            }
            s.outbox.offer(frameOf { setHello(Hello.newBuilder().setSessionId(sessionId)) })
            vertx.setTimer(options.requestTimeout.toMillis()) {
                if (!s.welcomed) lost(s, "UNAVAILABLE", "no Welcome from the node at $address within ${options.requestTimeout}", null)
            }
        }
    }

    private fun onBatch(s: ClientStream, batch: NodeBatch) {
        if (s.lost) return
        s.lastHeard = System.nanoTime()
        for (f in batch.framesList) onFrame(s, f)
    }

    private fun onFrame(s: ClientStream, f: NodeFrame) {
        when (f.kindCase) {
            NodeFrame.KindCase.WELCOME -> {
                val w = f.welcome
                s.welcomed = true
                attempt = 0
                connections++
                maxFrameBytes = minOf(options.maxFrameBytes, w.maxFrameBytes)
                maxInFlight = if (w.maxInFlight > 0) w.maxInFlight else Int.MAX_VALUE
                startHeartbeats(s, maxOf(1L, w.heartbeatMillis.toLong()))
                for (c in chans.values) c.reopen(s.outbox, w.resumed)
                firstWelcome.complete(Unit)
            }
            NodeFrame.KindCase.OPENED -> chans[f.opened.handle]?.onFrame(f)
            NodeFrame.KindCase.CREDIT -> chans[f.credit.handle]?.onFrame(f)
            NodeFrame.KindCase.ACCEPTED -> chans[f.accepted.handle]?.onFrame(f)
            NodeFrame.KindCase.DELIVER -> chans[f.deliver.handle]?.onFrame(f)
            NodeFrame.KindCase.UNPULLED -> chans[f.unpulled.handle]?.onFrame(f)
            NodeFrame.KindCase.RELEASED -> chans[f.released.handle]?.onFrame(f)
            NodeFrame.KindCase.CLOSED -> chans[f.closed.handle]?.onFrame(f)
            NodeFrame.KindCase.END_OF_STREAM -> chans[f.endOfStream.handle]?.onFrame(f)
            NodeFrame.KindCase.ERROR -> chans[f.error.handle]?.onFrame(f)
            NodeFrame.KindCase.STATS -> stats.remove(f.stats.request)?.complete(f.stats.len)
            else -> {}
        }
    }

    private fun startHeartbeats(s: ClientStream, millis: Long) {
        if (heartbeatTimer >= 0) vertx.cancelTimer(heartbeatTimer)
        val deadNanos = TimeUnit.MILLISECONDS.toNanos(millis * 3)
        heartbeatTimer = vertx.setPeriodic(millis) {
            if (System.nanoTime() - s.lastHeard > deadNanos) {
                lost(s, "UNAVAILABLE", "no frame from the node at $address for ${millis * 3} ms", null)
            } else {
                s.outbox.offer(frameOf { setHeartbeat(Heartbeat.getDefaultInstance()) })
            }
        }
    }

    /** Stream [s] (null: it never opened) is gone: every channel waits; a new stream follows after a backoff. */
    private fun lost(s: ClientStream?, code: String, message: String, cause: Throwable?) {
        if (s != null) {
            if (s.lost) return
            s.lost = true
            s.outbox.close()
            try {
                // The connection itself, not only the stream: a silent (half-open) connection
                // would otherwise carry the next stream too.
                s.request.cancel()
                s.request.connection()?.close()
            } catch (_: Exception) {
                // already gone
            }
            if (current === s) current = null
            for (c in chans.values) c.disconnected(s.outbox)
        }
        if (heartbeatTimer >= 0) vertx.cancelTimer(heartbeatTimer)
        heartbeatTimer = -1
        if (closed) return
        if (s != null && s.welcomed) LOG.log(System.Logger.Level.INFO, "reconnecting to $address: $code $message")
        if (!firstWelcome.isDone && (s == null || !s.welcomed)) {
            // The first connection: say why at once rather than retry a wrong address or token.
            firstWelcome.completeExceptionally(RemoteChannelException(code, message, cause))
            return
        }
        val base = options.initialBackoff.toMillis() shl minOf(attempt, 20)
        val capped = minOf(base, options.maxBackoff.toMillis())
        val delay = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1)
        attempt++
        vertx.setTimer(maxOf(1L, delay)) { connect() }
    }

    // ---- channels ----------------------------------------------------------------------------

    /**
     * Opens channel [name] on the node, creating it with [capacity] (0: a rendezvous) if it
     * does not exist, and returns it as a [RemoteChan] whose values [codec] encodes. Blocks until
     * the node answers (at most [RemoteClientOptions.requestTimeout]).
     *
     * @param durable whether the node keeps the channel's buffer in its log (the node needs a
     *   data directory, and the channel a buffer).
     * @throws IllegalArgumentException if [capacity] is negative or [name] is blank.
     * @throws RemoteChannelException if the node refused (a different capacity or durability
     *   than the existing channel's: FAILED_PRECONDITION; too many open channels:
     *   RESOURCE_EXHAUSTED) or did not answer in time (UNAVAILABLE).
     * @throws IllegalStateException if the client is closed, or if called on a Vert.x event-loop thread.
     */
    @JvmOverloads
    public fun <T> chan(name: String, capacity: Int, codec: Codec<T>, durable: Boolean = false): RemoteChan<T> {
        checkNotOnEventLoop("RemoteClient.chan")
        try {
            return chanAsync(name, capacity, codec, durable).get(options.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        } catch (e: ExecutionException) {
            throw e.cause!!
        } catch (e: TimeoutException) {
            throw RemoteChannelException("UNAVAILABLE", "the node at $address did not open channel '$name' within ${options.requestTimeout}")
        }
    }

    /**
     * [chan] without blocking: the future completes with the channel once the node answers, or
     * fails as [chan] throws. Never blocks.
     *
     * @throws IllegalArgumentException if [capacity] is negative or [name] is blank.
     */
    @JvmOverloads
    public fun <T> chanAsync(name: String, capacity: Int, codec: Codec<T>, durable: Boolean = false): CompletableFuture<RemoteChan<T>> {
        require(name.isNotBlank()) { "name must not be blank" }
        require(capacity >= 0) { "capacity must be >= 0, but was $capacity" }
        java.util.Objects.requireNonNull(codec, "codec")
        check(!closed) { "the client is closed" }
        val handle = nextHandle.incrementAndGet()
        @Suppress("UNCHECKED_CAST")
        val core = RemoteChanCore(host, name, capacity, durable, handle, codec as Codec<Any?>)
        val chan = RemoteChan<T>(this, core)
        chans[handle] = core
        context.runOnContext { current?.takeIf { it.welcomed && !it.lost }?.let { core.reopen(it.outbox, true) } }
        return core.openedFuture.handle { _, e ->
            if (e != null) {
                chans.remove(handle)
                throw e
            }
            chan
        }
    }

    /** The bytes of [element] for [core], checked against the node's frame limit; for the sending thread. */
    internal fun encoded(core: RemoteChanCore, element: Any?): Encoded =
        element as? Encoded ?: Encoded(core.bytesOf(element))

    internal fun encodeRaw(core: RemoteChanCore, element: Any?): ByteString {
        val bytes = core.codec.encode(element)
        val limit = maxFrameBytes - FRAME_ROOM
        require(bytes.size <= limit) { "a value of ${bytes.size} bytes is over the node's limit of $limit bytes (maxFrameBytes $maxFrameBytes)" }
        return ByteString.copyFrom(bytes)
    }

    private val stats = ConcurrentHashMap<Long, CompletableFuture<Int>>()
    private val nextRequest = java.util.concurrent.atomic.AtomicLong()

    /** How many values the node holds for [core]: one round trip. */
    internal fun queryLen(core: RemoteChanCore): CompletableFuture<Int> {
        val f = CompletableFuture<Int>()
        val id = nextRequest.incrementAndGet()
        stats[id] = f
        val s = core.openStream()
        if (s == null) {
            stats.remove(id)
            return CompletableFuture.failedFuture(RemoteChannelException("UNAVAILABLE", "channel '${core.name}' is not connected to its node now"))
        }
        s.offer(frameOf { setQuery(dev.conduit.net.proto.Query.newBuilder().setHandle(core.handle).setRequest(id)) })
        return f
    }

    /**
     * Leaves the node: acknowledges what was taken, tells the node to put back what was
     * delivered and not taken, ends the stream and stops; operations still waiting end as on a
     * closed channel, and sends not yet accepted fail. Blocks until done (at most 10 seconds).
     * A second call does nothing.
     *
     * @throws IllegalStateException if called on a Vert.x event-loop thread.
     */
    override fun close() {
        checkNotOnEventLoop("RemoteClient.close")
        if (closed) return
        closed = true
        val done = CompletableFuture<Unit>()
        context.runOnContext {
            val s = current
            if (s != null && s.welcomed && !s.lost) {
                for (c in chans.values) c.finalAck(s.outbox)
                s.outbox.offer(frameOf { setDetach(Detach.getDefaultInstance()) })
            }
            // Let the outbox write (it runs on this context after this task), then end.
            context.runOnContext {
                if (s != null && !s.lost) {
                    s.lost = true
                    try {
                        s.request.end()
                    } catch (_: Exception) {
                        // already gone
                    }
                }
                done.complete(Unit)
            }
        }
        try {
            done.get(5, TimeUnit.SECONDS)
        } catch (_: Exception) {
            // the node is gone; close anyway
        }
        for (c in chans.values) c.shutDown()
        firstWelcome.completeExceptionally(RemoteChannelException("UNAVAILABLE", "the client was closed"))
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
    }

    override fun toString(): String = "RemoteClient($address)"

    internal companion object {
        val LOG: System.Logger = System.getLogger(RemoteClient::class.java.name)

        /** Room for a frame's own fields around a value. */
        const val FRAME_ROOM = 64

        /** The status message of an ended stream, from its headers or (after messages) its trailers, percent-decoded as gRPC encodes it. */
        fun statusMessageOf(resp: io.vertx.grpc.client.GrpcClientResponse<*, *>): String? {
            val raw = resp.statusMessage() ?: resp.trailers()?.get("grpc-message") ?: return null
            return try {
                java.net.URLDecoder.decode(raw.replace("+", "%2B"), Charsets.UTF_8)
            } catch (e: IllegalArgumentException) {
                raw
            }
        }

        fun parseAddress(address: String): SocketAddress {
            val i = address.lastIndexOf(':')
            require(i > 0 && i < address.length - 1) { "address must be host:port, but was '$address'" }
            val port = address.substring(i + 1).toIntOrNull()
            require(port != null && port in 1..65535) { "address must be host:port with a port in 1..65535, but was '$address'" }
            return SocketAddress.inetSocketAddress(port, address.substring(0, i).removePrefix("[").removeSuffix("]"))
        }
    }
}
