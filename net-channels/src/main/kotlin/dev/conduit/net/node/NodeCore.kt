package dev.conduit.net.node

import dev.conduit.net.NodeConfig
import io.vertx.core.Vertx
import java.nio.file.Files
import java.util.concurrent.ConcurrentHashMap

/**
 * A node's state apart from its server: the channels by name, the sessions by id, the live
 * streams, and the rules for creating, resuming and ending them.
 */
internal class NodeCore(val config: NodeConfig, private val vertx: Vertx) {
    val channels = ConcurrentHashMap<String, NodeChannel>()

    /** The node's meters, once [bindMetrics] made them; every channel, now and later, gets its own. */
    @Volatile
    private var metrics: NodeMetrics? = null

    fun bindMetrics(m: NodeMetrics) {
        metrics = m
        for (ch in channels.values) m.bind(ch)
    }
    private val sessions = HashMap<String, NodeSession>()
    private val connections = ConcurrentHashMap.newKeySet<NodeConnection>()

    /** A request the node turns down, answered with an Error frame of [code]. */
    class Refused(val code: String, message: String) : Exception(message)

    init {
        val dir = config.dataDir
        if (dir != null) {
            Files.createDirectories(dir)
            for (name in ChannelLog.namesIn(dir)) {
                val (contents, log) = ChannelLog.recover(dir, name)
                val ch = NodeChannel(name, contents.capacity, log, config.fsync, contents)
                channels[name] = ch
                synchronized(sessions) { ch.restore(contents.outstanding) { id -> sessions.getOrPut(id) { NodeSession(id) } } }
            }
            synchronized(sessions) { for (s in sessions.values.toList()) startGrace(s) }
        }
    }

    /** The channel [name], made with [capacity] (and [durable]) if it does not exist. */
    fun channelFor(name: String, capacity: Int, durable: Boolean): NodeChannel {
        if (name.isBlank() || name.length > MAX_NAME) throw Refused("INVALID_ARGUMENT", "channel name must be 1..$MAX_NAME characters")
        if (capacity < 0) throw Refused("INVALID_ARGUMENT", "capacity must be >= 0, but was $capacity")
        channels[name]?.let { return checked(it, capacity, durable) }
        synchronized(channels) {
            channels[name]?.let { return checked(it, capacity, durable) }
            val log = if (durable) {
                val dir = config.dataDir ?: throw Refused("FAILED_PRECONDITION", "channel '$name': durable channels need a node with a data directory")
                if (capacity == 0) throw Refused("INVALID_ARGUMENT", "channel '$name': a durable channel needs a buffer (capacity > 0); a rendezvous keeps nothing")
                ChannelLog.create(dir, name, capacity)
            } else {
                null
            }
            val ch = NodeChannel(name, capacity, log, config.fsync, null)
            channels[name] = ch
            metrics?.bind(ch)
            return ch
        }
    }

    private fun checked(ch: NodeChannel, capacity: Int, durable: Boolean): NodeChannel {
        if (ch.capacity != capacity) throw Refused("FAILED_PRECONDITION", "channel '${ch.name}' has capacity ${ch.capacity}, not $capacity")
        if (ch.durable != durable) throw Refused("FAILED_PRECONDITION", "channel '${ch.name}' is ${if (ch.durable) "" else "not "}durable")
        return ch
    }

    fun register(c: NodeConnection) {
        connections += c
    }

    fun forget(c: NodeConnection) {
        connections -= c
    }

    fun connections(): Collection<NodeConnection> = connections

    /** The session [id] for stream [c]: resumed if the node holds it (a stream still on it is ended), else new. */
    fun attachSession(id: String, c: NodeConnection): Pair<NodeSession, Boolean> {
        val old: NodeConnection?
        val result: Pair<NodeSession, Boolean>
        synchronized(sessions) {
            val s = sessions[id]
            if (s == null) {
                val fresh = NodeSession(id)
                fresh.connection = c
                sessions[id] = fresh
                return fresh to false
            }
            if (s.graceTimer >= 0) vertx.cancelTimer(s.graceTimer)
            s.graceTimer = -1
            old = s.connection
            s.connection = c
            result = s to true
        }
        // A client reconnecting before the node saw its old stream break: that stream is stale,
        // and the session's channels are suspended now (its end will find the session taken), so
        // the new stream's Open frames resume them.
        if (old != null && old !== c) {
            for (att in result.first.attachments.values) att.channel.suspend(att)
            old.endFromElsewhere(io.vertx.grpc.common.GrpcStatus.ABORTED, "session $id resumed on a newer stream")
        }
        return result
    }

    /** [c], the stream of [s], is gone: [s] waits [NodeConfig.sessionGrace] to be resumed. */
    fun suspendSession(s: NodeSession, c: NodeConnection) {
        synchronized(sessions) {
            if (s.connection !== c) return
            s.connection = null
        }
        for (att in s.attachments.values) att.channel.suspend(att)
        synchronized(sessions) {
            if (s.connection != null || sessions[s.id] !== s) return
            startGrace(s)
        }
    }

    /** Ends suspended [s] after the session grace unless it is resumed first; guarded by the session lock. */
    private fun startGrace(s: NodeSession) {
        val grace = config.sessionGrace.toMillis()
        if (grace <= 0) {
            endSessionLocked(s)
        } else {
            s.graceTimer = vertx.setTimer(grace) {
                synchronized(sessions) { if (s.connection == null && sessions[s.id] === s) endSessionLocked(s) }
            }
        }
    }

    /** The client left for good (Detach): its deliveries go back to their channels now. */
    fun detachSession(s: NodeSession) {
        synchronized(sessions) {
            s.connection = null
            endSessionLocked(s)
        }
    }

    private fun endSessionLocked(s: NodeSession) {
        sessions.remove(s.id)
        s.graceTimer = -1
        for (att in s.attachments.values) {
            att.channel.detach(att)
            att.channel.sync()
        }
        s.attachments.clear()
    }

    /** How many sessions the node holds (attached or waiting to be resumed). */
    fun sessionCount(): Int = synchronized(sessions) { sessions.size }

    fun close() {
        for (ch in channels.values) ch.closeLog()
    }

    companion object {
        const val MAX_NAME = 256
    }
}
