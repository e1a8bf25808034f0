package dev.conduit.sync

import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import java.util.concurrent.BrokenBarrierException
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

class BarrierTest : FunSpec({
    test("bad parties are refused by name") {
        shouldThrow<IllegalArgumentException> { Barrier(0) }.message shouldBe "parties must be > 0, but was 0"
    }

    test("nobody passes until all parties arrive; the last runs the action; indexes as CyclicBarrier") {
        runTest {
            var actions = 0
            val barrier = Barrier(3) { actions++ }
            val first = async(start = CoroutineStart.UNDISPATCHED) { barrier.await() }
            val second = async(start = CoroutineStart.UNDISPATCHED) { barrier.await() }
            runCurrent()
            barrier.waiting shouldBe 2
            withClue("nobody may pass before the third party arrives") { first.isCompleted shouldBe false }
            actions shouldBe 0
            barrier.await() shouldBe 0
            actions shouldBe 1
            listOf(first, second).awaitAll() shouldBe listOf(2, 1)
            barrier.waiting shouldBe 0
        }
    }

    test("it is cyclic: the same barrier runs round after round") {
        runTest {
            val rounds = 5
            var actions = 0
            val barrier = Barrier(4) { actions++ }
            val phase = IntArray(4)
            coroutineScope {
                repeat(4) { p ->
                    launch {
                        repeat(rounds) { r ->
                            phase[p] = r
                            barrier.await()
                            withClue("party $p passed round $r with phases ${phase.toList()}") { phase.min() shouldBeGreaterThanOrEqual r } // everyone reached round r
                        }
                    }
                }
            }
            actions shouldBe rounds
        }
    }

    test("one waiter giving up breaks the barrier for everyone until reset") {
        runTest {
            val barrier = Barrier(3)
            val ctx = Context.background().withCancel()
            val quitter = async(start = CoroutineStart.UNDISPATCHED) { runCatching { barrier.await(ctx) } }
            val other = async(start = CoroutineStart.UNDISPATCHED) { runCatching { barrier.await() } }
            ctx.cancel()
            quitter.await().exceptionOrNull().shouldBeInstanceOf<ContextCanceledException>()
            other.await().exceptionOrNull().shouldBeInstanceOf<BrokenBarrierException>()
            withClue("a waiter giving up must leave the barrier broken") { barrier.isBroken shouldBe true }
            shouldThrow<BrokenBarrierException> { barrier.await() }
            barrier.reset()
            withClue("reset must mend a broken barrier") { barrier.isBroken shouldBe false }
            val again = (1..3).map { async { barrier.await() } }
            again.awaitAll().sorted() shouldBe listOf(0, 1, 2)
        }
    }

    test("a cancelled coroutine breaks it too; reset breaks the current round's waiters") {
        runTest {
            val barrier = Barrier(2)
            val cancelled = launch(start = CoroutineStart.UNDISPATCHED) { barrier.await() }
            cancelled.cancel()
            runCurrent()
            withClue("a cancelled waiter must leave the barrier broken") { barrier.isBroken shouldBe true }
            barrier.reset()
            val waiter = async(start = CoroutineStart.UNDISPATCHED) { runCatching { barrier.await() } }
            barrier.reset()
            waiter.await().exceptionOrNull().shouldBeInstanceOf<BrokenBarrierException>()
            withClue("reset leaves a fresh round, not a broken one") { barrier.isBroken shouldBe false }
        }
    }

    test("a reset with nobody waiting leaves the barrier whole for the next arrivals") {
        runTest {
            val barrier = Barrier(2)
            barrier.reset()
            withClue("a reset starts a fresh round; it breaks only the round it replaces") { barrier.isBroken shouldBe false }
            val first = async(start = CoroutineStart.UNDISPATCHED) { barrier.await() }
            barrier.await() shouldBe 0
            first.await() shouldBe 1
        }
    }

    test("a reset while the last arrival runs the action does not break that round, nor orphan the next") {
        runTest {
            lateinit var barrier: Barrier
            var resetDuringAction = false
            barrier = Barrier(2) { if (!resetDuringAction) { resetDuringAction = true; barrier.reset() } }
            val first = async(start = CoroutineStart.UNDISPATCHED) { barrier.await() }
            withClue("the round was full when reset ran, so both parties pass") { barrier.await() shouldBe 0 }
            first.await() shouldBe 1
            withClue("the reset's fresh round is the current one, not broken") { barrier.isBroken shouldBe false }
            val third = async(start = CoroutineStart.UNDISPATCHED) { barrier.await() }
            barrier.waiting shouldBe 1
            barrier.await() shouldBe 0
            third.await() shouldBe 1
        }
    }

    test("an action that throws breaks the round; the last arrival gets the action's exception") {
        runTest {
            val barrier = Barrier(2) { error("action failed") }
            val waiter = async(start = CoroutineStart.UNDISPATCHED) { runCatching { barrier.await() } }
            shouldThrow<IllegalStateException> { barrier.await() }.message shouldBe "action failed"
            waiter.await().exceptionOrNull().shouldBeInstanceOf<BrokenBarrierException>()
            withClue("a failed action must leave the barrier broken") { barrier.isBroken shouldBe true }
        }
    }

    test("stress: every party passes every round exactly once") {
        runBlocking(Dispatchers.Default) {
            withTimeout(30.seconds) {
                val parties = 6
                val rounds = 2_000
                val tripped = AtomicInteger()
                val barrier = Barrier(parties) { tripped.incrementAndGet() }
                val lastIndexes = AtomicInteger()
                coroutineScope {
                    repeat(parties) {
                        launch { repeat(rounds) { if (barrier.await() == 0) lastIndexes.incrementAndGet() } }
                    }
                }
                tripped.get() shouldBe rounds
                lastIndexes.get() shouldBe rounds
            }
        }
    }
})
