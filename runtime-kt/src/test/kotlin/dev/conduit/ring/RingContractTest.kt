package dev.conduit.ring

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/** A ring variant and how many producer and consumer threads it allows. */
class Variant(val name: String, val producers: Int, val consumers: Int, val make: (Int) -> RingBuffer<Int>)

val variants = listOf(
    Variant("SpscRing", 1, 1) { SpscRing(it) },
    Variant("MpscRing", 4, 1) { MpscRing(it) },
    Variant("MpmcRing", 4, 4) { MpmcRing(it) },
)

/** One contract, run against every ring. */
class RingContractTest : FunSpec({
    for (v in variants) {
        context(v.name) {
            test("capacity rounds up to a power of two; out-of-range capacities are refused by name") {
                v.make(2).capacity() shouldBe 2
                v.make(5).capacity() shouldBe 8
                v.make(1024).capacity() shouldBe 1024
                shouldThrow<IllegalArgumentException> { v.make(1) }.message shouldBe "capacity must be in 2..1073741824, but was 1"
                shouldThrow<IllegalArgumentException> { v.make(-3) }
            }

            test("FIFO, full and empty, push/pop aliases, null refused") {
                val ring = v.make(4)
                withClue("a new ring is empty") { ring.isEmpty() shouldBe true }
                ring.poll() shouldBe null
                ring.peek() shouldBe null
                (1..4).map { ring.push(it) } shouldBe List(4) { true } // each push into room succeeds
                withClue("offer into a full ring must fail") { ring.offer(5) shouldBe false }
                ring.size shouldBe 4
                shouldThrow<IllegalStateException> { ring.add(5) } // Queue.add on a full queue
                ring.peek() shouldBe 1
                ring.pop() shouldBe 1
                withClue("offer must succeed once a pop made room") { ring.offer(5) shouldBe true }
                List(4) { ring.poll() } shouldBe listOf(2, 3, 4, 5)
                ring.poll() shouldBe null
                shouldThrow<NullPointerException> { ring.offer(null) }.message shouldBe "element must not be null"
            }

            test("many laps around the ring keep order") {
                val ring = v.make(8)
                var next = 0
                var expected = 0
                repeat(10_000) { lap ->
                    List(5) { ring.offer(next++) } shouldBe List(5) { true } // 5 of 8 slots: always room
                    withClue("lap $lap") { List(5) { ring.poll() } shouldBe List(5) { expected++ } }
                }
            }

            test("drain takes up to limit, oldest first; fill asks only for what fits") {
                val ring = v.make(8)
                var asked = 0
                ring.fill({ ++asked }, 20) shouldBe 8
                asked shouldBe 8
                val got = ArrayList<Int>()
                ring.drain({ got.add(it) }, 3) shouldBe 3
                got shouldBe listOf(1, 2, 3)
                ring.drain({ got.add(it) }, 100) shouldBe 5
                got shouldBe (1..8).toList()
                ring.drain({ got.add(it) }, 100) shouldBe 0
                shouldThrow<IllegalArgumentException> { ring.drain({}, -1) }.message shouldBe "limit must be >= 0, but was -1"
                shouldThrow<NullPointerException> { ring.drain(null, 1) }.message shouldBe "consumer must not be null"
                shouldThrow<NullPointerException> { ring.fill(null, 1) }.message shouldBe "supplier must not be null"
            }

            test("a supplier that fails mid-fill keeps what was added and leaves no hole") {
                val ring = v.make(8)
                var n = 0
                shouldThrow<NullPointerException> { ring.fill({ if (++n <= 3) n else null }, 8) }
                List(3) { ring.poll() } shouldBe listOf(1, 2, 3)
                ring.poll() shouldBe null // slots claimed for the failed rest are skipped, not waited for
                withClue("offer after a failed fill must find room") { ring.offer(100) shouldBe true }
                ring.poll() shouldBe 100
                withClue("nothing may be left after the one element was polled") { ring.isEmpty() shouldBe true }
            }

            test("a consumer that fails mid-drain loses nothing it did not take") {
                val ring = v.make(8)
                (1..5).forEach { ring.offer(it) }
                shouldThrow<IllegalStateException> { ring.drain({ check(it < 3) { "bad $it" } }, 8) }
                List(2) { ring.poll() } shouldBe listOf(4, 5)
            }

            test("stress: ${v.producers} producer(s), ${v.consumers} consumer(s): every element once, each producer's in order") {
                val ring = v.make(64)
                val perProducer = 200_000
                val seen = ConcurrentLinkedQueue<Int>()
                val taken = AtomicInteger()
                val total = v.producers * perProducer
                val start = CountDownLatch(1)
                val failures = ConcurrentLinkedQueue<Throwable>()
                val producers = List(v.producers) { p ->
                    Thread {
                        start.await()
                        var i = 0
                        try {
                            while (i < perProducer && failures.isEmpty()) {
                                val before = i
                                if (i % 3 == 0) {
                                    ring.fill({ p * perProducer + i++ }, minOf(7, perProducer - i)) // batches too
                                } else if (ring.offer(p * perProducer + i)) {
                                    i++
                                }
                                if (i == before) Thread.onSpinWait() // full: let the consumers catch up
                            }
                        } catch (e: Throwable) {
                            // Recorded, not lost on this thread; the consumers stop on it too.
                            failures.add(e)
                            taken.set(total)
                        }
                    }
                }
                val consumers = List(v.consumers) {
                    Thread {
                        start.await()
                        val lastOf = IntArray(v.producers) { -1 }
                        try {
                            while (taken.get() < total) {
                                val got = ArrayList<Int>()
                                if (ring.drain({ got.add(it) }, 5) == 0) {
                                    ring.poll()?.let { got.add(it) } ?: Thread.onSpinWait()
                                }
                                for (x in got) {
                                    val p = x / perProducer
                                    check(x > lastOf[p]) { "producer $p out of order: $x after ${lastOf[p]}" }
                                    lastOf[p] = x
                                    seen.add(x)
                                    taken.incrementAndGet()
                                }
                            }
                        } catch (e: Throwable) {
                            failures.add(e)
                            taken.set(total)
                        }
                    }
                }
                (producers + consumers).forEach { it.start() }
                start.countDown()
                (producers + consumers).forEach { it.join(TimeUnit.SECONDS.toMillis(60)) }
                failures.firstOrNull()?.let { throw it }
                withClue("threads still running after 60 s") { (producers + consumers).filter { it.isAlive }.map { it.name } shouldBe emptyList() }
                seen.size shouldBe total
                seen.toSet().size shouldBe total
                withClue("every element was taken, so the ring must end empty") { ring.isEmpty() shouldBe true }
            }
        }
    }
})
