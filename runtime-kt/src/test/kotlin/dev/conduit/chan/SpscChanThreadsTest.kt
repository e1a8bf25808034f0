package dev.conduit.chan

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.launch
import java.util.concurrent.CompletableFuture
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
        repeat(20) {
            val ch = SpscChan<Int>(16)
            val items = 50_000
            val producer = Thread {
                for (i in 0 until items) {
                    if (!ch.trySend(i)) blockingSelect<Unit> { ch.onSend(i) {} }
                }
                ch.close()
            }
            producer.start()
            var next = 0
            while (true) {
                val r = ch.tryReceive() ?: blockingSelect { ch.onReceiveOk { it } }
                if (!r.ok) break
                check(r.value == next) { "got ${r.value}, expected $next" }
                next++
            }
            producer.join()
            next shouldBe items
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
        val producer = Thread {
            for (i in 0 until n) check(source.sendBlocking(i, Long.MAX_VALUE, null) === dev.conduit.chan.spi.Poll.SENT)
            ch.close()
        }
        producer.start()
        var next = 0
        while (true) {
            val r = source.receiveBlocking(Long.MAX_VALUE, null)
            if (r === dev.conduit.chan.spi.Poll.CLOSED) break
            check(r == next) { "got $r, expected $next" }
            next++
        }
        producer.join(30_000)
        check(next == n) { "got $next values of $n" }
    }
})
