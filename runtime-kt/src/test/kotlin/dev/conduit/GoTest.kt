package dev.conduit

import dev.conduit.chan.Chan
import dev.conduit.context.Context
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.time.Duration.Companion.seconds

class GoTest : FunSpec({
    afterTest { GoRuntime.setUncaughtExceptionHandler(null) }

    test("go runs the block concurrently") {
        runBlocking {
            val ch = Chan<String>()
            go { ch.send("hello") }
            withTimeout(10.seconds) { ch.receive() } shouldBe "hello"
        }
    }

    test("a crash reaches the handler and does not cancel a sibling goroutine") {
        runBlocking {
            val reported = CopyOnWriteArrayList<Throwable>()
            val crashed = Chan<Unit>(1)
            GoRuntime.setUncaughtExceptionHandler { reported.add(it); crashed.trySend(Unit) }
            val sibling = go { awaitCancellation() }
            go { throw IllegalStateException("boom") }
            withTimeout(10.seconds) { crashed.receive() }
            reported.single().message shouldBe "boom"
            withClue("a crash in one goroutine must not cancel a sibling") { sibling.isActive shouldBe true }
            sibling.cancel()
        }
    }

    test("go(ctx) is cancelled when its context is, and that is not reported") {
        runBlocking {
            val reported = CopyOnWriteArrayList<Throwable>()
            GoRuntime.setUncaughtExceptionHandler { reported.add(it) }
            val ctx = Context.background().withCancel()
            val started = Chan<Unit>()
            val job = go(ctx) {
                started.send(Unit)
                awaitCancellation()
            }
            withTimeout(10.seconds) { started.receive() }
            ctx.cancel()
            withTimeout(10.seconds) { job.join() }
            withClue("the goroutine must end cancelled, not completed, when its context is cancelled") { job.isCancelled shouldBe true }
            reported shouldBe emptyList()
        }
    }
})
