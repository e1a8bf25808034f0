package dev.conduit.net

import com.google.protobuf.ByteString
import dev.conduit.chan.ClosedChannelException
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.OperationFuture
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.WaitEntry
import dev.conduit.chan.spi.WaitQueue
import dev.conduit.context.Context
import dev.conduit.net.proto.Ack
import dev.conduit.net.proto.ClientFrame
import dev.conduit.net.proto.Close
import dev.conduit.net.proto.CreditRequest
import dev.conduit.net.proto.CreditReturn
import dev.conduit.net.proto.Open
import dev.conduit.net.proto.NodeFrame
import dev.conduit.net.proto.Opened
import dev.conduit.net.proto.Pull
import dev.conduit.net.proto.Release
import dev.conduit.net.proto.Send
import dev.conduit.net.proto.Unpull
import kotlinx.coroutines.future.await
import java.util.PriorityQueue
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CancellationException
import java.util.concurrent.atomic.AtomicBoolean
import java.util.function.Consumer

/**
 * A value already encoded, on its way into [RemoteChanCore]; [seq] is its sequence number, set
 * before its send can be seen as done, which its sender then waits on to be accepted.
 */
internal class Encoded(val bytes: ByteString) {
    @Volatile
    var seq = 0L
}

/**
 * The client's side of one remote channel, as a Conduit channel kind: `select`, the suspending
 * operations, Java's blocking calls and futures all run on these primitives, decided from what
 * the node granted this client.
 *
 * - A send is ready when the client holds a credit (a slot the node reserved); it then goes out
 *   with the next sequence number and stays pending until the node accepts it, resent after a
 *   reconnection. A waiting send asks for a credit; a withdrawn one takes the request back.
 * - A receive is ready when a value the node delivered is here (prefetched); a waiting receive
 *   pulls one; a withdrawn one unpulls it, and a value that arrives with nobody to take it goes
 *   back to the head of the channel (released).
 * - "Closed" for sends when the node says the channel closed; for receives when the node says it
 *   is closed and drained (end of stream), which it says only once nothing can come back.
 *
 * All state is guarded by the channel lock; frames go out in the order they are made.
 */
