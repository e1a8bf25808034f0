package dev.conduit.sync

import dev.conduit.GoRuntime
import dev.conduit.chan.RaceBalance
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.ContextCanceledException
import dev.conduit.stressRun
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.future.future
import kotlinx.coroutines.runBlocking
import java.util.concurrent.BrokenBarrierException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * One race, repeated: a waiter queues under a context for something that is held; the context
 * is cancelled, and only then is the thing made ready (a release, an unlock, a signal). The
 * context was done first, so the waiter must fail with its error and hold nothing, even when
 * the grant reached it before its own withdrawal did (Go's rule for `semaphore.Acquire`,
 * golang/go#63615). Before that rule, on two cores, the grant won with Conduit's own contexts
 * once in some hundreds to some 100,000 tries depending on the kind (`-Pstress` found it in all
 * of them), and with a [ForeignContext] on the first try.
 */
private class Race(
    /** Starts the waiter under ctx; the future completes with its outcome. */
    val start: (CancelContext) -> CompletableFuture<*>,
    /** Whether the waiter is queued now. */
    val queued: () -> Boolean,
    /** Makes the grant ready, after the cancellation. */
    val grant: () -> Unit,
    /** Checks, once the waiter has failed, that it holds nothing. */
    val holdsNothing: () -> Unit,
)

/**
 * A context of another implementation than Conduit's own: Conduit watches its done channel
 * with a goroutine, so a waiter's withdrawal comes asynchronously after the cancellation, and
 * the race is wide open. With Conduit's contexts it is open only while the waiter registers.
 */
private class ForeignContext(inner: CancelContext) : CancelContext by inner

/** Blocking waiters run on their own thread, so the test thread can cancel and grant. */
private val threads = Executors.newCachedThreadPool { r -> Thread(r, "context-first-waiter").apply { isDaemon = true } }

private fun onThread(block: () -> Unit): CompletableFuture<Unit> = CompletableFuture.supplyAsync({ block() }, threads)

private fun suspending(block: suspend () -> Unit): CompletableFuture<Unit> = GoRuntime.scope.future { block() }

/**
 * What [outcome] failed with (`null`: it succeeded). A future failed with a
 * `CancellationException`, as a context's error is, throws it from `get` unwrapped.
 */
private fun failureOf(outcome: CompletableFuture<*>): Throwable? =
    try {
        outcome.get(10, TimeUnit.SECONDS)
        null
    } catch (e: ExecutionException) {
        e.cause
    } catch (e: java.util.concurrent.CancellationException) {
        e
    }

/**
 * Calls [attempt] with the try's number and a fresh context, at least once and until [budget]
 * of wall time has passed, alternating Conduit's own contexts and [ForeignContext]s.
 */
private fun repeatFor(budget: kotlin.time.Duration, enough: () -> Boolean = { true }, attempt: (Int, CancelContext) -> Unit) {
    val end = System.nanoTime() + budget.inWholeNanoseconds
    val giveUp = end + 60.seconds.inWholeNanoseconds
    var tries = 0
    do {
        val own = Context.background().withCancel()
        attempt(tries, if (tries % 2 == 0) own else ForeignContext(own))
        tries++
    } while (System.nanoTime().let { now -> now < end || (!enough() && now < giveUp) })
}

/** Runs [make]'s race for [budget] of wall time. */
private fun repeatRace(name: String, budget: kotlin.time.Duration, make: () -> Race) {
    repeatFor(budget) { tries, ctx ->
        val race = make()
        val outcome = race.start(ctx)
        while (!race.queued()) {
            check(!outcome.isDone) { "$name: the waiter ended before it queued: ${runCatching { outcome.get() }}" }
            Thread.onSpinWait()
        }
        ctx.cancel()
        race.grant()
        val error = failureOf(outcome)
        withClue("$name, try $tries (${ctx::class.simpleName}): the context was cancelled before the grant, so the waiter must fail with its error") {
            error.shouldBeInstanceOf<ContextCanceledException>()
        }
        race.holdsNothing()
    }
}

class ContextFirstStressTest : FunSpec({
    val budget = if (stressRun) 10.seconds else 600.milliseconds

    fun semaphoreRace(start: (Semaphore, CancelContext) -> CompletableFuture<*>): () -> Race = {
        val sem = Semaphore(2)
        check(sem.tryAcquire(2))
        Race(
            start = { ctx -> start(sem, ctx) },
            queued = { sem.waiting == 1 },
            grant = { sem.release(2) },
            holdsNothing = { withClue("the permits went back") { sem.available shouldBe 2 } },
        )
    }

    test("Semaphore.acquire(ctx, n)") {
        repeatRace("acquire", budget, semaphoreRace { sem, ctx -> suspending { sem.acquire(ctx, 2) } })
    }

    test("Semaphore.acquireBlocking(ctx, n)") {
        repeatRace("acquireBlocking", budget, semaphoreRace { sem, ctx -> onThread { sem.acquireBlocking(ctx, 2) } })
    }

    test("Semaphore.acquireFuture(ctx, n)") {
        repeatRace("acquireFuture", budget, semaphoreRace { sem, ctx -> onThread { }.thenCompose { sem.acquireFuture(ctx, 2) } })
    }

    fun mutexRace(start: (Mutex, CancelContext) -> CompletableFuture<*>): () -> Race = {
        val mu = Mutex()
        check(mu.tryLock())
        Race(
            start = { ctx -> start(mu, ctx) },
            queued = { mu.waiting == 1 },
            grant = { mu.unlock() },
            holdsNothing = { withClue("the lock went back") { mu.tryLock() shouldBe true } },
        )
    }

    test("Mutex.lock(ctx)") {
        repeatRace("lock", budget, mutexRace { mu, ctx -> suspending { mu.lock(ctx) } })
    }

    test("Mutex.lockBlocking(ctx)") {
        repeatRace("lockBlocking", budget, mutexRace { mu, ctx -> onThread { mu.lockBlocking(ctx) } })
    }

    test("RWMutex.lock(ctx) and rLock(ctx), through the semaphore") {
        repeatRace("RWMutex", budget) {
            val rw = RWMutex()
            check(rw.tryLock())
            Race(
                start = { ctx -> suspending { rw.rLock(ctx) } },
                queued = { rw.waiting == 1 },
                grant = { rw.unlock() },
                holdsNothing = { withClue("no read lock is held") { rw.tryLock() shouldBe true } },
            )
        }
    }

    fun condRace(await: (Cond, CancelContext) -> Unit): () -> Race = {
        val mu = Mutex()
        val cond = Cond(mu)
        Race(
            start = { ctx -> onThread { mu.lockBlocking(); try { await(cond, ctx) } finally { mu.unlock() } } },
            queued = { cond.waiting == 1 },
            grant = { cond.signal() },
            holdsNothing = { withClue("the mutex is free") { mu.tryLock() shouldBe true } },
        )
    }

    test("Cond.await(ctx)") {
        repeatRace("Cond.await", budget, condRace { cond, ctx -> runBlocking { cond.await(ctx) } })
    }

    test("Cond.awaitBlocking(ctx)") {
        repeatRace("Cond.awaitBlocking", budget, condRace { cond, ctx -> cond.awaitBlocking(ctx) })
    }

    test("Barrier.await(ctx): a round that trips as the context is cancelled is passed by all, else broken for all") {
        // Both ways must happen: the last arrival before the first's withdrawal, and after it.
        val race = RaceBalance("the last arrival against the cancelled first arrival's withdrawal")
        repeatFor(budget, enough = { race.bothWon }) { tries, ctx ->
            val barrier = Barrier(2)
            val first = suspending { barrier.await(ctx) }
            while (barrier.waiting != 1) Thread.onSpinWait()
            ctx.cancel()
            race.hold()
            val last = runCatching { barrier.awaitBlocking() }
            val firstFailure = failureOf(first)
            race.record(releasedSideWon = last.isFailure)
            if (last.isSuccess) {
                withClue("try $tries: the last arrival tripped the barrier, so the first passed it too") { firstFailure shouldBe null }
            } else {
                withClue("try $tries: the last arrival found the round broken") {
                    last.exceptionOrNull().shouldBeInstanceOf<BrokenBarrierException>()
                }
                withClue("try $tries: the first gave up and broke the round") { firstFailure.shouldBeInstanceOf<ContextCanceledException>() }
            }
        }
        race.requireBothWon()
    }
})
