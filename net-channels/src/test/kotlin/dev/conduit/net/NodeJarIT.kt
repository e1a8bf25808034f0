package dev.conduit.net

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Path
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/** The standalone node as a user runs it: `java -jar target/conduit-node.jar`, a real process. */
class NodeJarIT : FunSpec({
    test("java -jar conduit-node.jar serves a durable channel that outlives a kill -9 of the node") {
        val jar = System.getProperty("conduit.it.nodeJar")
        val data = tempDir("conduit-node-it")
        val tokenFile = data.resolve("token.txt").also { java.nio.file.Files.writeString(it, "$TOKEN\n") }
        val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()

        fun launch(port: Int): Pair<Process, String> {
            val p = ProcessBuilder(java, "-jar", jar, "--port", port.toString(), "--data-dir", data.toString(), "--token-file", tokenFile.toString())
                .redirectErrorStream(true).start()
            val lines = LinkedBlockingQueue<String>()
            thread(isDaemon = true) {
                try {
                    p.inputStream.bufferedReader().forEachLine { lines += it }
                } catch (_: java.io.IOException) {
                    // killed
                }
            }
            while (true) {
                val line = lines.poll(30, TimeUnit.SECONDS) ?: error("the node printed nothing within 30 s")
                if (line.startsWith("conduit-node listening on ")) return p to line.removePrefix("conduit-node listening on ").substringBefore(' ')
            }
        }

        val (first, address) = launch(0)
        val port = address.substringAfterLast(':').toInt()
        connect(address).use { client ->
            val ch = client.chan("it-jobs", 100, Codecs.utf8(), durable = true)
            bounded { for (i in 1..50) ch.send("job-$i") }
        }
        first.destroyForcibly().waitFor()
        val (second, _) = launch(port)
        try {
            connect(address).use { client ->
                val ch = client.chan("it-jobs", 100, Codecs.utf8(), durable = true)
                bounded { (1..50).map { ch.receive() } } shouldBe (1..50).map { "job-$it" }
            }
        } finally {
            second.destroy()
            second.waitFor(10, TimeUnit.SECONDS)
        }
    }
})
