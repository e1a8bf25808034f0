package dev.conduit.net

import java.nio.file.Path
import java.time.Duration

/**
 * How a [ChannelNode] runs: where it listens, who may connect, its limits and its storage.
 * Immutable; made by [builder], which rejects bad values naming them.
 *
 * Authentication is required: a node needs at least one [Builder.token], or an explicit
 * [Builder.allowAnonymous] (for tests on a machine of one's own).
 */
public class NodeConfig private constructor(b: Builder) {
    /** The interface the node binds to: `127.0.0.1` unless set. */
    public val host: String = b.host

    /** The port: 0 (the default) picks a free one; [ChannelNode.port] tells which. */
    public val port: Int = b.port

    /** The bearer tokens a client may present; empty only with [allowAnonymous]. */
    public val tokens: Set<String> = b.tokens.toSet()

    /** Whether clients without a token are let in. */
    public val allowAnonymous: Boolean = b.allowAnonymous

    /** The largest gRPC message (a batch of frames) and so the largest value, in bytes. */
    public val maxFrameBytes: Int = b.maxFrameBytes

    /** How many channels one client may have open. */
    public val maxChannelsPerClient: Int = b.maxChannelsPerClient

    /** How many credits, pulls and unacknowledged deliveries one client may hold at once. */
    public val maxInFlightPerClient: Int = b.maxInFlightPerClient

    /** How often the node expects a frame from each client; a client silent for [deadAfter] is dropped. */
    public val heartbeat: Duration = b.heartbeat

    /** How long a client may stay silent before its connection is dropped. */
    public val deadAfter: Duration = b.deadAfter ?: b.heartbeat.multipliedBy(3)

    /**
     * How long the session of a client whose connection broke is kept for it to resume: its
     * unacknowledged deliveries wait that long before going back to their channels.
     */
    public val sessionGrace: Duration = b.sessionGrace

    /** Where durable channels keep their logs; `null`: durable channels are refused. */
    public val dataDir: Path? = b.dataDir

    /** When a durable channel's log is forced to disk. */
    public val fsync: Fsync = b.fsync

    /**
     * The port of the node's HTTP side (`/metrics` for Prometheus, `/` the live status page,
     * `/status.json`), on [host]; -1 (the default): none; 0: any free one ([ChannelNode.httpPort]).
     */
    public val httpPort: Int = b.httpPort

    /** The PKCS#12 key store holding the node's TLS key and certificate; `null`: plain text. */
    public val tlsKeyStore: Path? = b.tlsKeyStore

    /** The password of [tlsKeyStore]. */
    public val tlsKeyStorePassword: String? = b.tlsKeyStorePassword

    /** When a durable channel forces its log to disk before acknowledging. */
    public enum class Fsync {
        /** After every accepted value, before it is acknowledged. */
        PER_SEND,

        /** Once per batch of frames from a client (every value of it is acknowledged after that one force). */
        PER_BATCH,
    }

    /** A builder of [NodeConfig]; every setter checks its argument. */
    public class Builder internal constructor() {
        internal var host = "127.0.0.1"
        internal var port = 0
        internal val tokens = LinkedHashSet<String>()
        internal var allowAnonymous = false
        internal var maxFrameBytes = 4 shl 20
        internal var maxChannelsPerClient = 1024
        internal var maxInFlightPerClient = 65_536
        internal var heartbeat: Duration = Duration.ofSeconds(5)
        internal var deadAfter: Duration? = null
        internal var sessionGrace: Duration = Duration.ofSeconds(30)
        internal var dataDir: Path? = null
        internal var fsync = Fsync.PER_BATCH
        internal var tlsKeyStore: Path? = null
        internal var tlsKeyStorePassword: String? = null
        internal var httpPort = -1

        /** Binds to [host] (`0.0.0.0` for every interface). @throws IllegalArgumentException if blank. */
        public fun host(host: String): Builder = apply {
            require(host.isNotBlank()) { "host must not be blank" }
            this.host = host
        }

        /** Listens on [port] (0: any free one). @throws IllegalArgumentException if not in 0..65535. */
        public fun port(port: Int): Builder = apply {
            require(port in 0..65535) { "port must be in 0..65535, but was $port" }
            this.port = port
        }

        /** Lets in clients presenting [token]; may be called for several. @throws IllegalArgumentException if blank. */
        public fun token(token: String): Builder = apply {
            require(token.isNotBlank()) { "token must not be blank" }
            tokens += token
        }

        /** Lets in clients without a token: only for a node no one else can reach. */
        public fun allowAnonymous(): Builder = apply { allowAnonymous = true }

        /** @throws IllegalArgumentException if [bytes] is below 1024. */
        public fun maxFrameBytes(bytes: Int): Builder = apply {
            require(bytes >= 1024) { "maxFrameBytes must be >= 1024, but was $bytes" }
            maxFrameBytes = bytes
        }

        /** @throws IllegalArgumentException if [n] < 1. */
        public fun maxChannelsPerClient(n: Int): Builder = apply {
            require(n >= 1) { "maxChannelsPerClient must be >= 1, but was $n" }
            maxChannelsPerClient = n
        }

        /** @throws IllegalArgumentException if [n] < 1. */
        public fun maxInFlightPerClient(n: Int): Builder = apply {
            require(n >= 1) { "maxInFlightPerClient must be >= 1, but was $n" }
            maxInFlightPerClient = n
        }

        /** @throws IllegalArgumentException if not positive. */
        public fun heartbeat(interval: Duration): Builder = apply {
            require(!interval.isNegative && !interval.isZero) { "heartbeat must be > 0, but was $interval" }
            heartbeat = interval
        }

        /** @throws IllegalArgumentException if not positive. */
        public fun deadAfter(silence: Duration): Builder = apply {
            require(!silence.isNegative && !silence.isZero) { "deadAfter must be > 0, but was $silence" }
            deadAfter = silence
        }

        /** @throws IllegalArgumentException if negative. */
        public fun sessionGrace(grace: Duration): Builder = apply {
            require(!grace.isNegative) { "sessionGrace must be >= 0, but was $grace" }
            sessionGrace = grace
        }

        /** Keeps durable channels' logs under [dir] (made if missing). */
        public fun dataDir(dir: Path): Builder = apply { dataDir = dir }

        /** When durable channels force their logs to disk (the default: [Fsync.PER_BATCH]). */
        public fun fsync(policy: Fsync): Builder = apply { fsync = policy }

        /** Serves metrics and the status page on [port] (0: any free one). @throws IllegalArgumentException if not in 0..65535. */
        public fun httpPort(port: Int): Builder = apply {
            require(port in 0..65535) { "httpPort must be in 0..65535, but was $port" }
            httpPort = port
        }

        /** Serves TLS with the key and certificate in the PKCS#12 [keyStore]. */
        public fun tls(keyStore: Path, password: String): Builder = apply {
            tlsKeyStore = keyStore
            tlsKeyStorePassword = password
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException if no token was given and anonymous clients were not allowed.
         */
        public fun build(): NodeConfig {
            check(tokens.isNotEmpty() || allowAnonymous) {
                "a node needs at least one token(...) (authentication is required), or allowAnonymous()"
            }
            return NodeConfig(this)
        }
    }

    public companion object {
        /** A new builder: 127.0.0.1, any free port, no tokens yet. Never blocks. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
