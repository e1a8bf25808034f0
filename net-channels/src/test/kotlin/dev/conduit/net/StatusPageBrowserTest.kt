package dev.conduit.net

import io.kotest.core.spec.style.FunSpec
import io.kotest.core.test.Enabled
import io.kotest.matchers.ints.shouldBeGreaterThan
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/** Debian's Chromium, which .ci/run installs (apt-get install chromium). */
private val chromium: Path = Path.of("/usr/bin/chromium")

/** The node's status page in a real headless browser: it lists the channel and refreshes by itself. */
class StatusPageBrowserTest : FunSpec({
    test("the status page shows a channel's counts and updates them live").config(
        enabledOrReasonIf = {
            if (Files.isExecutable(chromium)) Enabled.enabled
            else Enabled.disabled("no browser at $chromium: install Debian's chromium (apt-get install chromium), as .ci/run does")
        },
    ) {
        val script = NodeTools.script("status-page.mjs", "playwright-core@1.65")
        startNode { httpPort(0) }.use { node ->
            connect(node).use { client ->
                val ch = client.chan("browser-watched", 100, Codecs.utf8())
                bounded { for (i in 1..3) ch.send("v$i") }
                val p = ProcessBuilder("node", script.toString(), chromium.toString(), "http://127.0.0.1:${node.httpPort}/", "browser-watched")
                    .directory(script.parent.toFile()).redirectErrorStream(true).start()
                val lines = LinkedBlockingQueue<String>()
                val all = StringBuilder()
                thread(isDaemon = true) { p.inputStream.bufferedReader().forEachLine { all.appendLine(it); lines += it } }
                fun next(prefix: String): Int {
                    while (true) {
                        val line = lines.poll(30, TimeUnit.SECONDS) ?: error("the browser script printed no '$prefix' within 30 s:\n$all")
                        if (line.startsWith(prefix)) return line.removePrefix(prefix).trim().toInt()
                    }
                }
                val first = next("LOADED")
                first shouldBeGreaterThan 0
                bounded { for (i in 4..8) ch.send("v$i") }
                next("LIVE") shouldBeGreaterThan first
                check(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) { "the browser script failed:\n$all" }
            }
        }
    }
})
