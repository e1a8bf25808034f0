package dev.conduit.sync

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import kotlin.random.Random
import kotlin.time.Duration.Companion.seconds

/**
 * A Mutex + Cond queue on real threads with consumers cancelled at random moments (between
 * its two waits included): every item put is taken exactly once or is still queued, exclusion
 * holds, and the mutex ends free, with no coroutine hanging.
 */
class CondStressTest : FunSpec({
    val rounds = if (System.getProperty("conduit.stress") == "true") 2_000 else 150

    test("a cond queue loses nothing, duplicates nothing and ends unlocked under random cancellation") {
        repeat(rounds) { round ->
            val mu = Mutex()
            val notEmpty = Cond(mu)
            val items = ArrayDeque<Int>()
            val taken = ConcurrentHashMap<Int, Int>()
            val put = AtomicInteger()
            val inside = AtomicInteger()
            withTimeout(30.seconds) {
                withContext(Dispatchers.Default) {
                    val producers = List(4) {
                        launch {
                            repeat(40) { i ->
                                mu.withLock {
                                    check(inside.incrementAndGet() == 1) { "two holders in round $round" }
                                    items.addLast(put.getAndIncrement())
                                    inside.decrementAndGet()
                                    if (i % 4 == 0) notEmpty.broadcast() else notEmpty.signal()
                                }
                            }
                        }
                    }
                    val consumers = List(6) {
                        launch {
                            while (true) {
                                val v = mu.withLock {
                                    while (items.isEmpty()) notEmpty.await()
                                    check(inside.incrementAndGet() == 1) { "two holders in round $round" }
                                    items.removeFirst().also { inside.decrementAndGet() }
                                }
                                taken.merge(v, 1, Int::plus)
                            }
                        }
                    }
                    repeat(3) {
                        delay(Random.nextLong(0, 2))
                        consumers[Random.nextInt(consumers.size)].cancel()
                    }
                    producers.joinAll()
                    // Let the surviving consumers drain the queue, then stop them.
                    while (mu.withLock { items.isNotEmpty() } && consumers.any { it.isActive }) yield()
                    consumers.forEach { it.cancel() }
                    consumers.joinAll()
                }
            }
            withClue("round $round") {
                withClue("the mutex must end free") { mu.tryLock() shouldBe true }
                taken.filterValues { it != 1 } shouldBe emptyMap() // no item taken twice
                (taken.size + items.size) shouldBe put.get()
            }
        }
    }
})
