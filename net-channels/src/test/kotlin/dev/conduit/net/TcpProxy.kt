package dev.conduit.net

import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread
import kotlin.concurrent.withLock

/**
 * A TCP proxy on loopback that a test controls: it forwards every connection to [target], and
 * [cut] breaks all current connections at once (with a reset, as a failed network does), while
 * [freeze] keeps them open but stops forwarding (a silent, half-open connection, which only
 * heartbeats find). New connections are accepted and forwarded throughout.
 */
class TcpProxy(private val targetHost: String, private val targetPort: Int) : AutoCloseable {
    private val server = ServerSocket().apply { bind(InetSocketAddress("127.0.0.1", 0)) }
    private val pairs = CopyOnWriteArrayList<Pair<Socket, Socket>>()

    @Volatile
    private var frozen = false
    private val gate = java.util.concurrent.locks.ReentrantLock()
    private val thawed = gate.newCondition()

    @Volatile
    var connectionsMade = 0
        private set

    val address: String get() = "127.0.0.1:${server.localPort}"

    init {
        thread(isDaemon = true, name = "tcp-proxy-accept") {
            while (!server.isClosed) {
                val client = try {
                    server.accept()
                } catch (e: Exception) {
                    break
                }
                val upstream = try {
                    Socket(targetHost, targetPort)
                } catch (e: Exception) {
                    client.close()
                    continue
                }
                client.tcpNoDelay = true
                upstream.tcpNoDelay = true
                val pair = client to upstream
                pairs += pair
                connectionsMade++
                pump(client, upstream, pair)
                pump(upstream, client, pair)
            }
        }
    }

    private fun pump(from: Socket, to: Socket, pair: Pair<Socket, Socket>) {
        thread(isDaemon = true, name = "tcp-proxy-pump") {
            val buf = ByteArray(16 * 1024)
            try {
                val input = from.getInputStream()
                val output = to.getOutputStream()
                while (true) {
                    val n = input.read(buf)
                    if (n < 0) break
                    awaitThawed(from)
                    if (from.isClosed) break
                    output.write(buf, 0, n)
                    output.flush()
                }
            } catch (_: Exception) {
                // the connection broke or was cut
            } finally {
                kill(pair)
            }
        }
    }

    private fun kill(pair: Pair<Socket, Socket>) {
        pairs -= pair
        gate.withLock { thawed.signalAll() }
        for (s in listOf(pair.first, pair.second)) {
            try {
                s.setSoLinger(true, 0)
                s.close()
            } catch (_: Exception) {
                // closed already
            }
        }
    }

    /** Resets every connection now; returns how many there were. */
    fun cut(): Int {
        val now = pairs.toList()
        now.forEach(::kill)
        return now.size
    }

    /** Blocks while the proxy is frozen, until [thaw] or [from] is closed (by [cut] or [close]). */
    private fun awaitThawed(from: Socket) {
        gate.withLock { while (frozen && !from.isClosed) thawed.await() }
    }

    /** Stops forwarding on every connection, new ones included, without closing any ([thaw] resumes). */
    fun freeze() {
        gate.withLock { frozen = true }
    }

    fun thaw() {
        gate.withLock {
            frozen = false
            thawed.signalAll()
        }
    }

    override fun close() {
        server.close()
        cut()
    }
}
