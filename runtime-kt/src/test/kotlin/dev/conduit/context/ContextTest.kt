package dev.conduit.context

import dev.conduit.Clock
import dev.conduit.chan.Chan
import dev.conduit.chan.Received
import dev.conduit.chan.select
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

private fun TestScope.root(): Context = Context.background(Clock.of(backgroundScope, testScheduler.timeSource))

class ContextTest : FunSpec({
    test("background is never done and has no deadline or values") {
        val bg = Context.background()
        bg.err shouldBe null
        bg.deadline shouldBe null
        bg.value("k") shouldBe null
        bg.done.tryReceive() shouldBe null
    }

    test("a timeout too long for an Instant is no deadline; one too far back is done at once; a far deadline never fires early") {
        val bg = Context.background()
        bg.withTimeout(java.time.Duration.ofSeconds(Long.MAX_VALUE)).use { ctx ->
            withClue("no deadline, not an ArithmeticException") { ctx.deadline shouldBe null }
            ctx.err shouldBe null
        }
        bg.withTimeout(kotlin.time.Duration.INFINITE).use { it.deadline shouldBe null }
        bg.withTimeout(java.time.Duration.ofSeconds(Long.MIN_VALUE)).use { it.err.shouldBeInstanceOf<DeadlineExceededException>() }
        val farAway = java.time.Instant.now().plusSeconds(400L * 365 * 24 * 3600) // past a nanosecond timer's range
        bg.withDeadline(farAway).use { ctx ->
            ctx.deadline shouldBe farAway
            ctx.err shouldBe null
        }
    }

    test("cancel closes done, sets err, reaches children but never the parent, and is idempotent") {
        val parent = Context.background().withCancel()
        val child = parent.withCancel()
        val grandchild = child.withValue("k", 1).withCancel()
        child.cancel()
        child.err.shouldBeInstanceOf<ContextCanceledException>()
        grandchild.err.shouldBeSameInstanceAs(child.err)
        child.done.tryReceive() shouldBe Received.closed()
        grandchild.done.tryReceive() shouldBe Received.closed()
        parent.err shouldBe null
        parent.done.tryReceive() shouldBe null
        val first = child.err
        child.cancel(IllegalStateException("again"))
        child.err shouldBeSameInstanceAs first
        child.cause shouldBeSameInstanceAs first
        parent.cancel()
    }

    test("a waiter that cancel resumes inline (Unconfined) already sees err") {
        kotlinx.coroutines.runBlocking {
            val ctx = Context.background().withCancel()
            var seen: ContextException? = null
            val waiter = launch(kotlinx.coroutines.Dispatchers.Unconfined) {
                ctx.done.receiveOk()
                seen = ctx.err
            }
            ctx.cancel()
            waiter.join()
            seen.shouldBeInstanceOf<ContextCanceledException>()
        }
    }

    test("a child of a cancelled context is cancelled at once") {
        val parent = Context.background().withCancel()
        parent.cancel()
        val child = parent.withTimeout(10.seconds)
        child.err.shouldBeInstanceOf<ContextCanceledException>()
    }

    test("cause is the cause given to cancel; err stays Canceled") {
        val ctx = Context.background().withCancel()
        val why = IllegalStateException("shutting down")
        val child = ctx.withCancel()
        ctx.cancel(why)
        ctx.err.shouldBeInstanceOf<ContextCanceledException>()
        ctx.cause shouldBeSameInstanceAs why
        child.cause shouldBeSameInstanceAs why
    }

    test("withTimeout is done with DeadlineExceeded after the timeout, in virtual time") {
        runTest {
            val ctx = root().withTimeout(2.seconds)
            ctx.deadline shouldBe ctx.clock.now().plusSeconds(2)
            ctx.done.receiveOk() shouldBe Received.closed()
            currentTime shouldBe 2000L
            ctx.err.shouldBeInstanceOf<DeadlineExceededException>()
        }
    }

    test("a child's deadline never outlives its parent's") {
        runTest {
            val parent = root().withTimeout(1.seconds)
            val child = parent.withTimeout(5.seconds)
            child.deadline shouldBe parent.deadline
            child.done.receiveOk()
            currentTime shouldBe 1000L
            child.err.shouldBeInstanceOf<DeadlineExceededException>()
            val shorter = root().withTimeout(5.seconds).withTimeout(1.seconds)
            shorter.done.receiveOk()
            currentTime shouldBe 2000L
        }
    }

    test("a deadline already past is done at once") {
        val ctx = Context.background().withDeadline(java.time.Instant.now().minusSeconds(1))
        ctx.err.shouldBeInstanceOf<DeadlineExceededException>()
    }

    test("cancelling a timeout context early stops its timer and reports Canceled") {
        runTest {
            val ctx = root().withTimeout(1.seconds)
            val timers = backgroundScope.coroutineContext[kotlinx.coroutines.Job]!!
            timers.children.count { it.isActive } shouldBe 1
            ctx.cancel()
            runCurrent()
            timers.children.count { it.isActive } shouldBe 0
            delay(2.seconds)
            ctx.err.shouldBeInstanceOf<ContextCanceledException>()
        }
    }

    test("a value lookup finds the nearest key") {
        val ctx = Context.background().withValue("user", "ann").withCancel().withValue("user", "bob").withValue("id", 7)
        ctx.value("user") shouldBe "bob"
        ctx.value("id") shouldBe 7
        ctx.value("missing") shouldBe null
    }

    test("withoutCancel keeps values but not cancellation or deadline") {
        val parent = Context.background().withValue("k", "v").withTimeout(1.seconds)
        val detached = parent.withoutCancel()
        parent.cancel()
        detached.err shouldBe null
        detached.deadline shouldBe null
        detached.value("k") shouldBe "v"
        detached.withCancel().err shouldBe null
    }

    test("afterFunc runs once the context is done; stop before that prevents it") {
        runTest {
            val ctx = root().withCancel()
            val ran = Chan<String>(2)
            ctx.afterFunc { ran.trySend("first") }
            val stopped = ctx.afterFunc { ran.trySend("stopped") }
            withClue("stop before the context is done must stop the action") { stopped.stop() shouldBe true }
            ctx.cancel()
            // The action runs in a real goroutine: wait for it in real time, bounded.
            kotlinx.coroutines.withContext(kotlinx.coroutines.Dispatchers.Default) {
                kotlinx.coroutines.withTimeout(10.seconds) { ran.receive() }
            } shouldBe "first"
            withClue("stop of an already-stopped action must report false") { stopped.stop() shouldBe false }
            ran.tryReceive() shouldBe null
        }
    }

    test("done works in select") {
        runTest {
            val ctx = root().withTimeout(100.milliseconds)
            val work = Chan<Int>()
            select {
                work.onReceive { "work" }
                ctx.done.onReceiveOk { "done: ${ctx.err?.message}" }
            } shouldBe "done: context deadline exceeded"
        }
    }

    test("code run under a Context is cancelled when the Context is") {
        runTest {
            val ctx = root().withTimeout(1.seconds)
            val e = shouldThrow<DeadlineExceededException> {
                runWithContext(ctx) { awaitCancellation() }
            }
            e shouldBeSameInstanceAs ctx.err
            currentTime shouldBe 1000L
            runWithContext(root()) { 42 } shouldBe 42
        }
    }

    test("currentContext inside runWithContext sees the context's values and cancellation") {
        runTest {
            val ctx = root().withValue("trace", "t-1").withCancel()
            val seen = launch(start = CoroutineStart.UNDISPATCHED) {
                // The caller of runWithContext sees the context's error (a failure, not a quiet cancellation).
                shouldThrow<ContextCanceledException> {
                    runWithContext(ctx) {
                        val inner = currentContext()
                        inner.value("trace") shouldBe "t-1"
                        inner.done.receiveOk()
                    }
                }
            }
            ctx.cancel()
            seen.join()
        }
    }

    test("a Context taken from a coroutine is cancelled with its Job") {
        runTest {
            var taken: Context? = null
            val job = launch(start = CoroutineStart.UNDISPATCHED) {
                taken = currentContext()
                awaitCancellation()
            }
            taken!!.err shouldBe null
            job.cancel()
            runCurrent()
            taken!!.err.shouldBeInstanceOf<ContextCanceledException>()
        }
    }

    test("a foreign Context implementation propagates cancellation to children") {
        val inner = Context.background().withCancel()
        val foreign = object : Context by inner {}
        val child = foreign.withCancel()
        inner.cancel()
        kotlinx.coroutines.runBlocking {
            kotlinx.coroutines.withTimeout(10.seconds) { child.done.receiveOk() }
        }
        child.err.shouldBeInstanceOf<ContextCanceledException>()
    }
})
