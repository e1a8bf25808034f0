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
    test("bulkhead.call { ladder.run { retry.call { } } } nests: each part sees the context the outer one gave it") {
        runTest {
            val ctx = Context.background(Clock.of(backgroundScope, testScheduler.timeSource))
            val bulkhead = Bulkhead(1, 10.milliseconds, "svc")
            val ladder = TimeoutLadder(listOf(100.milliseconds, 300.milliseconds))
            val retry = Retry(RetryConfig(maxAttempts = 3, backoff = Backoff.fixed(10.milliseconds)))
            val log = ArrayList<String>()
            val answer = bulkhead.call(ctx) { b ->
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
            answer shouldBe "answer"
            log shouldContainExactly listOf("rung 1 at 0", "rung 2 at 100", "rung 2 at 110")
            retry.metrics().retries shouldBe 1
            bulkhead.metrics().available shouldBe 1
        }
    }
})
