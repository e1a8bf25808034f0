package dev.conduit.net

/**
 * The entry point for clients of a [ChannelNode]:
 *
 * ```
 * RemoteChannels.connect("127.0.0.1:7070", Credentials.token(token)).use { client ->
 *     val jobs = client.chan("jobs", 100, Codecs.utf8())
 *     jobs.send("hello")            // returns once the node accepted it
 * }
 * ```
 */
public object RemoteChannels {
    /**
     * Connects to the node at [address] (`host:port`) with [credentials]; blocks until the node
     * welcomed the client (at most [RemoteClientOptions.requestTimeout]). Later breaks of the
     * connection are repaired by the client; this first connection fails at once if it cannot
     * be made.
     *
     * @throws IllegalArgumentException if [address] is not `host:port`.
     * @throws RemoteChannelException UNAUTHENTICATED if the node refused the credentials,
     *   UNAVAILABLE if it cannot be reached or did not answer in time.
     * @throws IllegalStateException if called on a Vert.x event-loop thread.
     */
    @JvmStatic
    @JvmOverloads
    public fun connect(address: String, credentials: Credentials, options: RemoteClientOptions = RemoteClientOptions.defaults()): RemoteClient {
        checkNotOnEventLoop("RemoteChannels.connect")
        java.util.Objects.requireNonNull(credentials, "credentials")
        java.util.Objects.requireNonNull(options, "options")
        val client = RemoteClient(address, credentials, options)
        client.start()
        return client
    }
}
