package dev.conduit.net

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.vertx.core.json.JsonObject
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

fun httpGet(url: String): Pair<Int, String> {
    val r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
    return r.statusCode() to r.body()
}

class MonitoringTest : FunSpec({
    test("per-channel and per-node metrics on a Prometheus endpoint, and the status JSON the page reads") {
        startNode { httpPort(0) }.use { node ->
            connect(node).use { client ->
                val ch = client.chan("watched", 10, Codecs.utf8())
                bounded {
                    for (i in 1..5) ch.send("v$i")
                    repeat(3) { ch.receive() }
                    // Acknowledgements go out after the receive returns: wait for the third.
                    awaitUntil { node.channel("watched")!!.received == 3L }
                }
                val info = node.channel("watched")!!
                info.sent shouldBe 5
                info.received shouldBe 3
                info.len shouldBe 2
                info.clients shouldBe 1
                val base = "http://127.0.0.1:${node.httpPort}"
                val (code, metrics) = httpGet("$base/metrics")
                code shouldBe 200
                metrics shouldContain "conduit_channel_sent_total{channel=\"watched\"} 5.0"
                metrics shouldContain "conduit_channel_received_total{channel=\"watched\"} 3.0"
                metrics shouldContain "conduit_channel_len{channel=\"watched\"} 2.0"
                metrics shouldContain "conduit_channel_clients{channel=\"watched\"} 1.0"
                metrics shouldContain "conduit_channel_queue_time_seconds_count{channel=\"watched\"} 3"
                metrics shouldContain "conduit_channel_queue_time_seconds_bucket{channel=\"watched\""
                metrics shouldContain "conduit_node_sessions 1.0"
                val status = JsonObject(httpGet("$base/status.json").second)
                status.getInteger("sessions") shouldBe 1
                val c = status.getJsonArray("channels").getJsonObject(0)
                c.getString("name") shouldBe "watched"
                c.getInteger("len") shouldBe 2
                c.getLong("sent") shouldBe 5
                val (pageCode, page) = httpGet("$base/")
                pageCode shouldBe 200
                page shouldContain "/status.json"
            }
        }
    }
})
