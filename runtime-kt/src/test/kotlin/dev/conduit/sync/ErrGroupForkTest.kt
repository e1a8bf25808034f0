package dev.conduit.sync

import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import java.io.IOException
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

/** These run real goroutines (on the default dispatcher), each bounded by a timeout. */
private fun bounded(block: suspend kotlinx.coroutines.CoroutineScope.() -> Unit) =
    runBlocking { withTimeout(30.seconds, block) }

class ErrGroupForkTest : FunSpec({
    test("fork hands back each task's value once wait returned") {
        bounded {
            val group = ErrGroup()
            val squares = (1..5).map { i -> group.fork("square $i") { i * i } }
            group.wait()
            squares.map { it.state }.distinct() shouldContainExactly listOf(Subtask.State.SUCCEEDED)
            squares.map { it.get() } shouldBe listOf(1, 4, 9, 16, 25)
            squares.map { it.name } shouldBe (1..5).map { "square $it" }
        }
    }

    test("a null value is a value") {
        bounded {
            val group = ErrGroup()
            val nothing = group.fork { null as String? }
            group.wait()
            nothing.state shouldBe Subtask.State.SUCCEEDED
            nothing.get().shouldBeNull()
        }
    }

    test("fail-fast: the failed subtask holds what it threw, the others are cancelled, not failed") {
        bounded {
            val group = ErrGroup()
            val started = CompletableDeferred<Unit>()
            val waiter = group.fork("waiter") { started.complete(Unit); awaitCancellation() }
            started.await()
            val boom = IOException("down")
            val failing = group.fork("fetch") { throw boom }
            shouldThrow<IOException> { group.wait() } shouldBeSameInstanceAs boom
            failing.state shouldBe Subtask.State.FAILED
            failing.exception() shouldBeSameInstanceAs boom
            waiter.state shouldBe Subtask.State.CANCELLED
            withClue("a cancelled task is no failure of the group") { group.failures().map { it.task } shouldBe listOf("fetch") }
        }
    }

    test("get and exception name the task and its state when it has none to give") {
        bounded {
            val group = ErrGroup()
            val release = CompletableDeferred<Unit>()
            val running = group.fork("slow") { release.await(); 7 }
            withClue("a running task has no value yet") {
                shouldThrow<IllegalStateException> { running.get() }.message shouldBe "task 'slow' is running, not succeeded"
            }
            shouldThrow<IllegalStateException> { running.exception() }.message shouldBe "task 'slow' is running, not failed"
            running.toString() shouldBe "Subtask(slow, running)"
            release.complete(Unit)
            group.wait()
            running.get() shouldBe 7

            val boom = IllegalArgumentException("bad id")
            val failed = group.fork { throw boom }
            shouldThrow<IllegalArgumentException> { group.wait() }
            val e = shouldThrow<IllegalStateException> { failed.get() }
            e.message shouldBe "task '${failed.name}' is failed, not succeeded"
            withClue("a failed task's get carries what it threw") { e.cause shouldBeSameInstanceAs boom }
        }
    }

    test("unnamed subtasks are numbered as go's tasks are") {
        bounded {
            val group = ErrGroup()
            group.go { }
            val second = group.fork { }
            group.wait()
            second.name shouldBe "1"
        }
    }

    test("tryFork starts a task only while a slot is free") {
        bounded {
            val group = ErrGroup()
            group.setLimit(1)
            val release = CompletableDeferred<Unit>()
            val first = group.tryFork("first") { release.await(); "done" }
            withClue("the one slot was free") { first?.name shouldBe "first" }
            withClue("the one slot is taken") { group.tryFork { "never" }.shouldBeNull() }
            release.complete(Unit)
            group.wait()
            first!!.get() shouldBe "done"
        }
    }

    test("fork under a limit waits for a slot, and a done context while waiting starts nothing") {
        bounded {
            val parent = Context.background().withCancel()
            val group = ErrGroup(parent)
            group.setLimit(1)
            group.fork { awaitCancellation() }
            val blocked = launch {
                shouldThrow<ContextCanceledException> { group.fork { error("must not start") } }
            }
            yield()
            parent.cancel()
            blocked.join()
            shouldThrow<ContextCanceledException> { group.wait() }
        }
    }

    test("cancelAndWait stops the tasks, waits for every one, and tells that nothing reported them") {
        bounded {
            val group = ErrGroup()
            val stopped = AtomicInteger()
            val started = List(3) { CompletableDeferred<Unit>() }
            val tasks = (0 until 3).map { i ->
                group.fork("t$i") {
                    try {
                        started[i].complete(Unit)
                        awaitCancellation()
                    } finally {
                        stopped.incrementAndGet()
                    }
                }
            }
            started.forEach { it.await() } // a task cancelled before it starts never runs its finally
            withClue("the round had tasks no wait reported") { group.cancelAndWait() shouldBe true }
            withClue("every task has ended when cancelAndWait returns") { stopped.get() shouldBe 3 }
            tasks.map { it.state }.distinct() shouldBe listOf(Subtask.State.CANCELLED)
            withClue("a wait after it reports the cancellation") { shouldThrow<ContextCanceledException> { group.wait() } }
            withClue("the ended round is not unreported twice") { group.cancelAndWait() shouldBe false }
        }
    }

    test("cancelAndWait after wait, or on a group that never ran a task, has nothing unreported") {
        bounded {
            ErrGroup().cancelAndWait() shouldBe false
            val group = ErrGroup()
            val one = group.fork { 1 }
            group.wait()
            group.cancelAndWait() shouldBe false
            withClue("the value stays") { one.get() shouldBe 1 }
            val next = group.fork { 2 }
            group.wait()
            next.get() shouldBe 2
        }
    }

    test("cancelAndWait keeps the failures that came first, for failures() and a later wait") {
        bounded {
            val group = ErrGroup(collectAll = true)
            val boom = IOException("first")
            val failed = group.fork("f") { throw boom }
            while (failed.state == Subtask.State.RUNNING) yield()
            group.cancelAndWait() shouldBe true
            group.failures().map { it.error } shouldBe listOf(boom)
            shouldThrow<ErrGroupException> { group.wait() }.failures.map { it.task } shouldBe listOf("f")
        }
    }

    test("a cancelled caller of cancelAndWait still waits for the tasks before it ends") {
        bounded {
            val group = ErrGroup()
            val release = CompletableDeferred<Unit>()
            val ended = AtomicInteger()
            val started = CompletableDeferred<Unit>()
            // A task that finishes only when released, whatever cancels it.
            group.go {
                kotlinx.coroutines.withContext(kotlinx.coroutines.NonCancellable) {
                    started.complete(Unit)
                    release.await()
                    ended.incrementAndGet()
                }
            }
            started.await() // a task cancelled before it starts would end at once
            val closer = launch { group.cancelAndWait() }
            yield()
            closer.cancel()
            yield()
            withClue("the closer waits for the task, though cancelled") { closer.isCompleted shouldBe false }
            release.complete(Unit)
            closer.join()
            ended.get() shouldBe 1
        }
    }
})
