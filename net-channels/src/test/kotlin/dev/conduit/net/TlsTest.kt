package dev.conduit.net

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** Runs the JDK's keytool with [args], failing on a non-zero exit. */
private fun keytool(vararg args: String) {
    val tool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString()
    val p = ProcessBuilder(listOf(tool) + args).redirectErrorStream(true).start()
    val out = p.inputStream.bufferedReader().readText()
    check(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) { "keytool ${args.toList()} failed: $out" }
}

class TlsTest : FunSpec({
    test("a node serving TLS with a certificate the test makes: a client trusting it works, a plain-text one cannot connect") {
        val dir = tempDir("conduit-tls")
        val keyStore = dir.resolve("node.p12")
        val trustStore = dir.resolve("trust.p12")
        val cert = dir.resolve("node.crt")
        keytool(
            "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
            "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
            "-keystore", keyStore.toString(), "-storepass", "secret", "-keypass", "secret",
        )
        keytool("-exportcert", "-alias", "node", "-keystore", keyStore.toString(), "-storepass", "secret", "-file", cert.toString())
        keytool("-importcert", "-noprompt", "-alias", "node", "-file", cert.toString(), "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", "secret")

        startNode { tls(keyStore, "secret") }.use { node ->
            connect(node) { tls(trustStore, "secret") }.use { client ->
                val ch = client.chan("secure", 2, Codecs.utf8())
                bounded {
                    ch.send("over tls")
                    ch.receive() shouldBe "over tls"
                }
            }
            shouldThrow<RemoteChannelException> { connect(node) { requestTimeout(java.time.Duration.ofSeconds(2)) } }.code shouldBe "UNAVAILABLE"
        }
    }
})
