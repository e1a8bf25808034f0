package dev.conduit.net.node

import dev.conduit.net.ChannelInfo
import dev.conduit.net.NodeConfig
import dev.conduit.net.proto.Accepted
import dev.conduit.net.proto.Closed
import dev.conduit.net.proto.Credit
import dev.conduit.net.proto.Deliver
import dev.conduit.net.proto.EndOfStream
import dev.conduit.net.proto.NodeFrame
import dev.conduit.net.proto.Opened
import dev.conduit.net.proto.Released
import dev.conduit.net.proto.Unpulled
import com.google.protobuf.ByteString

/** A value in a channel: its bytes, its place in the log, and (unbuffered) the sender waiting for it to be taken. */
internal class Stored(val bytes: ByteString, val index: Long, val producer: String, val seq: Long, var sender: Attachment?) {
    /** When it was accepted (System.nanoTime), for the queue-time histogram. */
    val acceptedAt: Long = System.nanoTime()
}

/** A value delivered to a client and not yet acknowledged. */
internal class Delivery(val id: Long, val stored: Stored)

/**
 * One client session's use of one channel, under the handle the client chose: its credits,
 * pulls and unacknowledged deliveries. Guarded by its channel's lock.
 */
internal class Attachment(val session: NodeSession, val handle: Int, val channel: NodeChannel, val producer: String) {
    var wantCredits = 0
    var credits = 0
    var pulls = 0
    var nextDelivery = 1L
    val unacked = ArrayDeque<Delivery>()

    /** The last sequence number on the current stream: a frame with one not above it is out of order. */
    var lastSeqOnStream = 0L

    /** The highest sequence number accepted and not yet answered with Accepted, and duplicates among them. */
    var acceptedUpTo = 0L
    var duplicates = 0
    var grantPending = 0
    var live = true
    var endSent = false

    fun inFlight(): Int = wantCredits + credits + pulls + unacked.size
}

/**
 * A channel hosted by a node: Go's channel over bytes, with its buffer of [capacity] here,
 * credits for senders (a credit is a slot reserved for one value; for a rendezvous, a receiver's
 * pull not yet matched), pulls of receivers served first come first served, and the
 * deliveries each client has not acknowledged yet (they go back to the head of the channel if
 * its client leaves). Every method takes this object's lock; frames to clients are queued on
 * their outboxes, which never block.
 *
 * A durable channel logs every value accepted, delivered, put back and taken; the frames that
 * tell a client something the log must keep (a value delivered, a release done; Accepted, which
 * the connection sends after [sync]) are held until [sync] forced the log, so after a restart the
 * node knows every value out to a client and resumes its session: exactly once across a restart.
 */
