package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import java.io.IOException
import kotlin.time.Duration.Companion.milliseconds

class ComposeTest : FunSpec({
    test("breaker.call { bulkhead.call { ladder.run { retry.call { } } } } nests: each part sees the context the outer one gave it") {
        runTest {
            val ctx = Context.background(Clock.of(backgroundScope, testScheduler.timeSource))
            val breaker = CircuitBreaker("svc", CircuitBreakerConfig.defaults(), ctx.clock)
            val bulkhead = Bulkhead(1, 10.milliseconds, "svc")
            val ladder = TimeoutLadder(listOf(100.milliseconds, 300.milliseconds))
            val retry = Retry(RetryConfig.builder().maxAttempts(3).backoff(Backoff.fixed(10.milliseconds)).build())
            val log = ArrayList<String>()
            val answer = breaker.call(ctx) { outer ->
                bulkhead.call(outer) { b ->
                    ladder.run(b) { rung, attempt ->
                        retry.call(rung) {
                            log += "rung $attempt at $currentTime"
                            when {
                                attempt == 1 -> awaitCancellation()
                                log.size < 3 -> throw IOException("flaky")
                                else -> "answer"
                            }
                        }
                    }
                }
            }
            answer shouldBe "answer"
            log shouldContainExactly listOf("rung 1 at 0", "rung 2 at 100", "rung 2 at 110")
            retry.metrics().retries shouldBe 1
            bulkhead.metrics().available shouldBe 1
            // the breaker saw one call, a success: the ladder and the retry absorbed the failures
            breaker.metrics().calls shouldBe 1
            breaker.metrics().successfulCalls shouldBe 1
        }
    }

    test("a failure the inner parts give up on reaches the breaker as itself, and counts") {
        runTest {
            val ctx = Context.background(Clock.of(backgroundScope, testScheduler.timeSource))
            val breaker = CircuitBreaker("svc", CircuitBreakerConfig.defaults(), ctx.clock)
            val retry = Retry(RetryConfig.builder().maxAttempts(2).backoff(Backoff.fixed(10.milliseconds)).build())
            val down = IOException("down")
            val thrown = runCatching { breaker.call(ctx) { c -> retry.call(c) { throw down } } }.exceptionOrNull()
            thrown shouldBe down
            breaker.metrics().failedCalls shouldBe 1
            retry.metrics().retries shouldBe 1
        }
    }
})
