package dev.conduit.net

import java.util.concurrent.CompletableFuture

/**
 * The Java entry point for clients of a [ChannelNode], blocking or with futures; the remote
 * channels it opens work with the Java facade exactly as local ones (blocking calls that park
 * the thread, `Duration` timeouts, withdrawing futures, `Select`) once wrapped:
 *
 * ```java
 * try (RemoteClient client = RemoteChans.connect("127.0.0.1:7070", Credentials.token(token))) {
 *     Channel<String> jobs = Channel.wrap(client.chan("jobs", 100, Codecs.utf8()));
 *     jobs.send("hello");                                  // returns once the node accepted it
 *     String next = jobs.receive(Duration.ofSeconds(1));   // TimeoutException if none came
 * }
 * ```
 */
public object RemoteChans {
    /**
     * Connects, blocking until the node welcomed the client; see [RemoteChannels.connect].
     *
     * @throws RemoteChannelException UNAUTHENTICATED or UNAVAILABLE, as [RemoteChannels.connect].
     * @throws IllegalArgumentException if [address] is not `host:port`.
     * @throws IllegalStateException if called on a Vert.x event-loop thread.
     */
    @JvmStatic
    @JvmOverloads
    public fun connect(address: String, credentials: Credentials, options: RemoteClientOptions = RemoteClientOptions.defaults()): RemoteClient =
        RemoteChannels.connect(address, credentials, options)

    /**
     * Connects without blocking the caller (on a thread of its own): the future completes with
     * the client once the node welcomed it, or fails as [connect] throws. Never blocks.
     */
    @JvmStatic
    @JvmOverloads
    public fun connectAsync(address: String, credentials: Credentials, options: RemoteClientOptions = RemoteClientOptions.defaults()): CompletableFuture<RemoteClient> =
        // Connecting blocks: on a thread of its own, not one of the common pool's.
        CompletableFuture.supplyAsync({ RemoteChannels.connect(address, credentials, options) }) { task ->
            Thread(task, "conduit-connect $address").apply { isDaemon = true }.start()
        }
}
