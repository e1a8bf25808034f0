package dev.conduit.net

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.concurrent.TimeUnit

/**
 * Node.js programs the tests run (src/test/node), each copied into target/node-tools beside the
 * npm packages it needs, which are installed there from the npm registry the first time.
 */
object NodeTools {
    private val dir: Path = Path.of("target", "node-tools").toAbsolutePath()

    /** Runs [command] in [cwd]; its exit code and output (stdout and stderr together). */
    fun run(cwd: Path, vararg command: String, timeoutSeconds: Long = 180): Pair<Int, String> {
        val p = ProcessBuilder(*command).directory(cwd.toFile()).redirectErrorStream(true).start()
        val out = StringBuilder()
        val reader = Thread { p.inputStream.bufferedReader().forEachLine { out.appendLine(it) } }.apply { start() }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            error("${command.toList()} did not finish within $timeoutSeconds s:\n$out")
        }
        reader.join(5000)
        return p.exitValue() to out.toString()
    }

    /** The script [name] from src/test/node, ready to run with [packages] (`name@version`) installed beside it. */
    fun script(name: String, vararg packages: String): Path {
        Files.createDirectories(dir)
        val missing = packages.filter { !Files.isDirectory(dir.resolve("node_modules").resolve(it.substringBeforeLast('@'))) }
        if (missing.isNotEmpty()) {
            val (code, out) = run(dir, "npm", "install", "--no-audit", "--no-fund", "--no-save", *missing.toTypedArray())
            check(code == 0) { "npm install ${missing.joinToString(" ")} failed (exit $code); the npm registry must be reachable:\n$out" }
        }
        val target = dir.resolve(name)
        Files.copy(Path.of("src", "test", "node", name), target, StandardCopyOption.REPLACE_EXISTING)
        return target
    }
}
