package dev.conduit.net

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.nio.file.Path
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/** The token every test node accepts. */
const val TOKEN = "test-token"

/** A node on loopback with the test token, configured further by [configure]. */
fun startNode(configure: NodeConfig.Builder.() -> Unit = {}): ChannelNode =
    ChannelNode.start(NodeConfig.builder().token(TOKEN).apply(configure).build())

/** A client of [node] with the test token. */
fun connect(node: ChannelNode, configure: RemoteClientOptions.Builder.() -> Unit = {}): RemoteClient =
    connect(node.address, configure)

fun connect(address: String, configure: RemoteClientOptions.Builder.() -> Unit = {}): RemoteClient =
    RemoteChannels.connect(address, Credentials.token(TOKEN), RemoteClientOptions.builder().apply(configure).build())

/** Runs [block] in a coroutine on real threads, failing if it takes longer than [limit]: a bounded join, not a sleep. */
fun <T> bounded(limit: Duration = 30.seconds, onTimeout: () -> Unit = {}, block: suspend () -> T): T =
    try {
        runBlocking { withTimeout(limit) { withContext(Dispatchers.IO) { block() } } }
    } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
        onTimeout()
        throw e
    }

/** A fresh empty directory for a durable node. */
fun tempDir(prefix: String): Path = java.nio.file.Files.createTempDirectory(prefix)

/** Waits until [condition] holds, checking every millisecond; the caller bounds the wait (see [bounded]). */
suspend fun awaitUntil(condition: () -> Boolean) {
    while (!condition()) kotlinx.coroutines.delay(1)
}
