package dev.conduit.pipeline

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.util.concurrent.atomic.AtomicLong
import kotlin.time.Duration.Companion.seconds

/**
 * Ten million items through a stage slower than its producer: the number in flight (produced
 * but not yet consumed) never exceeds what the bounded channels and workers can hold.
 */
class BackpressureTest : FunSpec({
    test("10 million items through a slow stage keep at most workers + buffers + 3 in flight") {
        val items = 10_000_000L
        val workers = 2
        val buffers = 4 + 4 // generator output and stage output capacities
        // In flight at most: one item in the generator's hand, the generator's buffer, one per
        // worker (its result waiting to be sent is that same item), the stage's output buffer,
        // and one item in the consumer's hand before it counts it.
        val bound = workers + buffers + 2
        val produced = AtomicLong()
        val consumed = AtomicLong()
        var maxInFlight = 0L
        runBlocking(Dispatchers.Default) {
            withTimeout(120.seconds) {
                pipeline {
                    val source = generate(capacity = 4) {
                        for (i in 0 until items) {
                            val inFlight = produced.incrementAndGet() - consumed.get()
                            if (inFlight > maxInFlight) maxInFlight = inFlight
                            send(i)
                        }
                    }
                    val slow = map(source, workers = workers, ordered = false, capacity = 4) { slowHash(it) }
                    var checksum = 0L
                    for (v in slow) {
                        checksum += v
                        consumed.incrementAndGet()
                    }
                    checksum shouldBe (0 until items).sumOf { slowHash(it) }
                }
            }
        }
        consumed.get() shouldBe items
        println("backpressure: $items items, max in flight $maxInFlight (bound $bound)")
        maxInFlight.toInt() shouldBeLessThanOrEqual bound
    }
})

/** A few dozen nanoseconds of arithmetic: enough to make the stage the slow one. */
private fun slowHash(x: Long): Long {
    var h = x
    repeat(16) { h = h * 6364136223846793005L + 1442695040888963407L }
    return h ushr 40
}
