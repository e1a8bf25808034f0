package dev.conduit.resilience

import dev.conduit.Stoppable
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import dev.conduit.context.contextDone
import dev.conduit.context.onDone
import dev.conduit.context.withTimeout
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.util.concurrent.TimeoutException
import kotlinx.coroutines.channels.Channel as KChannel

/**
 * One [TimeoutLadder.run]: starts the attempts, and decides from the events they send (ended,
 * timed out, past the hedge bound, the caller's context done) which answer wins. The decision
 * loop is the only reader of its state; attempts and timers only send events.
 */
internal class LadderRun<T>(
    private val ladder: TimeoutLadder,
    private val ctx: Context,
    private val nextRungOn: (Throwable) -> Boolean,
    private val block: suspend (ctx: Context, attempt: Int) -> T,
) {
    private sealed class Event(val attempt: Int)
    private class Ended(attempt: Int, val value: Any?, val failure: Throwable?) : Event(attempt)
    private class Deadline(attempt: Int) : Event(attempt)
    private class Hedge(attempt: Int) : Event(attempt)
    private object CallerDone : Event(0)

    /** What the run ended with; thrown or returned after every attempt has ended. */
    private class Outcome(val value: Any?, val failure: Throwable?)

    /** One started attempt: its context, coroutine, timers; [over] once it has ended for the run. */
    private inner class Attempt(val number: Int, val scope: CoroutineScope) {
        val ctx: CancelContext = this@LadderRun.ctx.withTimeout(ladder.timeouts[number - 1])
        val job: Job = scope.launch(start = CoroutineStart.LAZY) {
            val ended = try {
                Ended(number, block(ctx, number), null)
            } catch (e: Throwable) {
                Ended(number, null, e)
            }
            events.trySend(ended)
        }
        private val registration: Stoppable = ctx.onDone { _, _, _ ->
            job.cancel()
            events.trySend(Deadline(number))
        }
        private val hedge: Stoppable? = ladder.hedgeAfter?.let { h ->
            this@LadderRun.ctx.clock.schedule(h.inWholeNanoseconds) { events.trySend(Hedge(number)) }
        }
        var over = false

        init {
            job.invokeOnCompletion {
                registration.stop()
                hedge?.stop()
                ctx.cancel()
            }
            job.start()
        }

        /** Cancels the attempt: its context and its coroutine. */
        fun cancel() {
            hedge?.stop()
            ctx.cancel()
            job.cancel()
        }

        fun timedOut(): Boolean = ctx.err?.isTimeout == true
    }

    private val events = KChannel<Event>(KChannel.UNLIMITED)

    suspend fun run(): T {
        val watch = ctx.onDone { _, _, _ -> events.trySend(CallerDone) }
        val outcome = try {
            coroutineScope { decide(this) }
        } finally {
            watch.stop()
        }
        outcome.failure?.let { if (it is ContextException && it === ctx.err) contextDone(it) else throw it }
        @Suppress("UNCHECKED_CAST")
        return outcome.value as T
    }

    /** The decision loop: returns once an attempt has won or all have failed, the others cancelled. */
    private suspend fun decide(scope: CoroutineScope): Outcome {
        val rungs = ladder.timeouts.size
        val attempts = ArrayList<Attempt>(rungs)
        val failures = arrayOfNulls<Throwable>(rungs)
        var running = 0
        fun startNext() {
            attempts.add(Attempt(attempts.size + 1, scope))
            running++
        }
        fun finish(outcome: Outcome): Outcome {
            attempts.forEach { if (!it.over) it.cancel() }
            return outcome
        }
        startNext()
        while (true) {
            val event = events.receive()
            ctx.err?.let { return finish(Outcome(null, it)) }
            val attempt = attempts.getOrNull(event.attempt - 1) ?: continue
            if (attempt.over) continue
            when (event) {
                is Hedge -> {
                    if (attempt.number == attempts.size && attempts.size < rungs) startNext()
                    continue
                }
                is Deadline -> if (!attempt.timedOut()) continue
                is Ended -> {
                    val failure = event.failure ?: return finish(Outcome(event.value, null))
                    if (!attempt.timedOut()) {
                        if (!nextRungOn(failure)) return finish(Outcome(null, failure))
                        failures[attempt.number - 1] = failure
                    }
                }
                CallerDone -> continue
            }
            attempt.over = true
            running--
            if (failures[attempt.number - 1] == null) {
                attempt.cancel()
                failures[attempt.number - 1] =
                    TimeoutException("attempt ${attempt.number} timed out after ${ladder.timeouts[attempt.number - 1]}")
            }
            if (attempt.number == attempts.size && attempts.size < rungs) {
                startNext()
            } else if (running == 0) {
                return finish(Outcome(null, LadderExhaustedException(failures.map { it!! })))
            }
        }
    }
}
