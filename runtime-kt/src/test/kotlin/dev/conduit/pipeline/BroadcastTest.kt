package dev.conduit.pipeline

import dev.conduit.chan.Received
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest

/** Records what a broadcast dropped and whom it disconnected. */
private class Recorder : BroadcastListener<Int> {
    val dropped = ArrayList<Pair<String, Int>>()
    val disconnected = ArrayList<String>()
    override fun onDropped(subscription: Subscription<*>, item: Int) {
        dropped.add(subscription.name to item)
    }

    override fun onDisconnected(subscription: Subscription<*>) {
        disconnected.add(subscription.name)
    }
}

class BroadcastTest : FunSpec({
    test("every subscriber gets every item in order; a late one starts from now") {
        runTest {
            val b = Broadcast<Int>()
            val early = b.subscribe("early", buffer = 10)
            b.publish(1)
            val late = b.subscribe("late", buffer = 10)
            b.publish(2)
            b.publish(3)
            b.close()
            early.items.toList() shouldBe listOf(1, 2, 3)
            late.items.toList() shouldBe listOf(2, 3)
        }
    }

    test("BLOCK: a full slow subscriber holds the publisher until it reads, or leaves") {
        runTest {
            val b = Broadcast<Int>()
            val slow = b.subscribe("slow", buffer = 1, overflow = Overflow.BLOCK)
            val fast = b.subscribe("fast", buffer = 10)
            b.publish(1)
            val publishing = async(start = CoroutineStart.UNDISPATCHED) { b.publish(2) }
            runCurrent()
            withClue("publish must wait while the BLOCK subscriber's one-slot buffer is full") { publishing.isCompleted shouldBe false }
            slow.items.receive() shouldBe 1
            publishing.await()
            val blockedAgain = async(start = CoroutineStart.UNDISPATCHED) { b.publish(3) }
            slow.unsubscribe() // leaving frees the publisher
            blockedAgain.await()
            fast.items.tryReceive() shouldBe Received.of(1)
            slow.dropped shouldBe 0
        }
    }

    test("DROP_OLDEST and DROP_NEWEST keep the newest or the oldest, and report every drop") {
        runTest {
            val recorder = Recorder()
            val b = Broadcast(recorder)
            val oldest = b.subscribe("drop-oldest", buffer = 2, overflow = Overflow.DROP_OLDEST)
            val newest = b.subscribe("drop-newest", buffer = 2, overflow = Overflow.DROP_NEWEST)
            for (i in 1..5) b.publish(i) // nobody reads: never blocks
            b.close()
            oldest.items.toList() shouldBe listOf(4, 5)
            newest.items.toList() shouldBe listOf(1, 2)
            oldest.dropped shouldBe 3
            newest.dropped shouldBe 3
            recorder.dropped shouldBe listOf(
                "drop-oldest" to 1, "drop-newest" to 3, "drop-oldest" to 2, "drop-newest" to 4, "drop-oldest" to 3, "drop-newest" to 5,
            )
        }
    }

    test("DISCONNECT: a full subscriber is cut off, keeps what it had buffered, and others go on") {
        runTest {
            val recorder = Recorder()
            val b = Broadcast(recorder)
            val slow = b.subscribe("slow", buffer = 2, overflow = Overflow.DISCONNECT)
            val other = b.subscribe("other", buffer = 10)
            for (i in 1..4) b.publish(i)
            withClue("the DISCONNECT subscriber must be cut off once its buffer overflowed") { slow.disconnected shouldBe true }
            slow.items.toList() shouldBe listOf(1, 2)
            recorder.disconnected shouldBe listOf("slow")
            b.subscriptions shouldBe listOf(other)
            b.close()
            other.items.toList() shouldBe listOf(1, 2, 3, 4)
        }
    }

    test("subscribe and unsubscribe while a publisher runs: nothing is duplicated or reordered") {
        runTest {
            val b = Broadcast<Int>()
            coroutineScope {
                val publisher = launch {
                    for (i in 0 until 1_000) {
                        b.publish(i)
                        kotlinx.coroutines.yield()
                    }
                }
                val collected = (1..4).map { n ->
                    async {
                        repeat(n * 50) { kotlinx.coroutines.yield() }
                        val sub = b.subscribe("s$n", buffer = 4)
                        val got = ArrayList<Int>()
                        for (v in sub.items) {
                            got.add(v)
                            if (got.size == 100) sub.unsubscribe()
                        }
                        got
                    }
                }
                publisher.join()
                b.close()
                for ((n, got) in collected.map { it.await() }.withIndex()) {
                    withClue("subscriber s${n + 1} saw $got") {
                        got.size shouldBeGreaterThanOrEqual 100 // it stayed until it had its 100
                        got shouldBe List(got.size) { got.first() + it } // consecutive: no gap, no repeat
                    }
                }
            }
        }
    }

    test("bad subscriptions and a closed broadcast are refused by name") {
        runTest {
            val b = Broadcast<Int>()
            shouldThrow<IllegalArgumentException> { b.subscribe(buffer = 0, overflow = Overflow.DROP_OLDEST) }.message shouldBe
                "buffer must be > 0 for DROP_OLDEST, but was 0"
            b.close()
            shouldThrow<IllegalStateException> { b.subscribe() }.message shouldBe "subscribe to closed broadcast"
            shouldThrow<IllegalStateException> { b.publish(1) }.message shouldBe "publish on closed broadcast"
        }
    }
})
