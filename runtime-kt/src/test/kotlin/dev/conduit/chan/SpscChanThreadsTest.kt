package dev.conduit.chan

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.launch
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * Two platform threads, each blocking in a select resumed inline (unconfined) on whichever
 * thread wakes it: the way the Java facade drives channels, where one side's wake-up runs the
 * other side's select on its own thread.
 */
@OptIn(DelicateCoroutinesApi::class)
class SpscChanThreadsTest : FunSpec({
    val abort = ThreadLocal.withInitial { Chan<Unit>(1) } // never fires: a second case, as the facade has

    fun <R> blockingSelect(cases: SelectScope<R>.() -> Unit): R {
        val future = CompletableFuture<R>()
        val myAbort = abort.get()
        GlobalScope.launch(Dispatchers.Unconfined, start = CoroutineStart.UNDISPATCHED) {
            try {
                future.complete(
                    select {
                        cases()
                        myAbort.onReceive { error("aborted") }
                    },
                )
            } catch (e: Throwable) {
                future.completeExceptionally(e)
            }
        }
        return future.get(30, TimeUnit.SECONDS)
    }

    test("threads blocking in unconfined selects: every value once, in order") {
        var producerSelects = 0
        var consumerSelects = 0
        repeat(20) {
            val ch = SpscChan<Int>(16)
            val items = 50_000
            // Each round both sides enter a select by construction, not by the scheduler's whim: the
            // producer sends nothing until the consumer has found the ring empty and selects, and the
            // consumer takes nothing after the first value until the producer has found it full.
            val consumerSelected = CountDownLatch(1)
            val producerSelected = CountDownLatch(1)
            val producer = OnThread("producer") {
                var selects = 0
                try {
                    awaitBounded(consumerSelected, "the consumer's first select")
                    for (i in 0 until items) {
                        if (!ch.trySend(i)) {
                            selects++
                            producerSelected.countDown()
                            blockingSelect<Unit> { ch.onSend(i) {} }
                        }
                    }
                } finally {
                    ch.close() // also when it failed, so that the consumer ends
                }
                selects
            }
            var next = 0
            while (true) {
                val r = ch.tryReceive() ?: run {
                    consumerSelects++
                    consumerSelected.countDown()
                    blockingSelect { ch.onReceiveOk { it } }
                }
                if (!r.ok) break
                if (next == 0) awaitBounded(producerSelected, "the producer's first select")
                withClue("value received") { r.value shouldBe next }
                next++
            }
            producerSelects += producer.result()
            next shouldBe items
        }
        // Both sides really entered a select (the latches above see to it), or the claim was not exercised.
        withClue("selects entered over 20 rounds: producer $producerSelects, consumer $consumerSelects") {
            producerSelects shouldBeGreaterThan 0
            consumerSelects shouldBeGreaterThan 0
        }
    }
})

/**
 * Both sides of an spscChan as blocked threads on the core's blocking API, with a ring small
 * enough that both park often: every value arrives once, in order (a woken thread takes the
 * value it was woken for exactly once).
 */
class SpscChanBlockingThreadsTest : io.kotest.core.spec.style.FunSpec({
    test("blocking sender and receiver threads: 200,000 values in order, none lost or doubled") {
        val ch = SpscChan<Int>(2, spins = 0)
        val source = ch as dev.conduit.chan.spi.ChannelSource
        val n = 200_000
        val producer = OnThread("producer") {
            try {
                for (i in 0 until n) {
                    withClue("sendBlocking($i) without a timeout") { source.sendBlocking(i, Long.MAX_VALUE, null) shouldBe dev.conduit.chan.spi.Poll.SENT }
                }
            } finally {
                ch.close() // also when it failed, so that the receiver ends
            }
        }
        var next = 0
        while (true) {
            val r = source.receiveBlocking(Long.MAX_VALUE, null)
            if (r === dev.conduit.chan.spi.Poll.CLOSED) break
            withClue("value received") { r shouldBe next }
            next++
        }
        producer.result()
        next shouldBe n
    }
})

/** Waits for [latch], failing (rather than hanging) if [what] has not happened within 30 s. */
private fun awaitBounded(latch: CountDownLatch, what: String) {
    check(latch.await(30, TimeUnit.SECONDS)) { "$what never happened" }
}

/** [body] on a new platform thread; [result] returns what it returned or throws what it threw (bounded wait). */
private class OnThread<T>(name: String, body: () -> T) {
    private val outcome = CompletableFuture<T>()

    init {
        Thread({
            try {
                outcome.complete(body())
            } catch (e: Throwable) {
                outcome.completeExceptionally(e)
            }
        }, "spsc-threads-$name").apply {
            isDaemon = true
            start()
        }
    }

    fun result(): T =
        try {
            outcome.get(60, TimeUnit.SECONDS)
        } catch (e: java.util.concurrent.ExecutionException) {
            throw e.cause!!
        }
}
