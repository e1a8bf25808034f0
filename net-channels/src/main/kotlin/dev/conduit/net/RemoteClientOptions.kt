package dev.conduit.net

import java.nio.file.Path
import java.time.Duration

/**
 * How a [RemoteClient] connects and reconnects, and how much it asks for ahead. Immutable; made
 * by [builder], which rejects bad values naming them.
 */
public class RemoteClientOptions private constructor(b: Builder) {
    /** The first delay before reconnecting; it doubles per failed attempt up to [maxBackoff], with jitter. */
    public val initialBackoff: Duration = b.initialBackoff

    /** The longest delay between reconnection attempts. */
    public val maxBackoff: Duration = b.maxBackoff

    /** How long [RemoteChannels.connect] and [RemoteClient.chan] wait for the node. */
    public val requestTimeout: Duration = b.requestTimeout

    /**
     * Credits a channel keeps ahead for sends once it has sent (0: it asks for one when a send
     * waits). With a window, sends and `trySend` go out at once while credits last, at the cost
     * of holding room on the node that other producers then cannot use while this one is idle.
     */
    public val sendWindow: Int = b.sendWindow

    /**
     * Values a channel pulls ahead of its receivers once it has received (0: one per waiting
     * receive). Prefetched values are this client's until taken; if it disconnects or closes,
     * they go back to the channel.
     */
    public val prefetch: Int = b.prefetch

    /** The largest message accepted from the node, in bytes. */
    public val maxFrameBytes: Int = b.maxFrameBytes

    /** A PKCS#12 trust store for a node serving TLS; `null`: plain text. */
    public val tlsTrustStore: Path? = b.tlsTrustStore

    /** The password of [tlsTrustStore]. */
    public val tlsTrustStorePassword: String? = b.tlsTrustStorePassword

    /** Told of a delivered value its codec could not decode (the value is taken and dropped); by default logged. */
    public val onUndecodable: UndecodableHandler = b.onUndecodable

    /** Told of a value that arrived but could not be decoded. */
    public fun interface UndecodableHandler {
        /** [bytes] arrived on [channel] and the codec threw [error]. Runs on the client's network thread: must not block. */
        public fun undecodable(channel: String, bytes: ByteArray, error: Throwable)
    }

    /** A builder of [RemoteClientOptions]. */
    public class Builder internal constructor() {
        internal var initialBackoff: Duration = Duration.ofMillis(50)
        internal var maxBackoff: Duration = Duration.ofSeconds(5)
        internal var requestTimeout: Duration = Duration.ofSeconds(10)
        internal var sendWindow = 0
        internal var prefetch = 0
        internal var maxFrameBytes = 16 shl 20
        internal var tlsTrustStore: Path? = null
        internal var tlsTrustStorePassword: String? = null
        internal var onUndecodable = UndecodableHandler { channel, bytes, error ->
            System.getLogger(RemoteClient::class.java.name).log(
                System.Logger.Level.WARNING,
                "a value of ${bytes.size} bytes on channel '$channel' could not be decoded and was dropped",
                error,
            )
        }

        /** @throws IllegalArgumentException if not positive. */
        public fun initialBackoff(d: Duration): Builder = apply { initialBackoff = positive(d, "initialBackoff") }

        /** @throws IllegalArgumentException if not positive. */
        public fun maxBackoff(d: Duration): Builder = apply { maxBackoff = positive(d, "maxBackoff") }

        /** @throws IllegalArgumentException if not positive. */
        public fun requestTimeout(d: Duration): Builder = apply { requestTimeout = positive(d, "requestTimeout") }

        /** @throws IllegalArgumentException if negative. */
        public fun sendWindow(n: Int): Builder = apply {
            require(n >= 0) { "sendWindow must be >= 0, but was $n" }
            sendWindow = n
        }

        /** @throws IllegalArgumentException if negative. */
        public fun prefetch(n: Int): Builder = apply {
            require(n >= 0) { "prefetch must be >= 0, but was $n" }
            prefetch = n
        }

        /** @throws IllegalArgumentException if below 1024. */
        public fun maxFrameBytes(n: Int): Builder = apply {
            require(n >= 1024) { "maxFrameBytes must be >= 1024, but was $n" }
            maxFrameBytes = n
        }

        /** Trusts the certificates in the PKCS#12 [trustStore] and connects with TLS. */
        public fun tls(trustStore: Path, password: String): Builder = apply {
            tlsTrustStore = trustStore
            tlsTrustStorePassword = password
        }

        /** Replaces the default (logging) handler of undecodable values. */
        public fun onUndecodable(handler: UndecodableHandler): Builder = apply {
            onUndecodable = java.util.Objects.requireNonNull(handler, "handler")
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException if [maxBackoff] is below [initialBackoff].
         */
        public fun build(): RemoteClientOptions {
            require(maxBackoff >= initialBackoff) { "maxBackoff ($maxBackoff) must be >= initialBackoff ($initialBackoff)" }
            return RemoteClientOptions(this)
        }

        private fun positive(d: Duration, name: String): Duration {
            require(!d.isNegative && !d.isZero) { "$name must be > 0, but was $d" }
            return d
        }
    }

    public companion object {
        /** A new builder with the defaults. Never blocks. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** The defaults: backoff 50 ms to 5 s, no send window, no prefetch. Never blocks. */
        @JvmStatic
        public fun defaults(): RemoteClientOptions = Builder().build()
    }
}
