package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds

/** A source that answers [value] after [afterMs], or closes without one if [value] is null. */
private fun CoroutineScope.answer(afterMs: Long, value: String?): ReceiveChan<String> =
    generate(capacity = 1) {
        delay(afterMs)
        if (value != null) send(value)
    }

class GatherTest : FunSpec({
    test("All waits for every source, each within its timeout") {
        runTest {
            pipeline {
                val got = gather(listOf(answer(10, "a"), answer(30, "b"), answer(20, "c")), 50.milliseconds, Completion.All)
                got.values shouldBe mapOf(0 to "a", 2 to "c", 1 to "b")
                got.missing shouldBe emptyMap()
                testScheduler.currentTime shouldBe 30
            }
        }
    }

    test("All fails once one source times out, with what did arrive") {
        runTest {
            pipeline {
                val e = shouldThrow<GatherException> {
                    gather(listOf(answer(10, "a"), answer(500, "late")), 50.milliseconds, Completion.All)
                }
                e.partial.values shouldBe mapOf(0 to "a")
                e.partial.missing shouldBe mapOf(1 to Missing.TIMED_OUT)
                testScheduler.currentTime shouldBe 50
            }
        }
    }

    test("FirstK returns with the first k answers and stops waiting for the rest") {
        runTest {
            pipeline {
                val got = gather(
                    listOf(answer(40, "slow"), answer(5, "fast"), answer(10, "second"), answer(1_000, "never")),
                    2_000.milliseconds,
                    Completion.FirstK(2),
                )
                got.values shouldBe mapOf(1 to "fast", 2 to "second")
                got.missing shouldBe mapOf(0 to Missing.NOT_NEEDED, 3 to Missing.NOT_NEEDED)
                testScheduler.currentTime shouldBe 10
            }
        }
    }

    test("Quorum needs a strict majority; closed and timed-out sources count against it") {
        runTest {
            pipeline {
                val sources = listOf(answer(10, "a"), answer(5, null), answer(20, "c"), answer(900, "d"), answer(30, "e"))
                val got = gather(sources, 100.milliseconds, Completion.Quorum)
                got.values.keys shouldBe setOf(0, 2, 4)
                got.missing[1] shouldBe Missing.CLOSED
                val e = shouldThrow<GatherException> {
                    gather(listOf(answer(5, null), answer(900, "x"), answer(10, "y")), 100.milliseconds, Completion.Quorum)
                }
                e.needed shouldBe 2
                e.partial.missing shouldBe mapOf(0 to Missing.CLOSED, 1 to Missing.TIMED_OUT)
            }
        }
    }

    test("bad arguments are refused by name") {
        runTest {
            pipeline {
                shouldThrow<IllegalArgumentException> {
                    gather(listOf(answer(1, "a")), 10.milliseconds, Completion.FirstK(2))
                }.message shouldBe "FirstK(2) needs 2 answers but there are 1 sources"
                shouldThrow<IllegalArgumentException> { gather<String>(emptyList(), 10.milliseconds, Completion.All) }
            }
        }
    }
})
