package dev.conduit.sync

import dev.conduit.chan.Chan
import dev.conduit.chan.chan
import dev.conduit.chan.select
import dev.conduit.context.Context
import java.util.concurrent.BrokenBarrierException
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference

/**
 * A cyclic barrier for [parties] coroutines, built from channels: each round ("generation")
 * has a channel that is closed when the round ends, and every waiter of the round waits on it.
 *
 * When the last of [parties] arrives, [action] runs (in the last arrival's coroutine), the
 * round's waiters are released together and the barrier resets for the next round. If a
 * waiter gives up (its context is done or its coroutine is cancelled) before the round is
 * complete, the barrier is **broken for everyone**: every waiter of that round and every later
 * [await] fails with [BrokenBarrierException] until [reset]. The same happens if [action]
 * throws. These are `java.util.concurrent.CyclicBarrier`'s rules.
 *
 * ```
 * val barrier = Barrier(3)
 * repeat(3) { i -> go { computePhase(i); barrier.await() } }
 * ```
 *
 * Thread-safe. [await] suspends; [reset], [isBroken] and [waiting] never block.
 *
 * @throws IllegalArgumentException if [parties] is not positive.
 */
public class Barrier @JvmOverloads constructor(
    /** How many [await] calls complete one round. */
    public val parties: Int,
    private val action: Runnable? = null,
) {
    init {
        require(parties > 0) { "parties must be > 0, but was $parties" }
    }

    private val current = AtomicReference(Round())

    /** One round: arrivals are counted; [ended] closes when [outcome] leaves OPEN. */
    private class Round {
        val arrived = AtomicInteger()
        val outcome = AtomicInteger(OPEN)
        val ended: Chan<Unit> = chan(0)

        /** Moves OPEN to [to] and wakes the round's waiters; false if it had already ended. */
        fun end(to: Int): Boolean {
            if (!outcome.compareAndSet(OPEN, to)) return false
            ended.close()
            return true
        }
    }

    /** Whether the barrier is broken (until [reset]). Never blocks. */
    public val isBroken: Boolean get() = current.get().outcome.get() == BROKEN

    /** How many parties are waiting in the current round. Never blocks. */
    public val waiting: Int get() = current.get().let { if (it.outcome.get() == OPEN) it.arrived.get() else 0 }

    /**
     * Arrives at the barrier and suspends until all [parties] have arrived or [ctx] is done.
     *
     * @return the arrival index: `parties - 1` for the first to arrive, `0` for the last (the
     *   one that ran [action]), as in `CyclicBarrier.await`.
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first; the
     *   barrier is then broken for the others.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled first; the
     *   barrier is then broken for the others.
     * @throws Throwable what [action] throws, in the last arrival; the barrier is then broken.
     */
    public suspend fun await(ctx: Context = Context.background()): Int {
        ctx.err?.let { throw it }
        while (true) {
            val round = current.get()
            if (round.outcome.get() == BROKEN) throw broken()
            val n = round.arrived.incrementAndGet()
            when {
                n > parties -> awaitEnd(round, ctx) // a full round is ending: join the next one
                n == parties -> return trip(round)
                else -> return wait(round, ctx, parties - n)
            }
        }
    }

    /** The last arrival: runs the action, opens the next round and releases this one. */
    private fun trip(round: Round): Int {
        try {
            action?.run()
        } catch (e: Throwable) {
            round.end(BROKEN)
            throw e
        }
        current.set(Round())
        if (!round.end(TRIPPED)) throw broken() // reset() broke it while the action ran
        return 0
    }

    /** Waits, without taking part, for [round] to end; fails if [ctx] is done first. */
    private suspend fun awaitEnd(round: Round, ctx: Context) {
        val ended = select<Boolean> {
            round.ended.onReceiveOk { true }
            ctx.done.onReceiveOk { false }
        }
        if (!ended) throw ctx.err!!
    }

    private suspend fun wait(round: Round, ctx: Context, index: Int): Int {
        try {
            select<Unit> {
                round.ended.onReceiveOk { }
                ctx.done.onReceiveOk { }
            }
        } catch (e: Throwable) {
            if (round.end(BROKEN) || round.outcome.get() == BROKEN) throw e
            return index // the round completed as we were cancelled: we did pass the barrier
        }
        if (round.end(BROKEN)) throw ctx.err!! // ctx was done first
        if (round.outcome.get() == BROKEN) throw broken()
        return index
    }

    /**
     * Breaks the current round (its waiters fail with [BrokenBarrierException]) and starts a
     * fresh one. Never blocks.
     */
    public fun reset() {
        val round = current.get()
        round.end(BROKEN)
        current.compareAndSet(round, Round())
    }

    private fun broken() = BrokenBarrierException("barrier of $parties parties is broken")

    override fun toString(): String = "Barrier(parties=$parties, waiting=$waiting, broken=$isBroken)"

    private companion object {
        const val OPEN = 0
        const val TRIPPED = 1
        const val BROKEN = 2
    }
}
