package dev.conduit.net

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.PrintWriter
import java.io.StringWriter

class NodeMainTest : FunSpec({
    fun run(vararg args: String): Triple<Int, String, String> {
        val out = StringWriter()
        val err = StringWriter()
        val code = NodeMain.commandLine().setOut(PrintWriter(out)).setErr(PrintWriter(err)).execute(*args)
        return Triple(code, out.toString(), err.toString())
    }

    test("--help lists every option") {
        val (code, out, _) = run("--help")
        code shouldBe 0
        for (option in listOf("--port", "--host", "--data-dir", "--token", "--token-file", "--fsync", "--tls-keystore", "--session-grace-ms")) out shouldContain option
    }

    test("a bad option or configuration is a usage error naming it") {
        val (code, _, err) = run("--port", "not-a-number")
        code shouldBe 2
        err shouldContain "--port"
        val (code2, _, err2) = run("--port", "0")
        code2 shouldBe 2
        err2 shouldContain "token"
        val (code3, _, err3) = run("--port", "70000", "--token", "t")
        code3 shouldBe 2
        err3 shouldContain "port must be in 0..65535, but was 70000"
    }
})