internal class NodeChannel(
    val name: String,
    val capacity: Int,
    private val log: ChannelLog?,
    private val fsync: NodeConfig.Fsync,
    restored: ChannelLog.Contents?,
) {
    val durable: Boolean get() = log != null
    private val buffer = ArrayDeque<Stored>()

    /**
     * Durable: frames that wait for the log to be forced ([sync]) before they go out, and whether
     * it holds records a frame waits for that are not forced yet. (A value taken is not forced on
     * its own: lost in a crash, the client's resume acknowledges the value again.)
     */
    private val held = ArrayList<Pair<Attachment, NodeFrame>>()
    private var unforced = false
    private val demand = ArrayDeque<Attachment>()
    private val creditQueue = ArrayDeque<Attachment>()
    private val attachments = LinkedHashSet<Attachment>()
    private val producers = HashMap<String, Long>()
    private var reserved = 0
    private var closed = false
    private var nextIndex = 1L
    val stats = ChannelStats()

    /** Records how long each value waited, accepted to delivered; set when the node has metrics. */
    @Volatile
    var queueTimer: io.micrometer.core.instrument.Timer? = null

    init {
        if (restored != null) {
            for (e in restored.live) buffer.addLast(storedOf(e))
            producers.putAll(restored.producers)
            nextIndex = restored.nextIndex
        }
    }

    private fun storedOf(e: ChannelLog.Entry) = Stored(ByteString.copyFrom(e.bytes), e.index, e.producer, e.seq, null)

    /**
     * After a restart, gives the [outstanding] deliveries of the log back to the sessions they
     * went to (from [sessionFor]), each under its handle: suspended attachments whose deliveries
     * wait for their clients to resume (and say what they took) or for their sessions to end.
     *
     * @throws IllegalStateException if a session's handle already names another channel (one
     *   handle names one channel: a log that says otherwise is not this node's).
     */
    @Synchronized
    fun restore(outstanding: List<ChannelLog.Outstanding>, sessionFor: (String) -> NodeSession) {
        for ((to, deliveries) in outstanding.groupBy { it.to.session to it.to.handle }) {
            val s = sessionFor(to.first)
            val att = Attachment(s, to.second, this, deliveries.first().to.producer)
            val other = s.attachments.putIfAbsent(to.second, att)
            check(other == null) { "session ${to.first} handle ${to.second} holds deliveries of two channels, '$name' and '${other!!.channel.name}'" }
            att.live = false
            for (o in deliveries.sortedBy { it.to.delivery }) att.unacked.addLast(Delivery(o.to.delivery, storedOf(o.entry)))
            att.nextDelivery = att.unacked.last().id + 1
            attachments += att
        }
    }

    /** Adds [att] and answers its Open (before any other frame of its handle can be sent). */
    @Synchronized
    fun attach(att: Attachment) {
        attachments += att
        sendOpened(att, resumed = false)
        checkEnd()
    }

    private fun sendOpened(att: Attachment, resumed: Boolean) {
        att.session.send(
            frame {
                setOpened(
                    Opened.newBuilder().setHandle(att.handle).setCapacity(capacity).setDurable(durable)
                        .setAcceptedSeq(producers[att.producer] ?: 0L).setClosed(this@NodeChannel.closed).setResumed(resumed),
                )
            },
        )
    }

    /** Sends [f] to [att]'s client now, or (durable) once the log is forced. */
    private fun sendLogged(att: Attachment, f: NodeFrame) {
        if (log == null) att.session.send(f) else held += att to f
    }

    @get:Synchronized
    val isClosed: Boolean get() = closed

    @get:Synchronized
    val len: Int get() = buffer.size

    /** A consistent snapshot of the channel's state and counters. */
    @Synchronized
    fun info(): ChannelInfo = ChannelInfo(
        name = name,
        capacity = capacity,
        durable = durable,
        closed = closed,
        len = buffer.size,
        inFlight = attachments.sumOf { it.unacked.size },
        sent = stats.sent,
        received = stats.received,
        redelivered = stats.redelivered,
        duplicates = stats.duplicates,
        bytes = stats.bytes,
        clients = attachments.count { it.live },
        waitingSenders = creditQueue.sumOf { it.wantCredits },
        waitingReceivers = demand.size,
    )

    @Synchronized
    fun requestCredits(att: Attachment, n: Int) {
        if (closed) return
        if (att.wantCredits == 0) creditQueue.addLast(att)
        att.wantCredits += n
        grant()
    }

    /**
     * [att] gives back [n] credits it holds and withdraws up to [withdrawn] of its requests (fewer
     * may be left: a grant may have crossed the withdrawal on the wire). False if it gives back
     * more credits than it holds.
     */
    @Synchronized
    fun returnCredits(att: Attachment, n: Int, withdrawn: Int): Boolean {
        if (n > att.credits) return false
        att.credits -= n
        reserved -= n
        att.wantCredits -= minOf(withdrawn, att.wantCredits)
        if (att.wantCredits == 0) creditQueue.remove(att)
        grant()
        checkEnd()
        return true
    }

    /** The outcome of a Send frame. */
    enum class SendResult { ACCEPTED, DUPLICATE, NO_CREDIT, OUT_OF_ORDER }

    @Synchronized
    fun accept(att: Attachment, seq: Long, bytes: ByteString): SendResult {
        if (att.credits == 0) return SendResult.NO_CREDIT
        if (seq <= att.lastSeqOnStream) return SendResult.OUT_OF_ORDER
        att.lastSeqOnStream = seq
        att.credits--
        reserved--
        val last = producers[att.producer] ?: 0L
        if (seq <= last) {
            stats.duplicates++
            att.duplicates++
            if (capacity == 0) {
                val waiting = buffer.firstOrNull { it.producer == att.producer && it.seq == seq }
                if (waiting != null) waiting.sender = att else att.acceptedUpTo = maxOf(att.acceptedUpTo, seq)
            } else {
                att.acceptedUpTo = maxOf(att.acceptedUpTo, seq)
            }
            grant()
            return SendResult.DUPLICATE
        }
        producers[att.producer] = seq
        val s = Stored(bytes, nextIndex++, att.producer, seq, if (capacity == 0) att else null)
        stats.sent++
        stats.bytes += bytes.size()
        if (log != null) {
            log.appendAccept(s.index, s.producer, seq, bytes.toByteArray())
            if (fsync == NodeConfig.Fsync.PER_SEND) log.force() else unforced = true
        }
        buffer.addLast(s)
        if (capacity > 0) att.acceptedUpTo = seq
        dispatch()
        return SendResult.ACCEPTED
    }

    /**
     * Durable: forces what the log holds unforced, then sends the frames that waited for it. Once
     * per batch of frames that touched the channel, and after any other change that delivers.
     */
    @Synchronized
    fun sync() {
        if (log == null) return
        if (unforced) {
            log.force()
            unforced = false
        }
        for ((att, f) in held) att.session.send(f)
        held.clear()
    }

    private fun logged(record: ChannelLog.() -> Unit) {
        if (log == null) return
        log.record()
        unforced = true
    }

    /** The Accepted frame [att] is owed (null if none), clearing it. */
    @Synchronized
    fun takeAccepted(att: Attachment): NodeFrame? {
        if (att.acceptedUpTo == 0L) return null
        val f = frame { setAccepted(Accepted.newBuilder().setHandle(att.handle).setUpToSeq(att.acceptedUpTo).setDuplicates(att.duplicates)) }
        att.acceptedUpTo = 0
        att.duplicates = 0
        return f
    }

    @Synchronized
    fun pull(att: Attachment, n: Int) {
        if (att.endSent) return
        att.pulls += n
        repeat(n) { demand.addLast(att) }
        dispatch()
    }

    @Synchronized
    fun unpull(att: Attachment, n: Int) {
        var k = 0
        while (k < n && att.pulls > 0) {
            demand.removeAt(demand.lastIndexOf(att))
            att.pulls--
            k++
        }
        att.session.send(frame { setUnpulled(Unpulled.newBuilder().setHandle(att.handle).setCount(k)) })
    }

    /** False if [upTo] names a delivery [att] was never sent. */
    @Synchronized
    fun ack(att: Attachment, upTo: Long): Boolean {
        if (upTo >= att.nextDelivery) return false
        ackLocked(att, upTo)
        checkEnd()
        return true
    }

    private fun ackLocked(att: Attachment, upTo: Long) {
        while (att.unacked.isNotEmpty() && att.unacked.first().id <= upTo) {
            val d = att.unacked.removeFirst()
            log?.appendTake(d.stored.index)
            stats.received++
        }
    }

    /** Puts [ids] of [att]'s deliveries back at the head of the channel; false if one is not outstanding. */
    @Synchronized
    fun release(att: Attachment, ids: List<Long>): Boolean {
        val back = ArrayList<Delivery>(ids.size)
        for (id in ids) {
            val d = att.unacked.firstOrNull { it.id == id } ?: return false.also { requeue(back) }
            att.unacked.remove(d)
            back += d
        }
        requeue(back)
        sendLogged(att, frame { setReleased(Released.newBuilder().setHandle(att.handle).addAllDeliveries(ids)) })
        dispatch()
        return true
    }

    /** [deliveries] back at the head of the buffer, in their order of delivery. */
    private fun requeue(deliveries: Collection<Delivery>) {
        for (d in deliveries.sortedByDescending { it.id }) {
            d.stored.sender = null
            logged { appendReturn(d.stored.index) }
            buffer.addFirst(d.stored)
            stats.redelivered++
        }
    }

    /** False if the channel was closed already. */
    @Synchronized
    fun close(): Boolean {
        if (closed) return false
        closed = true
        for (att in creditQueue) att.wantCredits = 0
        creditQueue.clear()
        for (att in attachments) if (att.live) att.session.send(frame { setClosed(Closed.newBuilder().setHandle(att.handle)) })
        checkEnd()
        return true
    }

    /** [att]'s stream is gone: its pulls and credits lapse; its deliveries wait for it to resume or leave. */
    @Synchronized
    fun suspend(att: Attachment) {
        dropRequests(att)
        att.live = false
        grant()
        checkEnd()
    }

    /**
     * Drops what [att] had asked for and what waits to be sent to it: its stream is gone, and a
     * held frame must not reach the next one (a delivery it names goes back to the head on
     * resume, and would then be taken twice).
     */
    private fun dropRequests(att: Attachment) {
        if (held.isNotEmpty()) held.removeAll { it.first === att }
        if (att.pulls > 0) demand.removeAll { it === att }
        att.pulls = 0
        if (att.wantCredits > 0) creditQueue.remove(att)
        att.wantCredits = 0
        reserved -= att.credits
        att.credits = 0
    }

    /**
     * [att]'s client is back on a new stream and opened its handle again, having taken every
     * delivery up to [ackedUpTo] except the [released] ones (whose Release may never have
     * arrived, or, durable, reached the disk): those go back to the head with the ones after
     * [ackedUpTo]; the rest are acknowledged. [att] was suspended first: nothing it asked for, or
     * that was held for its old stream, is left.
     */
    @Synchronized
    fun resume(att: Attachment, ackedUpTo: Long, released: Collection<Long>) {
        att.live = true
        att.lastSeqOnStream = 0
        att.endSent = false
        sendOpened(att, resumed = true)
        if (released.isNotEmpty()) {
            val back = att.unacked.filter { it.id in released }
            att.unacked.removeAll(back)
            requeue(back)
        }
        ackLocked(att, minOf(ackedUpTo, att.nextDelivery - 1))
        requeue(att.unacked)
        // Restored from a log, the numbering may lag what the client saw: new deliveries go above it.
        att.nextDelivery = maxOf(att.nextDelivery, ackedUpTo + 1)
        att.unacked.clear()
        dispatch()
    }

    /** [att] leaves for good: its deliveries go back to the head of the channel. */
    @Synchronized
    fun detach(att: Attachment) {
        dropRequests(att)
        att.live = false
        requeue(att.unacked)
        att.unacked.clear()
        attachments -= att
        dispatch()
    }

    /** Hands buffered values to pulls, first come first served; then credits for the room left; then the end. */
    private fun dispatch() {
        while (buffer.isNotEmpty() && demand.isNotEmpty()) {
            val att = demand.removeFirst()
            att.pulls--
            val s = buffer.removeFirst()
            queueTimer?.record(System.nanoTime() - s.acceptedAt, java.util.concurrent.TimeUnit.NANOSECONDS)
            val id = att.nextDelivery++
            att.unacked.addLast(Delivery(id, s))
            logged { appendDeliver(s.index, ChannelLog.DeliveredTo(att.session.id, att.handle, att.producer, id)) }
            sendLogged(att, frame { setDeliver(Deliver.newBuilder().setHandle(att.handle).setDelivery(id).setPayload(s.bytes)) })
            val sender = s.sender
            if (sender != null) {
                s.sender = null
                sender.session.send(frame { setAccepted(Accepted.newBuilder().setHandle(sender.handle).setUpToSeq(s.seq)) })
            }
        }
        grant()
        checkEnd()
    }

    /** Slots free for new credits: room in the buffer, or (rendezvous) pulls no credit or value serves yet. */
    private fun free(): Int =
        if (capacity > 0) capacity - buffer.size - reserved else demand.size - reserved - buffer.size

    private fun grant() {
        var free = free()
        if (free <= 0 || creditQueue.isEmpty()) return
        val granted = ArrayList<Attachment>()
        while (free > 0 && creditQueue.isNotEmpty()) {
            val att = creditQueue.removeFirst()
            att.wantCredits--
            att.credits++
            reserved++
            free--
            if (att.grantPending++ == 0) granted += att
            if (att.wantCredits > 0) creditQueue.addLast(att)
        }
        for (att in granted) {
            val n = att.grantPending
            att.grantPending = 0
            att.session.send(frame { setCredit(Credit.newBuilder().setHandle(att.handle).setCount(n)) })
        }
    }

    /** Closed, drained, no credit outstanding and no delivery unacknowledged: nothing can arrive any more. */
    private fun checkEnd() {
        if (!closed || buffer.isNotEmpty() || reserved > 0) return
        if (attachments.any { it.unacked.isNotEmpty() }) return
        demand.clear()
        for (att in attachments) {
            att.pulls = 0
            if (att.live && !att.endSent) {
                att.endSent = true
                att.session.send(frame { setEndOfStream(EndOfStream.newBuilder().setHandle(att.handle)) })
            }
        }
    }

    fun closeLog() {
        log?.close()
    }
}

/** Counters of one channel, read by the node's stats; guarded by the channel's lock. */
internal class ChannelStats {
    var sent = 0L
    var received = 0L
    var redelivered = 0L
    var duplicates = 0L
    var bytes = 0L
}

/** A node frame built by [build] on a fresh builder. */
internal inline fun frame(build: NodeFrame.Builder.() -> Unit): NodeFrame = NodeFrame.newBuilder().apply(build).build()