internal class RemoteChanCore(
    private val client: ChanHost,
    val name: String,
    val capacity: Int,
    val durable: Boolean,
    val handle: Int,
    val codec: Codec<Any?>,
) : ChannelSource() {
    private val producer = client.clientId + "/" + handle
    private val senders = WaitQueue()
    private val receivers = WaitQueue()
    private val prefetched = ArrayDeque<Any?>()
    private val prefetchedIds = ArrayDeque<Long>()

    /** The stream this channel is open on, and whether the node answered the Open yet. */
    private var stream: FrameSink<ClientFrame>? = null
    private var opened = false
    private var credits = 0
    private var requested = 0
    private var outstanding = 0
    private var unpullingTotal = 0
    private val unpulling = ArrayDeque<Int>()
    private var closedForSend = false
    private var endOfStream = false
    private var nextSeq = 0L
    private var acceptedUpTo = 0L

    /** Sent and not yet accepted, oldest first; [resend] those still to go out on this stream. */
    private val pending = ArrayDeque<Pending>()
    private val resend = ArrayDeque<Pending>()
    private val acceptWaiters = PriorityQueue<AcceptWaiter>(compareBy { it.seq })
    private var consumedUpTo = 0L
    private val ackScheduled = AtomicBoolean()

    /**
     * Deliveries released and not yet confirmed (Released): below [consumedUpTo] but not taken,
     * so a resume names them, in case the Release was lost with the stream or the node.
     */
    private val releasing = HashSet<Long>()

    /** Completed when the node first answers the Open, or failed with its Error. */
    val openedFuture = CompletableFuture<Unit>()

    private class Pending(val seq: Long, val bytes: ByteString)

    private class AcceptWaiter(val seq: Long, val future: CompletableFuture<Unit>)

    /** Whether this channel object ever sent / received: only then does it keep a send window or prefetch. */
    private var sending = false
    private var receiving = false
    private val window get() = if (sending) client.options.sendWindow else 0
    private val prefetch get() = if (receiving) client.options.prefetch else 0

    // ---- primitives (lock held) ------------------------------------------------------------

    override fun pollReceive(): Any? {
        receiving = true
        if (prefetched.isNotEmpty()) {
            val v = prefetched.removeFirst()
            consumed(prefetchedIds.removeFirst())
            topUpDemand()
            return v
        }
        return if (endOfStream) Poll.CLOSED else Poll.NOT_READY
    }

    override fun pollSend(element: Any?): Any? {
        sending = true
        if (closedForSend) return Poll.CLOSED
        if (credits == 0) return Poll.NOT_READY
        credits--
        commit(element)
        topUpCredits()
        return Poll.SENT
    }

    override fun enqueue(entry: WaitEntry) {
        if (entry.isSend) {
            sending = true
            senders.add(entry)
            topUpCredits()
        } else {
            receiving = true
            receivers.add(entry)
            topUpDemand()
        }
    }

    override fun dequeue(entry: WaitEntry) {
        if (entry.isSend) {
            if (senders.remove(entry)) trimCredits()
        } else {
            if (receivers.remove(entry)) trimDemand()
        }
    }

    override fun forEachQueued(action: Consumer<WaitEntry>) {
        receivers.forEach(action)
        senders.forEach(action)
    }

    /** Sends [element] (an [Encoded], or a select case's raw value) under the next sequence number; a credit was spent. */
    private fun commit(element: Any?) {
        val enc = element as? Encoded
        val bytes = enc?.bytes ?: bytesOf(element)
        val p = Pending(++nextSeq, bytes)
        enc?.seq = p.seq
        pending.addLast(p)
        send(frameOf { setSend(Send.newBuilder().setHandle(handle).setSeq(p.seq).setPayload(bytes)) })
    }

    private fun consumed(id: Long) {
        consumedUpTo = id
        if (ackScheduled.compareAndSet(false, true)) client.onNetworkThread { flushAck() }
    }

    private fun flushAck() {
        lock()
        ackScheduled.set(false)
        if (opened && consumedUpTo > 0) send(frameOf { setAck(Ack.newBuilder().setHandle(handle).setUpToDelivery(consumedUpTo)) })
        unlock()
    }

    private fun send(frame: ClientFrame) {
        stream?.offer(frame)
    }

    private fun topUpDemand() {
        if (!opened || endOfStream) return
        val target = receivers.size() + prefetch
        val have = outstanding - unpullingTotal + prefetched.size
        if (have >= target) return
        val n = minOf(target - have, client.maxInFlight - outstanding).coerceAtLeast(0)
        if (n == 0) return
        if (receivers.isEmpty() && n < maxOf(1, prefetch / 2)) return
        outstanding += n
        send(frameOf { setPull(Pull.newBuilder().setHandle(handle).setCount(n)) })
    }

    private fun trimDemand() {
        if (!opened || endOfStream) return
        val wanted = maxOf(0, receivers.size() + prefetch - prefetched.size)
        val effective = outstanding - unpullingTotal
        if (effective <= wanted) return
        val n = effective - wanted
        unpulling.addLast(n)
        unpullingTotal += n
        send(frameOf { setUnpull(Unpull.newBuilder().setHandle(handle).setCount(n)) })
    }

    private fun topUpCredits() {
        if (!opened || closedForSend) return
        val want = senders.size() + resend.size + window
        val have = credits + requested
        if (have >= want) return
        val n = minOf(want - have, client.maxInFlight).coerceAtLeast(0)
        if (n == 0) return
        if (senders.isEmpty() && resend.isEmpty() && n < maxOf(1, window / 2)) return
        requested += n
        send(frameOf { setCreditRequest(CreditRequest.newBuilder().setHandle(handle).setCount(n)) })
    }

    private fun trimCredits() {
        if (!opened || closedForSend) return
        val want = senders.size() + resend.size + window
        val withdraw = minOf(requested, maxOf(0, credits + requested - want))
        val surplus = maxOf(0, credits - want)
        if (withdraw == 0 && surplus == 0) return
        requested -= withdraw
        credits -= surplus
        send(frameOf { setCreditReturn(CreditReturn.newBuilder().setHandle(handle).setCount(surplus).setWithdrawnRequests(withdraw)) })
    }

    // ---- frames from the node (network thread) -----------------------------------------------

    /** Opens (again) on [s]: what the old stream had in flight lapses; pending sends wait for the node's answer to resend. */
    fun reopen(s: FrameSink<ClientFrame>, resumed: Boolean) {
        lock()
        if (stream === s) {
            unlock()
            return
        }
        stream = s
        opened = false
        credits = 0
        requested = 0
        outstanding = 0
        unpulling.clear()
        unpullingTotal = 0
        prefetched.clear()
        prefetchedIds.clear()
        if (!resumed) {
            consumedUpTo = 0
            releasing.clear()
        }
        send(
            frameOf {
                setOpen(
                    Open.newBuilder().setHandle(handle).setName(name).setCapacity(capacity).setDurable(durable)
                        .setProducer(producer).setAckedDelivery(consumedUpTo).addAllReleased(releasing),
                )
            },
        )
        unlock()
    }

    /** The stream is gone: nothing more arrives on it until [reopen]. */
    fun disconnected(s: FrameSink<ClientFrame>) {
        lock()
        if (stream === s) {
            stream = null
            opened = false
        }
        unlock()
    }

    /** A frame of the node's for this channel's handle; on the network thread. */
    fun onFrame(f: NodeFrame) {
        when (f.kindCase) {
            NodeFrame.KindCase.OPENED -> onOpened(f.opened)
            NodeFrame.KindCase.CREDIT -> onCredit(f.credit.count)
            NodeFrame.KindCase.ACCEPTED -> onAccepted(f.accepted.upToSeq)
            NodeFrame.KindCase.DELIVER -> deliver(f.deliver.delivery, f.deliver.payload)
            NodeFrame.KindCase.UNPULLED -> onUnpulled(f.unpulled.count)
            NodeFrame.KindCase.RELEASED -> onReleased(f.released.deliveriesList)
            NodeFrame.KindCase.CLOSED -> onClosed()
            NodeFrame.KindCase.END_OF_STREAM -> onEndOfStream()
            NodeFrame.KindCase.ERROR -> onError(f.error.code, f.error.message)
            else -> {}
        }
    }

    private fun deliver(id: Long, payload: ByteString) {
        val bytes = payload.toByteArray()
        try {
            onDeliver(id, decodeBytes(bytes), null, null)
        } catch (e: Exception) {
            onDeliver(id, null, e, bytes)
        }
    }

    private fun onOpened(o: Opened) {
        val refused: List<AcceptWaiter>
        lock()
        opened = true
        // The node settled every delivery the Open named; not resumed, its numbering starts again.
        releasing.clear()
        if (!o.resumed) consumedUpTo = 0
        val done = acceptLocked(o.acceptedSeq)
        resend.clear()
        resend.addAll(pending)
        if (o.closed) markClosedForSend()
        refused = if (closedForSend && resend.isNotEmpty()) refuseResends() else emptyList()
        topUpCredits()
        topUpDemand()
        unlock()
        openedFuture.complete(Unit)
        for (w in done) w.future.complete(Unit)
        failAll(refused, "channel '$name' was closed before the node accepted a send made before a reconnection")
    }

    private fun onCredit(n: Int) {
        lock()
        requested = maxOf(0, requested - n)
        credits += n
        while (credits > 0 && resend.isNotEmpty()) {
            val p = resend.removeFirst()
            credits--
            send(frameOf { setSend(Send.newBuilder().setHandle(handle).setSeq(p.seq).setPayload(p.bytes)) })
        }
        while (credits > 0 && !senders.isEmpty()) {
            val e = senders.peek()
            senders.remove(e)
            // A claim may wake the sender's coroutine on its own thread at once, before this lock
            // is released: its value must carry the sequence number it will wait on first.
            (e.element() as? Encoded)?.seq = nextSeq + 1
            if (!e.claim(Poll.SENT)) continue
            credits--
            commit(e.element())
        }
        trimCredits()
        topUpCredits()
        unlock()
    }

    private fun onAccepted(upTo: Long) {
        lock()
        val done = acceptLocked(upTo)
        unlock()
        for (w in done) w.future.complete(Unit)
    }

    private fun acceptLocked(upTo: Long): List<AcceptWaiter> {
        if (upTo > acceptedUpTo) acceptedUpTo = upTo
        while (pending.isNotEmpty() && pending.first().seq <= acceptedUpTo) pending.removeFirst()
        if (acceptWaiters.isEmpty() || acceptWaiters.peek().seq > acceptedUpTo) return emptyList()
        val done = ArrayList<AcceptWaiter>()
        while (acceptWaiters.isNotEmpty() && acceptWaiters.peek().seq <= acceptedUpTo) done += acceptWaiters.poll()
        return done
    }

    /** A value arrived ([value], or [undecodable] if the codec failed on [bytes]). */
    private fun onDeliver(id: Long, value: Any?, undecodable: Throwable?, bytes: ByteArray?) {
        lock()
        if (outstanding > 0) outstanding--
        when {
            undecodable != null -> consumed(id)
            receivers.claimFirst(value) != null -> consumed(id)
            prefetched.size < prefetch -> {
                prefetched.addLast(value)
                prefetchedIds.addLast(id)
            }
            else -> {
                releasing += id
                send(frameOf { setRelease(Release.newBuilder().setHandle(handle).addDeliveries(id)) })
            }
        }
        topUpDemand()
        unlock()
        if (undecodable != null) client.options.onUndecodable.undecodable(name, bytes!!, undecodable)
    }

    private fun onReleased(ids: List<Long>) {
        lock()
        releasing.removeAll(ids.toSet())
        unlock()
    }

    private fun onUnpulled(k: Int) {
        lock()
        if (unpulling.isNotEmpty()) unpullingTotal -= unpulling.removeFirst()
        outstanding = maxOf(0, outstanding - k)
        topUpDemand()
        unlock()
    }

    private fun onClosed() {
        lock()
        markClosedForSend()
        val refused = if (resend.isNotEmpty()) refuseResends() else emptyList()
        unlock()
        closeAnswer?.complete(Unit)
        failAll(refused, "channel '$name' was closed before the node accepted a send made before a reconnection")
    }

    private fun markClosedForSend() {
        if (closedForSend) return
        closedForSend = true
        senders.claimAll(Poll.CLOSED)
        if (opened && (credits > 0 || requested > 0)) {
            send(frameOf { setCreditReturn(CreditReturn.newBuilder().setHandle(handle).setCount(credits).setWithdrawnRequests(requested)) })
        }
        credits = 0
        requested = 0
    }

    /** Pending sends that can no longer be accepted (closed while they waited to be resent). */
    private fun refuseResends(): List<AcceptWaiter> {
        val gone = resend.map { it.seq }.toHashSet()
        resend.clear()
        pending.removeAll { it.seq in gone }
        val refused = acceptWaiters.filter { it.seq in gone }
        acceptWaiters.removeAll(refused.toSet())
        return refused
    }

    private fun onEndOfStream() {
        lock()
        endOfStream = true
        outstanding = 0
        receivers.claimAll(Poll.CLOSED)
        unlock()
    }

    private fun onError(code: String, message: String) {
        val e = RemoteChannelException(code, "channel '$name': $message")
        if (!openedFuture.completeExceptionally(e) && closeAnswer?.completeExceptionally(e) != true) {
            System.getLogger(RemoteClient::class.java.name).log(System.Logger.Level.WARNING, e.message)
        }
    }

    /** The client is closed: every waiting operation ends as on a closed channel, and pending sends fail. */
    fun shutDown() {
        lock()
        closedForSend = true
        endOfStream = true
        senders.claimAll(Poll.CLOSED)
        receivers.claimAll(Poll.CLOSED)
        val all = acceptWaiters.toList()
        acceptWaiters.clear()
        stream = null
        opened = false
        unlock()
        openedFuture.completeExceptionally(RemoteChannelException("UNAVAILABLE", "the client was closed"))
        failAll(all, "the client was closed before the node accepted the send")
    }

    private fun failAll(waiters: List<AcceptWaiter>, why: String) {
        for (w in waiters) w.future.completeExceptionally(ClosedChannelException(why))
    }

    // ---- sends that wait for the node's acceptance -----------------------------------------

    /** Completes once the node accepted the send numbered [seq]. */
    fun accepted(seq: Long): CompletableFuture<Unit> {
        lock()
        if (seq <= acceptedUpTo) {
            unlock()
            return DONE
        }
        if (closedForSend && endOfStream && stream == null) {
            unlock()
            return CompletableFuture.failedFuture(ClosedChannelException("the client was closed before the node accepted the send"))
        }
        val w = AcceptWaiter(seq, CompletableFuture())
        acceptWaiters.add(w)
        unlock()
        return w.future
    }

    @Throws(InterruptedException::class)
    override fun sendBlocking(element: Any?, timeoutNanos: Long, ctx: Context?): Any? {
        val enc = client.encoded(this, element)
        val r = super.sendBlocking(enc, timeoutNanos, ctx)
        if (r === Poll.SENT) awaitAcceptedBlocking(enc.seq)
        return r
    }

    /**
     * Waits for the node to accept [seq]. The value is sent already (it will be resent until
     * accepted), so an interrupt ends the wait early and is kept as the interrupt status.
     */
    private fun awaitAcceptedBlocking(seq: Long) {
        val f = accepted(seq)
        try {
            f.get()
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
        } catch (e: java.util.concurrent.ExecutionException) {
            throw e.cause!!
        }
    }

    override suspend fun sendOrClosed(element: Any?): Any? {
        val enc = client.encoded(this, element)
        val r = super.sendOrClosed(enc)
        if (r === Poll.SENT) awaitAccepted(enc.seq)
        return r
    }

    /** Suspends until the node accepted [seq]; if cancelled meanwhile, returns (the value is sent) and the cancellation stays. */
    suspend fun awaitAccepted(seq: Long) {
        val f = accepted(seq)
        if (f.isDone) {
            f.getNow(Unit)
            return
        }
        try {
            f.await()
        } catch (e: kotlinx.coroutines.CancellationException) {
            if (f.isCompletedExceptionally) throw e
        }
    }

    override fun <R> sendFuture(ctx: Context?, element: Any?, timeoutNanos: Long, map: (Any?) -> R): CompletableFuture<R> {
        val enc = client.encoded(this, element)
        val inner = super.sendFuture(ctx, enc, timeoutNanos) { it }
        val withdrawing = AtomicBoolean()
        val outer = OperationFuture<R> {
            withdrawing.set(true)
            inner.cancel(false).also { if (!it) withdrawing.set(false) }
        }
        inner.whenComplete { r, e ->
            when {
                e != null -> if (!(e is CancellationException && withdrawing.get())) outer.failByOperation(e)
                r === Poll.SENT -> accepted(enc.seq).whenComplete { _, e2 -> if (e2 != null) outer.failByOperation(e2) else outer.finish(map, r) }
                else -> outer.finish(map, r)
            }
        }
        return outer
    }

    private fun <R> OperationFuture<R>.finish(map: (Any?) -> R, r: Any?) {
        try {
            completeByOperation(map(r))
        } catch (t: Throwable) {
            failByOperation(t)
        }
    }

    // ---- requests that wait for the node ----------------------------------------------------

    @Volatile
    private var closeAnswer: CompletableFuture<Unit>? = null

    /** Asks the node to close the channel; completes when it says so, or fails with its Error ("close of closed channel"). */
    fun requestClose(): CompletableFuture<Unit> {
        val f = CompletableFuture<Unit>()
        lock()
        if (closedForSend) {
            unlock()
            return CompletableFuture.failedFuture(IllegalStateException("close of closed channel"))
        }
        closeAnswer = f
        val s = stream
        if (s == null || !opened) {
            unlock()
            return CompletableFuture.failedFuture(RemoteChannelException("UNAVAILABLE", "channel '$name' is not connected to its node now"))
        }
        send(frameOf { setClose(Close.newBuilder().setHandle(handle)) })
        unlock()
        return f
    }

    /**
     * What [validate] encoded on this thread: the facade's sends and a select's send case call
     * [RemoteChan.sendPart] first and then send the same value on the same thread, which so
     * encodes it once.
     */
    private val validated = ThreadLocal<Pair<Any?, ByteString>>()

    /** Encodes [element] (failing here if the codec or the frame limit refuses it) and keeps the bytes for the send that follows on this thread. */
    fun validate(element: Any?) {
        validated.set(element to client.encodeRaw(this, element))
    }

    /** The bytes of [element]: those [validate] kept for it on this thread, or encoded now. */
    fun bytesOf(element: Any?): ByteString {
        val kept = validated.get()
        if (kept != null) {
            validated.remove()
            if (kept.first === element) return kept.second
        }
        return client.encodeRaw(this, element)
    }

    /** [bytes] decoded by the channel's codec; on the network thread, no lock held. */
    private fun decodeBytes(bytes: ByteArray): Any? = codec.decode(bytes)

    /** Before the client leaves: acknowledges on [s] every value taken. */
    fun finalAck(s: FrameSink<ClientFrame>) {
        lock()
        if (opened && stream === s && consumedUpTo > 0) s.offer(frameOf { setAck(Ack.newBuilder().setHandle(handle).setUpToDelivery(consumedUpTo)) })
        unlock()
    }

    /** The stream this channel is on, if the node answered its Open. */
    fun openStream(): FrameSink<ClientFrame>? {
        lock()
        val s = if (opened) stream else null
        unlock()
        return s
    }

    /** The channel's name and what it holds now, read without the lock (it may be a moment old). Never blocks. */
    override fun toString(): String =
        "RemoteChan('$name'@${client.address}: credits=$credits requested=$requested pending=${pending.size} " +
            "senders=${senders.size()} receivers=${receivers.size()} outstanding=$outstanding unpulling=$unpullingTotal " +
            "prefetched=${prefetched.size} consumedUpTo=$consumedUpTo opened=$opened)"

    companion object {
        private val DONE: CompletableFuture<Unit> = CompletableFuture.completedFuture(Unit)
    }
}

/** A client frame built by [build] on a fresh builder. */
internal inline fun frameOf(build: ClientFrame.Builder.() -> Unit): ClientFrame = ClientFrame.newBuilder().apply(build).build()
