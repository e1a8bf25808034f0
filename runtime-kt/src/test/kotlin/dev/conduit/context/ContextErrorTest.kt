package dev.conduit.context

import dev.conduit.Clock
import dev.conduit.Stoppable
import dev.conduit.chan.ReceiveChan
import dev.conduit.sync.Mutex
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.kotest.matchers.types.shouldNotBeInstanceOf
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.supervisorScope
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import java.time.Instant
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.time.Duration.Companion.seconds

private fun TestScope.virtualRoot(): Context = Context.background(Clock.of(backgroundScope, testScheduler.timeSource))

/** The decision written on [ContextException]: a context's end is an error to the work it bounds, not a quiet cancellation. */
class ContextErrorTest : FunSpec({
    test("a ContextException is not a CancellationException, and says whether it is a timeout") {
        DeadlineExceededException().shouldNotBeInstanceOf<CancellationException>()
        ContextCanceledException().shouldNotBeInstanceOf<CancellationException>()
        withClue("a deadline is a timeout (Go's Timeout())") { DeadlineExceededException().isTimeout shouldBe true }
        withClue("a cancel is not") { ContextCanceledException().isTimeout shouldBe false }
    }

    test("a deadline that escapes a child coroutine fails its parent instead of ending it quietly") {
        runTest {
            val mutex = Mutex().also { it.lock() }
            val ctx = virtualRoot().withTimeout(1.seconds)
            val failure = shouldThrow<DeadlineExceededException> {
                coroutineScope {
                    launch { mutex.lock(ctx) } // gives up at the deadline
                }
            }
            failure shouldBeSameInstanceAs ctx.err
        }
    }

    test("a coroutine cancelled while it waits under its own currentContext ends cancelled, not failed") {
        runTest {
            val mutex = Mutex().also { it.lock() }
            val failures = CopyOnWriteArrayList<Throwable>()
            supervisorScope {
                val job = launch(kotlinx.coroutines.CoroutineExceptionHandler { _, e -> failures.add(e) }, start = CoroutineStart.UNDISPATCHED) {
                    mutex.lock(currentContext())
                }
                runCurrent()
                job.cancel()
                job.join()
                withClue("the job must end cancelled") { job.isCancelled shouldBe true }
            }
            withClue("nothing may be reported as a failure: $failures") { failures.size shouldBe 0 }
        }
    }

    test("inside runWithContext the work is cancelled (a CancellationException caused by the error); the caller gets the error") {
        runTest {
            val ctx = virtualRoot().withTimeout(1.seconds)
            var inside: Throwable? = null
            val outside = shouldThrow<DeadlineExceededException> {
                runWithContext(ctx) {
                    try {
                        awaitCancellation()
                    } catch (e: CancellationException) {
                        inside = e
                        throw e
                    }
                }
            }
            val chain = generateSequence<Throwable>(inside.shouldBeInstanceOf<CancellationException>()) { it.cause }.toList()
            withClue("the inside cancellation is caused by the context's error: $chain") { chain.any { it === outside } shouldBe true }
        }
    }

    test("withDeadlineCause and withTimeoutCause: err is DeadlineExceeded, cause is the one given") {
        runTest {
            val why = IllegalStateException("upstream too slow")
            val ctx = virtualRoot().withTimeoutCause(2.seconds, why)
            advanceTimeBy(2.seconds)
            runCurrent()
            ctx.err.shouldBeInstanceOf<DeadlineExceededException>()
            ctx.cause shouldBeSameInstanceAs why
            val past = virtualRoot().withDeadlineCause(Instant.EPOCH, why)
            past.err.shouldBeInstanceOf<DeadlineExceededException>()
            past.cause shouldBeSameInstanceAs why
            val cancelled = virtualRoot().withTimeoutCause(2.seconds, why).also { it.cancel() }
            withClue("cancelled before the deadline: the cause is the cancel's") {
                cancelled.cause.shouldBeInstanceOf<ContextCanceledException>()
            }
        }
    }

    test("a foreign context that delegates to a Conduit one cancels its children synchronously") {
        val inner = Context.background().withCancel()
        val wrapper = Delegating(inner)
        val child = wrapper.withCancel()
        inner.cancel()
        withClue("the child must be done when cancel() returns, as in Go") { child.err.shouldBeInstanceOf<ContextCanceledException>() }
    }

    test("a foreign context with its own done channel is watched, not taken for the context it wraps") {
        val inner = Context.background().withCancel()
        val own = Context.background().withCancel()
        val wrapper = object : Context {
            override val deadline: Instant? get() = inner.deadline
            override val done: ReceiveChan<Nothing> get() = own.done
            override val err: ContextException? get() = own.err
            override fun value(key: Any): Any? = inner.value(key)
        }
        val child = wrapper.withCancel()
        inner.cancel()
        child.err.shouldBeNull()
        own.cancel()
        kotlinx.coroutines.runBlocking { kotlinx.coroutines.withTimeout(10_000) { child.done.receiveOk() } }
        child.err.shouldBeInstanceOf<ContextCanceledException>()
    }

    test("a foreign AfterFuncContext is asked to notify, and its children follow it at once") {
        val callbacks = CopyOnWriteArrayList<Runnable>()
        var err: ContextException? = null
        val foreign = object : AfterFuncContext {
            override val deadline: Instant? get() = null
            override val done: ReceiveChan<Nothing> = Context.background().withCancel().done
            override val err: ContextException? get() = err
            override fun value(key: Any): Any? = null
            override fun afterFunc(action: Runnable): Stoppable {
                callbacks.add(action)
                return Stoppable { callbacks.remove(action) }
            }
        }
        val child = foreign.withCancel()
        withClue("the child registered through afterFunc") { callbacks.size shouldBe 1 }
        err = ContextCanceledException()
        callbacks.forEach { it.run() }
        child.err.shouldBeInstanceOf<ContextCanceledException>()
    }

    test("afterFunc takes a suspending block, started once the context is done") {
        runTest {
            val ctx = virtualRoot().withCancel()
            val ran = kotlinx.coroutines.CompletableDeferred<String>()
            ctx.afterFunc { kotlinx.coroutines.yield(); ran.complete("ran") }
            ctx.cancel()
            ran.await() shouldBe "ran"
        }
    }
})

/** A context implemented outside Conduit that delegates everything to [inner], as Go code embeds one. */
private class Delegating(private val inner: Context) : Context by inner {
    override fun toString(): String = "Delegating($inner)"
}
