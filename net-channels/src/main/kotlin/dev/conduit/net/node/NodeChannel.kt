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

    /** Durable values appended to the log and not yet forced ([NodeConfig.Fsync.PER_BATCH]): not deliverable before [sync]. */
    private val unsynced = ArrayDeque<Stored>()
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
            for (e in restored.live) buffer.addLast(Stored(ByteString.copyFrom(e.bytes), e.index, e.producer, e.seq, null))
            producers.putAll(restored.producers)
            nextIndex = restored.nextIndex
        }
    }

    /** Adds [att] and answers its Open (before any other frame of its handle can be sent). */
    @Synchronized
    fun attach(att: Attachment) {
        attachments += att
        sendOpened(att)
        checkEnd()
    }

    private fun sendOpened(att: Attachment) {
        att.session.send(
            frame {
                setOpened(
                    Opened.newBuilder().setHandle(att.handle).setCapacity(capacity).setDurable(durable)
                        .setAcceptedSeq(producers[att.producer] ?: 0L).setClosed(this@NodeChannel.closed),
                )
            },
        )
    }

    @get:Synchronized
    val isClosed: Boolean get() = closed

    @get:Synchronized
    val len: Int get() = buffer.size + unsynced.size

    /** A consistent snapshot of the channel's state and counters. */
    @Synchronized
    fun info(): ChannelInfo = ChannelInfo(
        name = name,
        capacity = capacity,
        durable = durable,
        closed = closed,
        len = buffer.size + unsynced.size,
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
            if (fsync == NodeConfig.Fsync.PER_SEND) log.force()
        }
        if (log != null && fsync == NodeConfig.Fsync.PER_BATCH) unsynced.addLast(s) else buffer.addLast(s)
        if (capacity > 0) att.acceptedUpTo = seq
        dispatch()
        return SendResult.ACCEPTED
    }

    /** Forces the log and makes the values accepted since deliverable: once per batch ([NodeConfig.Fsync.PER_BATCH]). */
    @Synchronized
    fun sync() {
        if (unsynced.isEmpty()) return
        log!!.force()
        buffer.addAll(unsynced)
        unsynced.clear()
        dispatch()
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
        dispatch()
        return true
    }

    /** [deliveries] back at the head of the buffer, in their order of delivery. */
    private fun requeue(deliveries: Collection<Delivery>) {
        for (d in deliveries.sortedByDescending { it.id }) {
            d.stored.sender = null
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

    private fun dropRequests(att: Attachment) {
        if (att.pulls > 0) demand.removeAll { it === att }
        att.pulls = 0
        if (att.wantCredits > 0) creditQueue.remove(att)
        att.wantCredits = 0
        reserved -= att.credits
        att.credits = 0
    }

    /**
     * [att]'s client is back on a new stream and opened its handle again, having taken every
     * delivery up to [ackedUpTo]: those are acknowledged, the rest go back to the head.
     */
    @Synchronized
    fun resume(att: Attachment, ackedUpTo: Long) {
        att.live = true
        att.lastSeqOnStream = 0
        att.endSent = false
        sendOpened(att)
        ackLocked(att, minOf(ackedUpTo, att.nextDelivery - 1))
        requeue(att.unacked)
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
            att.session.send(frame { setDeliver(Deliver.newBuilder().setHandle(att.handle).setDelivery(id).setPayload(s.bytes)) })
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
        if (capacity > 0) capacity - buffer.size - unsynced.size - reserved else demand.size - reserved - buffer.size

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
        if (!closed || buffer.isNotEmpty() || unsynced.isNotEmpty() || reserved > 0) return
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
