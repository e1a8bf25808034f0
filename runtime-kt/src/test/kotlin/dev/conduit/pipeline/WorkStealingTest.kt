package dev.conduit.pipeline

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration.Companion.seconds

class WorkStealingTest : FunSpec({
    test("idle workers steal from a loaded worker's queue, and every item is handled once") {
        runTest {
            val handledBy = ConcurrentHashMap<Int, Int>()
            coroutineScope {
                val pool = WorkStealingPool<Int>(this, workers = 4, capacity = 100) { worker, item ->
                    delay(10)
                    handledBy[item] = worker
                }
                for (i in 0 until 40) pool.submitTo(0, i) // all the work lands on worker 0
                pool.close()
                pool.join()
                handledBy.keys shouldBe (0 until 40).toSet()
                pool.processed().sum() shouldBe 40
                pool.stolen()[0] shouldBe 0
                withClue("stolen per worker: ${pool.stolen()}") { // each idle worker stole
                    (1..3).forEach { pool.stolen()[it] shouldBeGreaterThan 0L }
                }
                pool.processed()[0] shouldBeLessThan 40L
                testScheduler.currentTime shouldBe 100 // 40 items of 10 ms on 4 workers
            }
        }
    }

    test("submit suspends while capacity items wait (backpressure); a closed pool refuses") {
        runTest {
            coroutineScope {
                val gate = CompletableDeferred<Unit>()
                val pool = WorkStealingPool<Int>(this, workers = 1, capacity = 2) { _, _ -> gate.await() }
                var submitted = 0
                val producer = launch { repeat(10) { pool.submit(it); submitted++ } }
                testScheduler.runCurrent()
                submitted shouldBe 3 // one being handled, two waiting
                gate.complete(Unit)
                producer.join()
                pool.close()
                pool.join()
                pool.processed().single() shouldBe 10
                shouldThrow<IllegalStateException> { pool.submit(1) }.message shouldBe "submit to closed pool"
                shouldThrow<IllegalArgumentException> { WorkStealingPool<Int>(this, workers = Int.MAX_VALUE) { _, _ -> } }.message shouldBe
                    "workers must be in 1..65536, but was 2147483647"
            }
        }
    }

    test("stress: many producers, many workers, uneven items: each handled exactly once") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                val seen = ConcurrentHashMap<Int, Int>()
                // Some item is stolen by construction, not by the scheduler's whim: worker 0 holds
                // the first item it takes from its own queue until some worker has handled an item
                // from another's queue (with worker 0 held and workers 2 and 3 given nothing, some
                // idle worker must steal).
                val stealHappened = CompletableDeferred<Unit>()
                coroutineScope {
                    val pool = WorkStealingPool<Int>(this, workers = 4, capacity = 64) { worker, item ->
                        val owner = item / 5_000 % 2 // producer p submits items p * 5_000 until (p + 1) * 5_000 to p % 2
                        if (worker != owner) stealHappened.complete(Unit) else if (worker == 0) stealHappened.await()
                        if (item % 97 == 0) check(slowWork(item) != Long.MIN_VALUE) // a few slow items make queues uneven
                        seen.merge(item, 1, Int::plus)
                    }
                    coroutineScope {
                        repeat(4) { p -> launch { for (i in 0 until 5_000) pool.submitTo(p % 2, p * 5_000 + i) } }
                    }
                    pool.close()
                    pool.join()
                    seen.size shouldBe 20_000
                    seen.filterValues { it != 1 } shouldBe emptyMap() // no item handled twice
                    withClue("stolen per worker: ${pool.stolen()}") { pool.stolen().sum() shouldBeGreaterThan 0L }
                }
            }
        }
    }
})

/** About a hundred microseconds of arithmetic, so some items take far longer than others. */
private fun slowWork(seed: Int): Long {
    var h = seed.toLong()
    repeat(100_000) { h = h * 6364136223846793005L + 1442695040888963407L }
    return h
}
