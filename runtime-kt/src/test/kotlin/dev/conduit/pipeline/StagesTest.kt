package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Chan
import dev.conduit.chan.Received
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.milliseconds

/** Drains a channel into a list. */
suspend fun <T> ReceiveChan<T>.toList(): List<T> = ArrayList<T>().also { for (v in this) it.add(v) }

class StagesTest : FunSpec({
    test("map with workers keeps input order when ordered, even when late items finish first") {
        runTest {
            val out = pipeline {
                val input = generateFrom(1..20)
                map(input, workers = 4) { delay((21 - it) * 10L); it * 10 }.toList()
            }
            out shouldBe (1..20).map { it * 10 }
        }
    }

    test("unordered output leaves as items finish, and nothing is lost") {
        runTest {
            val out = pipeline {
                map(generateFrom(1..8), workers = 8, ordered = false) { delay((9 - it) * 10L); it }.toList()
            }
            out shouldBe (8 downTo 1).toList()
        }
    }

    test("workers = n runs at most n transforms at once, and does run n") {
        runTest {
            val inside = AtomicInteger()
            var most = 0
            pipeline {
                for (ordered in listOf(true, false)) {
                    map(generateFrom(1..40), workers = 3, ordered = ordered) {
                        most = maxOf(most, inside.incrementAndGet())
                        delay(5)
                        inside.decrementAndGet()
                    }.toList()
                }
            }
            most shouldBe 3
        }
    }

    test("filter and flatMap, ordered with several workers") {
        runTest {
            pipeline {
                filter(generateFrom(1..30), workers = 3) { delay(31L - it); it % 3 == 0 }.toList()
            } shouldBe (3..30 step 3).toList()
            pipeline {
                flatMap(generateFrom(1..4), workers = 2) { n -> delay(10L * (5 - n)); List(n) { n } }.toList()
            } shouldBe listOf(1, 2, 2, 3, 3, 3, 4, 4, 4, 4)
        }
    }

    test("a stage closes its output when its input closes") {
        runTest {
            coroutineScope {
                val input = Chan<Int>(2)
                val out = map(input) { it + 1 }
                input.send(1)
                input.close()
                out.receive() shouldBe 2
                out.receiveOk() shouldBe Received.closed()
            }
        }
    }

    test("pipeline stops an endless generator once the consumer is done: take, then nothing survives") {
        runTest {
            var stagesJob: Job? = null
            val first = pipeline {
                stagesJob = coroutineContext.job
                val naturals = generate { var i = 0; while (true) send(i++) }
                take(map(naturals, workers = 2) { it * it }, 5).toList()
            }
            first shouldBe listOf(0, 1, 4, 9, 16)
            withClue("pipeline must not leave a stage running once it has returned") {
                stagesJob!!.children.filter { it.isActive }.toList() shouldBe emptyList()
                stagesJob!!.isCompleted shouldBe true
            }
        }
    }

    test("a cancelled context stops every stage, closes their outputs and throws its error") {
        runTest {
            val ctx = Context.background().withCancel()
            val outputs = ArrayList<ReceiveChan<*>>()
            var stages: Job? = null
            val run = launch {
                shouldThrow<ContextCanceledException> {
                    pipeline(ctx) {
                        stages = coroutineContext.job
                        val gen = generate(capacity = 4) { while (true) send(1) }
                        val mapped = map(gen, workers = 3, capacity = 2) { delay(10); it }
                        val filtered = filter(mapped, workers = 2, ordered = false) { true }
                        outputs += listOf(gen, mapped, filtered)
                        launch { for (x in filtered) delay(1) }
                        awaitCancellation()
                    }
                }
            }
            delay(100)
            ctx.cancel()
            run.join()
            withClue("every stage must have ended once its context was cancelled") { stages!!.isCompleted shouldBe true }
            for (out in outputs) {
                while (true) {
                    val r = out.tryReceive() ?: error("$out is still open")
                    if (!r.ok) break
                }
            }
        }
    }

    test("a failing transform cancels the pipeline and its error is thrown") {
        runTest {
            val e = shouldThrow<IllegalStateException> {
                pipeline {
                    val gen = generate { var i = 0; while (true) send(i++) }
                    map(map(gen, workers = 2) { check(it < 10) { "bad item $it" }; it }) { it }.toList()
                }
            }
            e.message shouldBe "bad item 10"
        }
    }

    test("bad arguments are refused by name") {
        runTest {
            coroutineScope {
                val input = Chan<Int>()
                shouldThrow<IllegalArgumentException> { map(input, workers = 0) { it } }.message shouldBe
                    "workers must be >= 1, but was 0"
                shouldThrow<IllegalArgumentException> { map(input, capacity = -1) { it } }.message shouldBe
                    "capacity must be >= 0, but was -1"
                shouldThrow<IllegalArgumentException> {
                    map(input, workers = 5, scaling = Scaling(1, 4)) { it }
                }.message shouldBe "workers must be in 1..4 (the scaling bounds), but was 5"
                shouldThrow<IllegalArgumentException> { Scaling(2, 1) }.message shouldBe "max must be >= min (2), but was 1"
                shouldThrow<IllegalArgumentException> { take(input, -1) }
                input.close()
            }
        }
    }
})
