package dev.conduit.sync

import dev.conduit.GoRuntime
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.kotest.matchers.types.shouldNotBeSameInstanceAs
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Job
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import java.io.IOException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** These run real goroutines (on the default dispatcher), each bounded by a timeout. */
private fun bounded(block: suspend kotlinx.coroutines.CoroutineScope.() -> Unit) =
    runBlocking { withTimeout(30.seconds, block) }

private fun goroutines(): Int = GoRuntime.scope.coroutineContext[Job]!!.children.count()

class ErrGroupTest : FunSpec({
    test("wait returns when every task succeeded, and then cancels the group's context") {
        bounded {
            val group = ErrGroup()
            val done = AtomicInteger()
            repeat(10) { group.go { done.incrementAndGet() } }
            group.wait()
            done.get() shouldBe 10
            group.ctx.err.shouldBeInstanceOf<ContextCanceledException>()
        }
    }

    test("fail-fast: the first failure cancels the others and wait throws it") {
        bounded {
            val group = ErrGroup()
            val stopped = AtomicInteger()
            repeat(3) {
                group.go("waiter $it") { ctx ->
                    try {
                        ctx.done.receiveOk()
                        awaitCancellation()
                    } finally {
                        stopped.incrementAndGet()
                    }
                }
            }
            group.go("fails") { throw IOException("disk full") }
            val e = shouldThrow<IOException> { group.wait() }
            e.message shouldBe "disk full"
            stopped.get() shouldBe 3
            group.ctx.cause shouldBe e
            group.failures().map { it.task } shouldBe listOf("fails")
        }
    }

    test("collect-all: every task runs and every failure is listed with its task") {
        bounded {
            val group = ErrGroup(collectAll = true)
            val results = ConcurrentHashMap<Int, Int>()
            for (i in 0 until 6) {
                group.go("item $i") {
                    if (i % 3 == 1) throw IllegalStateException("bad item $i")
                    results[i] = i * i
                }
            }
            val e = shouldThrow<ErrGroupException> { group.wait() }
            e.failures.map { it.task }.sorted() shouldBe listOf("item 1", "item 4")
            e.message shouldStartWith "2 task(s) failed: "
            results shouldBe mapOf(0 to 0, 2 to 4, 3 to 9, 5 to 25)
        }
    }

    test("a crash is an error of the group, not an uncaught exception") {
        bounded {
            val uncaught = CopyOnWriteArrayList<Throwable>()
            GoRuntime.setUncaughtExceptionHandler { uncaught.add(it) }
            try {
                val group = ErrGroup()
                group.go { throw StackOverflowError("deep") }
                shouldThrow<StackOverflowError> { group.wait() }
                uncaught shouldBe emptyList()
            } finally {
                GoRuntime.setUncaughtExceptionHandler(null)
            }
        }
    }

    test("setLimit bounds the tasks running at once; tryGo declines when full") {
        bounded {
            val group = ErrGroup()
            group.setLimit(2)
            val now = AtomicInteger()
            val peak = AtomicInteger()
            repeat(10) {
                group.go {
                    peak.accumulateAndGet(now.incrementAndGet(), ::maxOf)
                    // Two at once by construction: the first task waits for the second to start
                    // (rather than hoping the second starts within the first one's 5 ms).
                    while (peak.get() < 2) yield()
                    delay(5.milliseconds)
                    now.decrementAndGet()
                }
            }
            group.wait()
            peak.get() shouldBe 2

            val limited = ErrGroup()
            limited.setLimit(1)
            val release = kotlinx.coroutines.CompletableDeferred<Unit>()
            withClue("tryGo under a limit of 1 with nothing running must start the task") { limited.tryGo { release.await() } shouldBe true }
            withClue("tryGo must refuse while the one allowed task runs") { limited.tryGo { } shouldBe false }
            shouldThrow<IllegalStateException> { limited.setLimit(3) }.message shouldBe
                "cannot change the limit while 1 task(s) are running"
            release.complete(Unit)
            limited.wait()
            shouldThrow<IllegalArgumentException> { limited.setLimit(0) }
        }
    }

    test("a cancelled parent stops the tasks and wait reports the cancellation") {
        bounded {
            val parent = Context.background().withCancel()
            val group = ErrGroup(parent)
            repeat(3) { group.go { ctx -> ctx.done.receiveOk() } }
            parent.cancel()
            shouldThrow<ContextCanceledException> { group.wait() }
        }
    }

    test("cancelling the waiter cancels the tasks and leaves no goroutine behind") {
        bounded {
            val before = goroutines()
            val group = ErrGroup()
            repeat(5) { group.go { awaitCancellation() } }
            val waiter = launch { group.wait() }
            yield()
            waiter.cancel()
            waiter.join()
            while (goroutines() > before) yield()
            group.ctx.err.shouldBeInstanceOf<ContextCanceledException>()
        }
    }

    test("the group is reusable: tasks started after wait run, under a new context, and the next wait reports them") {
        bounded {
            val group = ErrGroup()
            group.setLimit(1)
            group.go { }
            group.wait()
            val ended = group.ctx
            ended.err.shouldBeInstanceOf<ContextCanceledException>()
            val ranUnder = CopyOnWriteArrayList<Context>()
            repeat(3) { group.go { ctx -> withClue("a task of the new round sees a live context") { ctx.err.shouldBeNull() }; ranUnder.add(ctx) } }
            group.wait()
            withClue("every task started after the first wait ran") { ranUnder.size shouldBe 3 }
            withClue("they shared the new round's context, not the ended one") {
                ranUnder.distinct().size shouldBe 1
                ranUnder.first() shouldNotBeSameInstanceAs ended
                ranUnder.first() shouldBeSameInstanceAs group.ctx
            }
            group.ctx.err.shouldBeInstanceOf<ContextCanceledException>()
        }
    }

    test("a round's failure is reported by its wait, again by a repeated wait, and not by the next round's") {
        bounded {
            val group = ErrGroup()
            val boom = IOException("round 1")
            group.go { throw boom }
            shouldThrow<IOException> { group.wait() } shouldBeSameInstanceAs boom
            shouldThrow<IOException> { group.wait() } shouldBeSameInstanceAs boom
            group.failures().map { it.error } shouldBe listOf(boom)
            val ran = AtomicInteger()
            group.go { ran.incrementAndGet() }
            group.wait()
            ran.get() shouldBe 1
            group.failures().shouldBeEmpty()
        }
    }

    test("after the parent is cancelled, a later task is never dropped silently: wait throws the parent's error") {
        bounded {
            val parent = Context.background().withCancel()
            val group = ErrGroup(parent)
            group.go { }
            group.wait()
            parent.cancel()
            group.go { }
            shouldThrow<ContextCanceledException> { group.wait() }
        }
    }

    test("fail-fast: wait throws the first failure itself, unmodified, under -ea; failures() has the rest") {
        bounded {
            withClue("Surefire enables assertions, which turns kotlinx's stack-trace recovery on") {
                Job::class.java.desiredAssertionStatus() shouldBe true
            }
            val group = ErrGroup()
            val first = IOException("first")
            val second = IllegalStateException("second")
            val waiting = CompletableDeferred<Unit>()
            group.go("second") { ctx ->
                try {
                    waiting.complete(Unit)
                    ctx.done.receiveOk()
                    awaitCancellation()
                } finally {
                    throw second
                }
            }
            waiting.await()
            group.go("first") { throw first }
            val e = shouldThrow<IOException> { group.wait() }
            withClue("the very instance the task threw, so sentinel checks (===) work") { e shouldBeSameInstanceAs first }
            withClue("wait does not add the other failures to the caller's exception") { e.suppressed.toList().shouldBeEmpty() }
            group.failures().map { it.task } shouldBe listOf("first", "second")
            group.failures()[1].error shouldBeSameInstanceAs second
            group.ctx.cause shouldBeSameInstanceAs first
        }
    }

    test("collect-all: the failures listed are the instances the tasks threw") {
        bounded {
            val group = ErrGroup(collectAll = true)
            val thrown = List(3) { IllegalArgumentException("bad $it") }
            thrown.forEachIndexed { i, t -> group.go("task $i") { throw t } }
            val e = shouldThrow<ErrGroupException> { group.wait() }
            e.failures.map { it.error }.forEach { f -> withClue("$f is one of the thrown instances") { thrown.any { it === f } shouldBe true } }
            e.failures.map { it.task }.shouldContainExactlyInAnyOrder("task 0", "task 1", "task 2")
            thrown.forEach { withClue("nothing was attached to $it") { it.suppressed.toList().shouldBeEmpty() } }
        }
    }
})
