package dev.conduit.net

import dev.conduit.net.node.NodeConnection
import dev.conduit.net.node.NodeCore
import dev.conduit.net.node.NodeMetrics
import dev.conduit.net.node.StatusServer
import io.micrometer.prometheusmetrics.PrometheusConfig
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry
import dev.conduit.net.proto.ChannelServiceGrpcService
import io.vertx.core.Context
import io.vertx.core.Vertx
import io.vertx.core.http.HttpServer
import io.vertx.core.http.HttpServerOptions
import io.vertx.core.net.PfxOptions
import io.vertx.grpc.common.GrpcStatus
import io.vertx.grpc.server.GrpcServer
import io.vertx.grpc.server.GrpcServerOptions
import java.security.MessageDigest
import java.util.concurrent.TimeUnit

/**
 * A channel node: a gRPC server (Vert.x, HTTP/2, plain text or TLS) hosting named channels that
 * clients on other JVMs or machines (see [RemoteChannels]), or any gRPC client speaking
 * `conduit.proto`, send to and receive from. Embedded in any JVM with [start], or run alone
 * with `java -jar conduit-node.jar` ([NodeMain]).
 *
 * The node keeps each channel's buffer (its capacity), grants senders credits for the room in
 * it, hands values to receivers' pulls first come first served, drops duplicate sends by
 * producer and sequence number, and keeps what it delivered until the receiving client
 * acknowledges it: see the module README for the guarantees. A durable channel keeps its
 * buffer in a log under [NodeConfig.dataDir], which [start] replays.
 *
 * Thread-safe. [close] stops it; clients then reconnect to a node started again on the same
 * address.
 */
public class ChannelNode private constructor(
    /** The configuration it runs with. */
    public val config: NodeConfig,
    private val vertx: Vertx,
    private val core: NodeCore,
    private val server: HttpServer,
    private val watchdog: Long,
    private val http: HttpServer?,
    /** The node's meters (per channel and per node; see the module README), scraped at `/metrics`. */
    public val meterRegistry: PrometheusMeterRegistry,
) : AutoCloseable {
    /** The port of the HTTP side (metrics, status page), or -1 if [NodeConfig.httpPort] was not set. */
    public val httpPort: Int get() = http?.actualPort() ?: -1

    /** The port it listens on (the one picked when [NodeConfig.port] was 0). */
    public val port: Int get() = server.actualPort()

    /** `host:port`, for [RemoteChannels.connect]. */
    public val address: String get() = "${config.host}:$port"

    /** The names of the channels it hosts now, sorted. Never blocks. */
    public fun channelNames(): List<String> = core.channels.keys.sorted()

    /** How many values channel [name] holds now (buffered, not delivered), or -1 if there is no such channel. Never blocks. */
    public fun len(name: String): Int = core.channels[name]?.len ?: -1

    /** A snapshot of channel [name], or `null` if the node has no such channel. Never blocks. */
    public fun channel(name: String): ChannelInfo? = core.channels[name]?.info()

    /** Snapshots of every channel, by name. Never blocks. */
    public fun channels(): List<ChannelInfo> = core.channels.values.map { it.info() }.sortedBy { it.name }

    /** How many client sessions it holds now, attached or waiting to be resumed. Never blocks. */
    public fun sessions(): Int = core.sessionCount()

    /**
     * Stops the server, ends every client stream and closes the durable logs; blocks until done
     * (at most 10 seconds). A second call does nothing.
     *
     * @throws IllegalStateException if called on a Vert.x event-loop thread.
     */
    override fun close() {
        checkNotOnEventLoop("ChannelNode.close")
        if (closed) return
        closed = true
        vertx.cancelTimer(watchdog)
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        } finally {
            core.close()
        }
    }

    @Volatile
    private var closed = false

    override fun toString(): String = "ChannelNode($address, ${core.channels.size} channels)"

    public companion object {
        /**
         * Starts a node with [config]: replays the durable channels' logs, then listens; blocks
         * until it does.
         *
         * @throws IllegalStateException if called on a Vert.x event-loop thread.
         * @throws java.io.IOException if a log cannot be read or the port cannot be bound (the
         *   cause is kept).
         */
        @JvmStatic
        public fun start(config: NodeConfig): ChannelNode {
            checkNotOnEventLoop("ChannelNode.start")
            val vertx = Vertx.vertx()
            try {
                val core = NodeCore(config, vertx)
                val grpc = GrpcServer.server(vertx, GrpcServerOptions().setMaxMessageSize(config.maxFrameBytes.toLong()))
                val expected = config.tokens.map { "Bearer $it".toByteArray() }
                grpc.callHandler(ChannelServiceGrpcService.Connect) { req ->
                    val presented = req.headers().get("authorization")?.toByteArray()
                    val ok = config.allowAnonymous || (presented != null && expected.any { MessageDigest.isEqual(it, presented) })
                    if (!ok) {
                        req.response().status(GrpcStatus.UNAUTHENTICATED)
                            .statusMessage(if (presented == null) "a token is required (authorization: Bearer <token>)" else "the token is not valid")
                            .end()
                    } else {
                        NodeConnection(core, req, Vertx.currentContext() ?: error("no Vert.x context")).start()
                    }
                }
                val options = HttpServerOptions().setHost(config.host).setPort(config.port)
                val keyStore = config.tlsKeyStore
                if (keyStore != null) {
                    options.setSsl(true).setUseAlpn(true).setKeyCertOptions(PfxOptions().setPath(keyStore.toString()).setPassword(config.tlsKeyStorePassword))
                }
                val server = vertx.createHttpServer(options).requestHandler(grpc).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
                val deadNanos = config.deadAfter.toNanos()
                val watchdog = vertx.setPeriodic(maxOf(1L, config.heartbeat.toMillis())) {
                    val now = System.nanoTime()
                    for (c in core.connections()) {
                        if (now - c.lastHeard > deadNanos) c.endFromElsewhere(GrpcStatus.UNAVAILABLE, "no frame from the client for ${config.deadAfter}")
                    }
                }
                val registry = PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                core.bindMetrics(NodeMetrics(registry, core))
                val http = if (config.httpPort >= 0) StatusServer.start(vertx, config.host, config.httpPort, core, registry) else null
                return ChannelNode(config, vertx, core, server, watchdog, http, registry)
            } catch (e: Throwable) {
                vertx.close()
                throw if (e is java.util.concurrent.ExecutionException) java.io.IOException("could not start the node on ${config.host}:${config.port}: ${e.cause}", e.cause) else e
            }
        }
    }
}

/** Vert.x's rule for blocking calls: never on an event loop, where they would stall every stream of it. */
internal fun checkNotOnEventLoop(what: String) {
    check(!Context.isOnEventLoopThread()) { "$what blocks and must not be called on a Vert.x event-loop thread" }
}
