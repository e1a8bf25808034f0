package dev.conduit.chan

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import kotlin.system.measureTimeMillis

/**
 * A select over 131,072 channels: polled, defaulted, and waiting until the last one is sent
 * to, with its other 131,071 entries withdrawn. The cost is O(n log n) (the lock-order sort), so
 * each run takes milliseconds; a select with a quadratic step (the previous duplicate-channel
 * check took about 10 s for 65,536 cases) could not finish within the bound on any try, which
 * is generous on purpose: it guards the complexity, it does not time the machine.
 */
class WideSelectTest : FunSpec({
    val n = 1 shl 17

    test("a select over 131,072 channels stays cheap: ready, default, and a wait woken by the last channel") {
        val chans = List(n) { Chan<Int>(1) }
        // A busy machine can stall one try (2.3 s was seen on a loaded 2-core host), so up to five
        // tries run until one is within the bound; a quadratic step misses it on every try.
        val tries = ArrayList<Long>()
        do {
            withClue("filling the middle channel") { chans[n / 2].trySend(7) shouldBe true }
            tries += measureTimeMillis {
                select { for (c in chans) c.onReceive { it } } shouldBe 7
                select {
                    for (c in chans) c.onReceive { it }
                    default { -1 }
                } shouldBe -1
                runBlocking(Dispatchers.Default) {
                    val waiting = async(start = CoroutineStart.UNDISPATCHED) { select { for (c in chans) c.onReceive { it } } }
                    while (chans.last().queuedWaiters().second == 0) yield()
                    chans.last().send(42)
                    waiting.await() shouldBe 42
                }
            }
            chans.sumOf { it.queuedWaiters().second } shouldBe 0
        } while (tries.last() >= 10_000L && tries.size < 5)
        println("three selects over $n channels took $tries ms (per try)")
        withClue("milliseconds per try: $tries") { tries.min() shouldBeLessThan 10_000L }
    }
})
