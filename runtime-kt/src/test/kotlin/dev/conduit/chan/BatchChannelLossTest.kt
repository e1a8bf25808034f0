package dev.conduit.chan

import dev.conduit.Clock
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** Every item whose send returned is delivered exactly once, whatever is cancelled or closed. */
class BatchChannelLossTest : FunSpec({
    /** Drains [ch] after it is closed: every item of every batch, in order. */
    suspend fun <T> drain(ch: BatchChannel<T>): List<T> {
        val all = ArrayList<T>()
        for (batch in ch) all.addAll(batch.toList().also { batch.recycle() })
        return all
    }

    test("a send cancelled while it waits for room adds nothing, and loses no one else's item") {
        runTest {
            val ch = BatchChannel<Int>(backgroundScope, 2, 1.seconds, 1, Clock.of(backgroundScope, testScheduler.timeSource))
            ch.send(1)
            ch.send(2) // the only slot: batch [1, 2] waits
            ch.send(3) // returned: accepted into the next batch
            val blocked = async(start = CoroutineStart.UNDISPATCHED) { ch.send(4) }
            runCurrent()
            withClue("the send completing the second batch must wait for room") { blocked.isActive shouldBe true }
            blocked.cancelAndJoin()
            ch.close()
            drain(ch) shouldContainExactly listOf(1, 2, 3)
        }
    }

    test("a flush cancelled while it waits for room sends nothing and loses nothing") {
        runTest {
            val ch = BatchChannel<Int>(backgroundScope, 3, 1.seconds, 1, Clock.of(backgroundScope, testScheduler.timeSource))
            repeat(3) { ch.send(it) } // the only slot is taken
            ch.send(3)
            val flush = launch(start = CoroutineStart.UNDISPATCHED) { ch.flush() }
            runCurrent()
            withClue("flush must wait for room") { flush.isActive shouldBe true }
            flush.cancelAndJoin()
            ch.send(4)
            ch.close()
            ch.receiveList() shouldBe listOf(0, 1, 2)
            ch.receiveList() shouldBe listOf(3, 4)
        }
    }

    test("senders waiting for room when the channel closes fail, and what was accepted is delivered") {
        runTest {
            val ch = BatchChannel<Int>(backgroundScope, 1, 1.seconds, 1, Clock.of(backgroundScope, testScheduler.timeSource))
            ch.send(1)
            val blocked = async(start = CoroutineStart.UNDISPATCHED) { runCatching { ch.send(2) } }
            runCurrent()
            ch.close()
            blocked.await().exceptionOrNull().shouldBeInstanceOf<ClosedChannelException>()
            drain(ch) shouldContainExactly listOf(1)
        }
    }

    test("cancelling the channel's scope closes it: receivers drain the partial batch, then see closed") {
        runTest {
            val scope = CoroutineScope(coroutineContext + Job())
            val ch = BatchChannel<String>(scope, 10, 1.seconds, 2, Clock.of(backgroundScope, testScheduler.timeSource))
            ch.send("a")
            val reader = async { drain(ch) }
            runCurrent()
            scope.coroutineContext[Job]!!.cancelAndJoin()
            reader.await() shouldContainExactly listOf("a")
            shouldThrow<ClosedChannelException> { ch.send("b") }
        }
    }

    test("any capacity up to Int.MAX_VALUE is taken (the pool of spare batches stays bounded)") {
        val ch = BatchChannel<Int>(CoroutineScope(Job()), 2, 1.seconds, Int.MAX_VALUE)
        ch.cap shouldBe Int.MAX_VALUE
        ch.close()
    }

    test("a scope cancelled before the channel is made: the channel is closed at once") {
        val ch = BatchChannel<Int>(CoroutineScope(Job().apply { cancel() }), 2, 1.seconds, 1)
        runBlocking { withTimeout(10.seconds) { ch.receiveOk() shouldBe Received.closed() } }
        shouldThrow<ClosedChannelException> { ch.trySend(1) }
    }

    test("a scope whose dispatcher runs the flusher at once sees the channel fully made") {
        val ch = BatchChannel<Int>(CoroutineScope(Dispatchers.Unconfined), 2, 10.milliseconds, 1)
        runBlocking {
            withTimeout(10.seconds) {
                ch.send(1)
                ch.receiveList() shouldBe listOf(1) // delivered by the flusher after maxLatency
                ch.close()
            }
        }
    }

    test("stress: producers cancelled at random lose nothing that was accepted and add nothing that was not") {
        runBlocking(Dispatchers.Default) {
            withTimeout(60.seconds) {
                val scopeJob = Job()
                val ch = BatchChannel<Int>(CoroutineScope(coroutineContext + scopeJob), 8, 1.milliseconds, 1)
                val accepted = java.util.concurrent.ConcurrentLinkedQueue<Int>()
                val received = java.util.concurrent.ConcurrentLinkedQueue<Int>()
                val cancelled = java.util.concurrent.atomic.AtomicInteger()
                // A cancellation takes effect by construction, not by the scheduler's whim: the
                // consumer takes nothing until one has, and until then every send is cancelled after
                // a yield, so the first send that finds the channel full is withdrawn.
                val firstCancelled = CompletableDeferred<Unit>()
                val consumer = launch {
                    firstCancelled.await()
                    for (batch in ch) {
                        received.addAll(batch.toList())
                        batch.recycle()
                        yield()
                    }
                }
                coroutineScope {
                    repeat(4) { p ->
                        launch {
                            for (round in 0 until 400) {
                                val item = p * 1_000_000 + round
                                val send = async(start = CoroutineStart.UNDISPATCHED) { ch.send(item); accepted.add(item) }
                                if (round % 3 == 0 || !firstCancelled.isCompleted) {
                                    yield()
                                    send.cancel()
                                }
                                if (runCatching { send.await() }.isFailure) {
                                    cancelled.incrementAndGet()
                                    firstCancelled.complete(Unit)
                                }
                            }
                        }
                    }
                }
                ch.close()
                consumer.join()
                scopeJob.cancel()
                withClue("every item whose send returned arrives exactly once (accepted ${accepted.size})") {
                    received.toList() shouldContainExactlyInAnyOrder accepted.toList()
                }
                withClue("some sends must have been cancelled (the held consumer sees to it) for the test to mean anything") { cancelled.get() shouldBeGreaterThan 0 }
            }
        }
    }
})
