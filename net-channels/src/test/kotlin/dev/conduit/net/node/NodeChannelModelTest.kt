package dev.conduit.net.node

import com.google.protobuf.ByteString
import dev.conduit.net.NodeConfig
import dev.conduit.net.proto.NodeFrame
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import java.util.Random

/** A session whose frames the test reads: kept while its stream is up, dropped otherwise (as a suspended session's are). */
private class TestSession(id: String) : NodeSession(id) {
    var up = true
    val inbox = ArrayDeque<NodeFrame>()

    override fun send(frame: NodeFrame) {
        if (up) inbox.addLast(frame)
    }
}

/**
 * A well-behaved client of one channel, as `RemoteChanCore` is, reduced to its protocol: frames
 * it sends wait on its [wire] until a flush hands them to the node (a broken stream loses them),
 * frames the node sends wait in its session's inbox until it reads them (or the stream breaks).
 */
private abstract class Client(val session: TestSession, val world: World) {
    val wire = ArrayList<(NodeChannel, Attachment) -> Unit>()
    val att: Attachment? get() = session.attachments[1]

    fun read() {
        while (session.inbox.isNotEmpty()) {
            val f = session.inbox.removeFirst()
            world.history += "${session.id} <- ${f.toString().replace('\n', ' ')}"
            onFrame(f)
        }
    }

    abstract fun onFrame(f: NodeFrame)

    /** The connection dropped: what was on the wire is lost, what the node sent may have arrived or not. */
    open fun dropped(inboxArrived: Boolean) {
        world.history += "${session.id} drops (inbox arrived: $inboxArrived)"
        if (inboxArrived) read()
        session.inbox.clear()
        session.up = false
        wire.clear()
    }

    /** A new stream: Hello, then Open (a resume if the node holds the session). */
    abstract fun reconnect()

    fun flush() {
        val ch = world.channel
        val a = att ?: return
        if (!session.up) return
        world.history += "${session.id} flushes ${wire.size} frames"
        for (op in wire) op(ch, a)
        wire.clear()
        ch.sync()
        ch.takeAccepted(a)?.let { session.send(it) }
        read()
    }

    protected fun openFresh(producer: String) {
        val a = Attachment(session, 1, world.channel, producer)
        session.attachments[1] = a
        world.channel.attach(a)
    }
}

private class Producer(n: Int, world: World) : Client(TestSession("producer-$n"), world) {
    val name = "p$n"
    var credits = 0
    var requested = 0
    var nextSeq = 0L
    val pending = ArrayDeque<Pair<Long, String>>()
    val resend = ArrayDeque<Pair<Long, String>>()

    init {
        openFresh(name)
        read()
    }

    override fun onFrame(f: NodeFrame) {
        when (f.kindCase) {
            NodeFrame.KindCase.CREDIT -> {
                credits += f.credit.count
                requested = maxOf(0, requested - f.credit.count)
            }
            NodeFrame.KindCase.ACCEPTED -> accepted(f.accepted.upToSeq)
            NodeFrame.KindCase.OPENED -> {
                accepted(f.opened.acceptedSeq)
                resend.clear()
                resend.addAll(pending)
            }
            else -> Unit
        }
    }

    private fun accepted(upTo: Long) {
        while (pending.isNotEmpty() && pending.first().first <= upTo) world.accepted += pending.removeFirst().second
    }

    fun request(n: Int) {
        requested += n
        wire += { ch, a -> ch.requestCredits(a, n) }
    }

    /** Nothing more to send for now: credits beyond the resends go back, requests are withdrawn (a grant may cross them). */
    fun giveBack() {
        val surplus = maxOf(0, credits - resend.size)
        val withdrawn = requested
        if (surplus == 0 && withdrawn == 0) return
        credits -= surplus
        requested = 0
        wire += { ch, a -> ch.returnCredits(a, surplus, withdrawn) shouldBe true }
    }

    /** Spends a credit on the oldest value to resend, or a new one. */
    fun send() {
        if (credits == 0) return
        credits--
        val (seq, value) = resend.removeFirstOrNull() ?: (++nextSeq to "$name-${nextSeq}").also { pending.addLast(it) }
        wire += { ch, a ->
            val result = ch.accept(a, seq, ByteString.copyFromUtf8(value))
            check(result == NodeChannel.SendResult.ACCEPTED || result == NodeChannel.SendResult.DUPLICATE) { "$value (seq $seq) was answered $result" }
        }
    }

    override fun dropped(inboxArrived: Boolean) {
        super.dropped(inboxArrived)
        credits = 0
        requested = 0
    }

