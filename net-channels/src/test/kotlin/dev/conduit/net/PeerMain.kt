package dev.conduit.net

import kotlinx.coroutines.runBlocking

/**
 * A second JVM for [SecondJvmTest]: `produce <address> <token> <channel> <count>` sends 1..count
 * and prints `ACKED i` once each send returned (the node accepted it); `consume <address> <token>
 * <channel>` prints `GOT v` for every value it receives. Killed by the test mid-stream.
 */
object PeerMain {
    @JvmStatic
    fun main(args: Array<String>) {
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
