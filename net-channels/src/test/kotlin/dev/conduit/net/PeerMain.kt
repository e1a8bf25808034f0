package dev.conduit.net

import kotlinx.coroutines.runBlocking
import java.nio.file.Path

/**
 * A second JVM for [SecondJvmTest], killed by the test mid-stream:
 * - `produce <address> <token> <channel> <count>` sends 1..count and prints `ACKED i` once each
 *   send returned (the node accepted it);
 * - `consume <address> <token> <channel>` prints `GOT v` for every value it receives;
 * - `node <port> <token> <data-dir>` runs a node and prints `LISTENING <port>` once it serves.
 */
object PeerMain {
    @JvmStatic
    fun main(args: Array<String>) {
        if (args[0] == "node") {
            val (_, port, token, dir) = args
            ChannelNode.start(NodeConfig.builder().port(port.toInt()).token(token).dataDir(Path.of(dir)).build())
            println("LISTENING $port")
            Thread.currentThread().join()
        }
        val (mode, address, token, channel) = args
        val client = RemoteChannels.connect(address, Credentials.token(token))
        val ch = client.chan(channel, 64, Codecs.utf8())
        runBlocking {
            when (mode) {
                "produce" -> for (i in 1..args[4].toInt()) {
                    ch.send(i.toString())
                    println("ACKED $i")
                }
                "consume" -> while (true) println("GOT ${ch.receive()}")
            }
        }
        client.close()
    }
}
