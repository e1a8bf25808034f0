package dev.conduit.sync

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

class OnceTest : FunSpec({
    test("runs exactly once under many concurrent callers, who all wait for it") {
        runBlocking(Dispatchers.Default) {
            withTimeout(10.seconds) {
                val once = Once()
                val runs = AtomicInteger()
                val afterwards = AtomicInteger()
                coroutineScope {
                    repeat(100) {
                        launch {
                            once.run { runs.incrementAndGet() }
                            if (runs.get() == 1) afterwards.incrementAndGet()
                        }
                    }
                }
                runs.get() shouldBe 1
                afterwards.get() shouldBe 100
                withClue("isDone after the action ran") { once.isDone shouldBe true }
            }
        }
    }

    test("a failure reaches the first caller and later calls do not rerun it") {
        runTest {
            val once = Once()
            val runs = AtomicInteger()
            shouldThrow<IllegalStateException> { once.run { runs.incrementAndGet(); error("boom") } }
            once.run { runs.incrementAndGet() }
            runs.get() shouldBe 1
            withClue("an action that threw still counts as done") { once.isDone shouldBe true }
        }
    }

    test("a cancelled first caller does not count; the next caller runs it") {
        runTest {
            val once = Once()
            val first = launch(start = CoroutineStart.UNDISPATCHED) { once.run { awaitCancellation() } }
            first.cancel()
            runCurrent()
            withClue("an action whose caller was cancelled does not count as done") { once.isDone shouldBe false }
            var ran = false
            once.run { ran = true }
            withClue("the next run must run its action, since the first never finished") { ran shouldBe true }
        }
    }

    test("OnceValue computes once and keeps the value, or the failure") {
        runTest {
            val computed = AtomicInteger()
            val value = OnceValue { computed.incrementAndGet(); "config" }
            value.get() shouldBe "config"
            value.get() shouldBe "config"
            computed.get() shouldBe 1
            val failing = OnceValue<String> { computed.incrementAndGet(); throw IllegalArgumentException("bad config") }
            val first = shouldThrow<IllegalArgumentException> { failing.get() }
            shouldThrow<IllegalArgumentException> { failing.get() } shouldBeSameInstanceAs first
            computed.get() shouldBe 2
        }
    }
})
