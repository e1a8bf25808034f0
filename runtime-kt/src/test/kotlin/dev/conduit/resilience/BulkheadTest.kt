package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import java.io.IOException
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun TestScope.virtualContext(): Context = Context.background(Clock.of(backgroundScope, testScheduler.timeSource))

private fun BulkheadMetrics.counts() = listOf(available.toLong(), waiting.toLong(), rejected)

class BulkheadTest : FunSpec({
    test("bad limits are rejected, naming them") {
        shouldThrow<IllegalArgumentException> { Bulkhead(0, 1.seconds) }.message shouldBe "maxConcurrent must be >= 1, but was 0"
        shouldThrow<IllegalArgumentException> { Bulkhead(1, (-1).seconds) }.message shouldBe "maxWait must be >= 0 and finite, but was -1s"
        shouldThrow<IllegalStateException> { Bulkhead(1, 1.seconds, "db").release() }.message shouldBe
            "release of bulkhead 'db' without a place held"
    }

    test("a caller waits up to maxWait for a place, then is refused with a message naming the bulkhead") {
        runTest {
            val bulkhead = Bulkhead(2, 100.milliseconds, "inventory")
            val ctx = virtualContext()
            val holders = List(2) { async(start = CoroutineStart.UNDISPATCHED) { bulkhead.call(ctx) { delay(1.seconds) } } }
            val waiter = async(start = CoroutineStart.UNDISPATCHED) { runCatching { bulkhead.call(ctx) { "in" } } }
            bulkhead.metrics().counts() shouldBe listOf(0L, 1L, 0L)
            val e = waiter.await().exceptionOrNull() as BulkheadFullException
            currentTime shouldBe 100
            e.message shouldBe "bulkhead 'inventory' is full: 2 concurrent call(s), none free after waiting 100ms"
            e.maxWait shouldBe java.time.Duration.ofMillis(100)
            bulkhead.metrics().counts() shouldBe listOf(0L, 0L, 1L)
            holders.forEach { it.await() }
            withClue("both places are free again") { bulkhead.metrics().counts() shouldBe listOf(2L, 0L, 1L) }
        }
    }

    test("a waiter gets the place released within maxWait, first come first served") {
        runTest {
            val bulkhead = Bulkhead(1, 500.milliseconds)
            val ctx = virtualContext()
            val order = ArrayList<String>()
            val holder = async(start = CoroutineStart.UNDISPATCHED) { bulkhead.call(ctx) { delay(200.milliseconds) } }
            val first = async(start = CoroutineStart.UNDISPATCHED) { bulkhead.call(ctx) { order += "first@$currentTime"; delay(100.milliseconds) } }
            val second = async(start = CoroutineStart.UNDISPATCHED) { bulkhead.call(ctx) { order += "second@$currentTime" } }
            listOf(holder, first, second).forEach { it.await() }
            order shouldBe listOf("first@200", "second@300")
        }
    }

    test("the place is released when the block fails or is cancelled") {
        runTest {
            val bulkhead = Bulkhead(1, Duration.ZERO)
            shouldThrow<IOException> { bulkhead.call { throw IOException("down") } }
            bulkhead.metrics().available shouldBe 1
            val inside = CompletableDeferred<Unit>()
            val call = async(start = CoroutineStart.UNDISPATCHED) { bulkhead.call { inside.complete(Unit); awaitCancellation() } }
            inside.await()
            withClue("maxWait 0: refused at once while the place is held") { shouldThrow<BulkheadFullException> { bulkhead.call { } } }
            call.cancel()
            runCurrent()
            bulkhead.metrics().available shouldBe 1
        }
    }

    test("a waiter whose context ends holds nothing; tryAcquire and release pair up") {
        runTest {
            val bulkhead = Bulkhead(1, 1.seconds)
            bulkhead.tryAcquire() shouldBe true
            bulkhead.tryAcquire() shouldBe false
            val ctx = virtualContext().withCancel()
            val waiter = async(start = CoroutineStart.UNDISPATCHED) { runCatching { bulkhead.acquire(ctx) } }
            ctx.cancel()
            (waiter.await().exceptionOrNull() is ContextCanceledException) shouldBe true
            bulkhead.release()
            bulkhead.metrics().counts() shouldBe listOf(1L, 0L, 1L)
        }
    }
})