    override fun reconnect() {
        session.up = true
        val a = att
        if (a == null) openFresh(name) else world.channel.resume(a, 0, emptySet())
        read()
    }
}

private class Consumer(n: Int, world: World) : Client(TestSession("consumer-$n"), world) {
    val received = ArrayDeque<Pair<Long, String>>()
    var consumedUpTo = 0L
    val releasing = HashSet<Long>()

    init {
        openFresh("c-${session.id}")
        read()
    }

    override fun onFrame(f: NodeFrame) {
        when (f.kindCase) {
            NodeFrame.KindCase.DELIVER -> received.addLast(f.deliver.delivery to f.deliver.payload.toStringUtf8())
            NodeFrame.KindCase.RELEASED -> releasing.removeAll(f.released.deliveriesList.toSet())
            NodeFrame.KindCase.OPENED -> {
                releasing.clear()
                if (!f.opened.resumed) consumedUpTo = 0
            }
            else -> Unit
        }
    }

    fun pull(n: Int) {
        wire += { ch, a -> ch.pull(a, n) }
    }

    /** A receive gave up: one pull withdrawn (the node answers how many it still had). */
    fun unpull() {
        wire += { ch, a -> ch.unpull(a, 1) }
    }

    /** The application takes the oldest value delivered: never one taken before, by anyone. */
    fun consume() {
        val (id, value) = received.removeFirstOrNull() ?: return
        world.history += "${session.id} takes $value (delivery $id)"
        check(world.taken.add(value)) { "$value taken twice (now by ${session.id}, delivery $id)\n" + world.history.takeLast(80).joinToString("\n") }
        consumedUpTo = id
    }

    /** Nobody wants the oldest value delivered: it goes back. */
    fun release() {
        val (id, _) = received.removeFirstOrNull() ?: return
        world.history += "${session.id} releases $id"
        releasing += id
        wire += { ch, a ->
            ch.release(a, listOf(id)) shouldBe true
            world.returned = true
        }
    }

    fun ack() {
        val upTo = consumedUpTo
        if (upTo > 0) wire += { ch, a -> ch.ack(a, upTo) shouldBe true }
    }

    override fun dropped(inboxArrived: Boolean) {
        super.dropped(inboxArrived)
        received.clear()
    }

    override fun reconnect() {
        session.up = true
        val a = att
        world.history += "${session.id} reconnects: ${if (a == null) "new" else "resume acked $consumedUpTo released $releasing"}"
        if (a == null) {
            consumedUpTo = 0
            releasing.clear()
            openFresh("c-${session.id}")
        } else {
            world.channel.resume(a, consumedUpTo, releasing.toSet())
            world.returned = true
            world.channel.sync()
        }
        read()
    }

    /**
     * The node gave up on the session (its grace ran out): what was out to it goes back, and
     * may be taken again (the at-least-once of a client that did not come back in time).
     */
    fun expire() {
        val a = att ?: return
        val out = a.unacked.map { it.stored.bytes.toStringUtf8() }
        world.history += "${session.id} expires; out to it: $out"
        world.taken.removeAll(out.toSet())
        world.returned = true
        world.channel.detach(a)
        world.channel.sync()
        session.attachments.clear()
    }
}

/** The node's channel and what the clients saw: every value accepted (Accepted reached its producer) and every value taken. */
private class World(val dir: Path?, val capacity: Int) {
    var channel: NodeChannel = if (dir == null) {
        NodeChannel("m", capacity, null, NodeConfig.Fsync.PER_BATCH, null)
    } else {
        NodeChannel("m", capacity, ChannelLog.create(dir, "m", capacity), NodeConfig.Fsync.PER_BATCH, null)
    }
    val accepted = HashSet<String>()
    val taken = HashSet<String>()

    /**
     * Whether values went back to the buffer since its values and the credits out last fitted its
     * capacity: only they may take it above (a credit is granted only for a free slot).
     */
    var returned = false

    /** What happened, for the failure message. */
    val history = ArrayList<String>()

    /** The node is killed and starts again from its log: every session's state on it is gone but what the log kept. */
    fun restart(clients: List<Client>, random: Random) {
        history += "node restarts"
        returned = true

        for (c in clients) {
            c.dropped(inboxArrived = random.nextBoolean())
            c.session.attachments.clear()
        }
        channel.closeLog()
        val (contents, log) = ChannelLog.recover(dir!!, "m")
        history += "log: buffer ${contents.live.map { String(it.bytes) }}, out ${contents.outstanding.map { "${String(it.entry.bytes)} to ${it.to}" }}"
        channel = NodeChannel("m", contents.capacity, log, NodeConfig.Fsync.PER_BATCH, contents)
        val byId = clients.associateBy { it.session.id }
        channel.restore(contents.outstanding) { byId.getValue(it).session }
    }
}

