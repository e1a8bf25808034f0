package dev.conduit.net.node

import io.micrometer.core.instrument.FunctionCounter
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Timer

/**
 * The node's Micrometer meters: per channel (tag `channel`) the counters of [NodeChannel.info]
 * (sent, received, redelivered, duplicates, bytes), gauges of its state (len, in flight,
 * clients, waiting senders and receivers) and a histogram of the time values wait in it
 * (accepted to delivered); per node the sessions and streams. Each reading takes one snapshot of
 * the channel under its lock.
 */
internal class NodeMetrics(private val registry: MeterRegistry, core: NodeCore) {
    init {
        Gauge.builder("conduit.node.sessions", core) { it.sessionCount().toDouble() }
            .description("client sessions held (attached or waiting to resume)").register(registry)
        Gauge.builder("conduit.node.streams", core) { it.connections().size.toDouble() }
            .description("client streams open").register(registry)
        Gauge.builder("conduit.node.channels", core) { it.channels.size.toDouble() }
            .description("channels hosted").register(registry)
    }

    /** Registers [ch]'s meters and gives it its queue-time timer. */
    fun bind(ch: NodeChannel) {
        fun counter(name: String, description: String, read: (dev.conduit.net.ChannelInfo) -> Long) {
            FunctionCounter.builder("conduit.channel.$name", ch) { read(it.info()).toDouble() }
                .tag("channel", ch.name).description(description).register(registry)
        }
        fun gauge(name: String, description: String, read: (dev.conduit.net.ChannelInfo) -> Int) {
            Gauge.builder("conduit.channel.$name", ch) { read(it.info()).toDouble() }
                .tag("channel", ch.name).description(description).register(registry)
        }
        counter("sent", "values accepted (duplicates not counted)") { it.sent }
        counter("received", "values delivered and acknowledged") { it.received }
        counter("redelivered", "values that went back to the head of the channel") { it.redelivered }
        counter("duplicates", "duplicate sends dropped") { it.duplicates }
        counter("bytes", "bytes of accepted values") { it.bytes }
        gauge("len", "values in the buffer") { it.len }
        gauge("capacity", "buffer size") { it.capacity }
        gauge("in.flight", "values delivered and not yet acknowledged") { it.inFlight }
        gauge("clients", "clients connected with the channel open") { it.clients }
        gauge("waiting.senders", "credits asked for and not granted") { it.waitingSenders }
        gauge("waiting.receivers", "pulls not yet served") { it.waitingReceivers }
        ch.queueTimer = Timer.builder("conduit.channel.queue.time").tag("channel", ch.name)
            .description("time from a value's acceptance to its delivery to a receiver")
            .publishPercentileHistogram().register(registry)
    }
}
