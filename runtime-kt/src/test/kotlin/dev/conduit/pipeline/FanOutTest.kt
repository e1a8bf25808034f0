package dev.conduit.pipeline

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import java.io.IOException
import java.util.concurrent.ConcurrentHashMap
import kotlin.time.Duration.Companion.milliseconds

class FanOutTest : FunSpec({
    test("fail-fast: the first failure cancels everything and is reported with its input") {
        runTest {
            val started = ConcurrentHashMap.newKeySet<Int>()
            pipeline {
                val fan = fanOut(generateFrom(1..100), workers = 4) {
                    started.add(it)
                    delay(10)
                    if (it == 6) throw IOException("disk full on $it")
                    it
                }
                val delivered = fan.results.toList()
                val e = shouldThrow<FanOutException> { fan.await() }
                e.failures.map { it.input } shouldBe listOf(6)
                e.cause.shouldBeInstanceOf<IOException>().message shouldBe "disk full on 6"
                e.message shouldBe "1 input(s) failed: 6: java.io.IOException: disk full on 6 (after 1 attempt(s))"
                delivered shouldNotContain 6
                started.size shouldBeLessThan 20 // it stopped early: not all 100 were started
            }
        }
    }

    test("collect-all: every other result is delivered and every failed input is listed with its cause") {
        runTest {
            pipeline {
                val fan = fanOut(generateFrom(1..20), workers = 3, policy = FailurePolicy.CollectAll, ordered = true) {
                    delay((21L - it))
                    if (it % 5 == 0) throw IllegalArgumentException("no multiples of five: $it")
                    it * 2
                }
                fan.results.toList() shouldBe (1..20).filter { it % 5 != 0 }.map { it * 2 }
                val e = shouldThrow<FanOutException> { fan.await() }
                e.failures.map { it.input }.sortedBy { it as Int } shouldBe listOf(5, 10, 15, 20)
                e.failures.sortedBy { it.input as Int }.map { it.error.message to it.attempts } shouldBe
                    listOf(5, 10, 15, 20).map { "no multiples of five: $it" to 1 }
                e.failures.forEach { it.error.shouldBeInstanceOf<IllegalArgumentException>() }
                e.suppressed.size shouldBe 3
            }
        }
    }

    test("retry-n: a flaky input succeeds on a later try; one that always fails is listed after n+1 tries") {
        runTest {
            val tries = ConcurrentHashMap<Int, Int>()
            pipeline {
                val policy = FailurePolicy.Retry(times = 2, backoff = 100.milliseconds)
                val fan = fanOut(generateFrom(1..5), workers = 5, policy = policy) {
                    val attempt = tries.merge(it, 1, Int::plus)!!
                    if (it == 2 && attempt < 3) throw IOException("flaky")
                    if (it == 4) throw IOException("broken")
                    it
                }
                fan.results.toList().sorted() shouldBe listOf(1, 2, 3, 5)
                val e = shouldThrow<FanOutException> { fan.await() }
                e.failures.single().input shouldBe 4
                e.failures.single().attempts shouldBe 3
                testScheduler.currentTime shouldBe 200 // two backoffs, in virtual time
            }
            tries[2] shouldBe 3
        }
    }

    test("retry then fail-fast stops the fan-out after the retries; no failure means await returns") {
        runTest {
            pipeline {
                val fan = fanOut(generateFrom(1..3), workers = 1, policy = FailurePolicy.Retry(1, then = FailurePolicy.FailFast)) {
                    if (it == 1) throw IOException("always")
                    it
                }
                fan.results.toList() shouldBe emptyList()
                shouldThrow<FanOutException> { fan.await() }.failures.single().attempts shouldBe 2
                val ok = fanOut(generateFrom(1..3), workers = 2) { it }
                ok.results.toList().sorted() shouldBe listOf(1, 2, 3)
                ok.await()
            }
        }
    }

    test("bad policies are refused by name") {
        shouldThrow<IllegalArgumentException> { FailurePolicy.Retry(0) }.message shouldBe "times must be >= 1, but was 0"
    }
})