/**
 * NodeChannel against a model of its clients: random schedules (seeded) of credits, sends,
 * resends, pulls, consumption, releases, acknowledgements, lost frames, broken streams,
 * resumed and expired sessions, and (durable) node restarts from the log. After each step the
 * buffer holds at most its capacity and no value was taken twice; at the end, after every client
 * came back and drained, every value a producer saw accepted was taken exactly once.
 */
class NodeChannelModelTest : FunSpec({
    fun run(seed: Long, durable: Boolean, steps: Int) {
        val random = Random(seed)
        // On tmpfs where there is one: the model forces the log thousands of times.
        val shm = Path.of("/dev/shm")
        val dir = if (!durable) null else if (Files.isWritable(shm)) Files.createTempDirectory(shm, "conduit-model") else Files.createTempDirectory("conduit-model")
        // A rendezvous (0) only without a log: a durable channel needs a buffer.
        val world = World(dir, capacity = if (durable) 1 + random.nextInt(4) else random.nextInt(4))
        val producers = List(2) { Producer(it, world) }
        val consumers = List(2) { Consumer(it, world) }
        val clients: List<Client> = producers + consumers
        world.history += "seed $seed, capacity ${world.capacity}"
        try {
            repeat(steps) {
                val c = clients[random.nextInt(clients.size)]
                if (c.session.up) c.read()
                when (val r = random.nextInt(100)) {
                    in 0..9 -> if (c.session.up) c.flush()
                    in 10..11 -> if (c.session.up) {
                        c.att?.let { world.channel.suspend(it) }
                        c.dropped(inboxArrived = random.nextBoolean())
                    }
                    in 12..14 -> if (!c.session.up) c.reconnect()
                    15 -> if (durable) world.restart(clients, random)
                    16 -> if (c is Consumer && !c.session.up) c.expire()
                    else -> if (c.session.up) when (c) {
                        is Producer -> when {
                            r < 50 && c.credits + c.requested < 3 -> c.request(1 + random.nextInt(2))
                            r < 58 -> c.giveBack()
                            else -> c.send()
                        }
                        is Consumer -> when (r % 6) {
                            0 -> c.pull(1 + random.nextInt(2))
                            1, 2 -> c.consume()
                            3 -> if (random.nextInt(4) == 0) c.release() else c.consume()
                            4 -> c.ack()
                            else -> c.unpull()
                        }
                    }
                }
                // Values given back return to the head even when the buffer is full (they were
                // accepted already); new ones wait for room. (A rendezvous holds a value a credit
                // was granted for until a pull takes it.)
                val reserved = producers.sumOf { it.att?.credits ?: 0 }
                if (world.channel.len + reserved <= world.capacity) {
                    world.returned = false
                } else if (world.capacity > 0) {
                    check(world.returned) {
                        "len ${world.channel.len} + credits out $reserved above capacity ${world.capacity} with no value given back\n" +
                            world.history.takeLast(60).joinToString("\n")
                    }
                }
            }
            // Every client back, sending what it has not seen accepted and taking what is left.
            var rounds = 0
            while (producers.any { it.pending.isNotEmpty() } || world.channel.len > 0 || world.channel.info().inFlight > 0) {
                check(++rounds < 1000) {
                    "seed $seed: no progress draining: ${world.channel.info()}; " + producers.joinToString { p ->
                        "${p.name}: credits ${p.credits} requested ${p.requested} pending ${p.pending} resend ${p.resend} up ${p.session.up}; node: credits ${p.att?.credits} want ${p.att?.wantCredits} live ${p.att?.live}"
                    }
                }
                for (c in clients) if (!c.session.up) c.reconnect()
                for (p in producers) {
                    while (p.credits > 0 && p.resend.isNotEmpty()) p.send()
                    p.giveBack()
                    if (p.resend.isNotEmpty()) p.request(1)
                    p.flush()
                }
                for (k in consumers) {
                    k.pull(1)
                    k.flush()
                    while (k.received.isNotEmpty()) k.consume()
                    k.ack()
                    k.flush()
                }
            }
            world.taken shouldBe world.accepted
        } finally {
            world.channel.closeLog()
            dir?.toFile()?.deleteRecursively()
        }
    }

    test("non-durable: 2,000 random schedules of 400 steps") {
        for (seed in 1L..2000L) run(seed, durable = false, steps = 400)
    }

    test("durable, with node restarts from the log: 1,000 random schedules of 400 steps") {
        for (seed in 1L..1000L) run(seed, durable = true, steps = 400)
    }
})
