package dev.conduit.net.node

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry
import io.vertx.core.Vertx
import io.vertx.core.http.HttpServer
import io.vertx.core.json.JsonArray
import io.vertx.core.json.JsonObject
import io.vertx.ext.web.Router
import java.util.concurrent.TimeUnit

/**
 * The node's HTTP side (Vert.x Web), on its own port: `/metrics` for Prometheus to scrape,
 * `/status.json` (every channel's snapshot and the node's counts), and `/` the status page,
 * which reads `/status.json` every second and shows each channel's depth and rates.
 */
internal object StatusServer {
    fun start(vertx: Vertx, host: String, port: Int, core: NodeCore, prometheus: PrometheusMeterRegistry): HttpServer {
        val page = StatusServer::class.java.getResource("/dev/conduit/net/status.html")!!.readText()
        val router = Router.router(vertx)
        router.get("/metrics").handler { ctx ->
            ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(prometheus.scrape())
        }
        router.get("/status.json").handler { ctx ->
            ctx.response().putHeader("content-type", "application/json").end(status(core).encode())
        }
        router.get("/").handler { ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(page) }
        return vertx.createHttpServer().requestHandler(router).listen(port, host)
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
    }

    fun status(core: NodeCore): JsonObject {
        val channels = JsonArray()
        for (ch in core.channels.values.sortedBy { it.name }) {
            val i = ch.info()
            channels.add(
                JsonObject().put("name", i.name).put("capacity", i.capacity).put("durable", i.durable).put("closed", i.closed)
                    .put("len", i.len).put("inFlight", i.inFlight).put("sent", i.sent).put("received", i.received)
                    .put("redelivered", i.redelivered).put("duplicates", i.duplicates).put("bytes", i.bytes)
                    .put("clients", i.clients).put("waitingSenders", i.waitingSenders).put("waitingReceivers", i.waitingReceivers),
            )
        }
        return JsonObject().put("sessions", core.sessionCount()).put("streams", core.connections().size)
            .put("timeMillis", System.currentTimeMillis()).put("channels", channels)
    }
}
