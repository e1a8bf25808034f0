package dev.conduit.net

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.vertx.core.json.JsonObject
import java.nio.file.Path

/** A real non-JVM gRPC client (Node.js, @grpc/grpc-js) speaking only conduit.proto to a node. */
class NodeJsClientTest : FunSpec({
    test("a Node.js client sends to and receives from a node using only conduit.proto") {
        val script = NodeTools.script("conduit-client.mjs", "@grpc/grpc-js@1.14.7", "@grpc/proto-loader@0.8.1")
        startNode().use { node ->
            connect(node).use { kotlin ->
                val toJs = kotlin.chan("to-node-js", 16, Codecs.utf8())
                bounded { for (i in 1..5) toJs.send("k-$i") }
                val proto = Path.of("src", "main", "proto", "conduit.proto").toAbsolutePath().toString()
                val (code, out) = NodeTools.run(script.parent, "node", script.toString(), proto, node.address, TOKEN, timeoutSeconds = 60)
                check(code == 0) { "the Node.js client failed (exit $code):\n$out" }
                val result = JsonObject(out.lines().last { it.startsWith("{") })
                result.getLong("accepted") shouldBe 10
                result.getJsonArray("received").list shouldBe (1..5).map { "k-$it" }
                val fromJs = kotlin.chan("from-node-js", 16, Codecs.utf8())
                bounded { (1..10).map { fromJs.receive() } } shouldBe (1..10).map { "js-$it" }
                bounded { awaitUntil { node.channel("to-node-js")!!.received == 5L } }
            }
        }
    }
})
