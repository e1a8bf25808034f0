package dev.conduit.sync

import dev.conduit.chan.ChanImpl
import dev.conduit.chan.spi.BlockedWaits
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.WaitPurpose
import dev.conduit.chan.spi.diagnosticName
import dev.conduit.context.Context
import dev.conduit.context.contextDone
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
 * A round that trips at the moment a waiter's context becomes done (the context cancelled just
 * before the last arrival, the waiter not yet gone) counts as passed by everyone, that waiter
 * included: it returns its index rather than the context's error. Unlike a lock or permits, a
 * trip cannot be handed back (the action ran and the others went on), so [Mutex]'s "the context
 * done first wins" rule cannot apply; what holds is that every waiter of a round sees the same
 * outcome, all passed or all broken.
 *
 * ```
 * val barrier = Barrier(3)
 * repeat(3) { i -> go { computePhase(i); barrier.await() } }
 * ```
 *
 * Thread-safe. [await] suspends; [awaitBlocking] blocks the calling thread; [reset],
 * [isBroken] and [waiting] never block.
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

    /**
     * One round. Its fate is decided on [arrived] alone: the arrival that makes it [parties]
     * trips it, and a waiter giving up or [reset] can break it only while it is not full (one
     * CAS to [BROKE]), so a full round is passed by everyone unless its action throws. [ended]
     * closes when [outcome] leaves OPEN, after the action.
     */
    private inner class Round {
        val arrived = AtomicInteger()
        val outcome = AtomicInteger(OPEN)
        val ended = ChanImpl<Unit>(0).also {
            if (BlockedWaits.ON) BlockedWaits.name(it, WaitPurpose("", "await on " + diagnosticName("Barrier", this@Barrier)))
        }

        /** Joins: the arrival number (1 to [parties]), or [ARRIVAL_FULL] or [ARRIVAL_BROKEN]. */
        fun arrive(): Int {
            while (true) {
                val k = arrived.get()
                if (k == BROKE) return ARRIVAL_BROKEN
                if (k >= parties) return if (outcome.get() == BROKEN) ARRIVAL_BROKEN else ARRIVAL_FULL
                if (arrived.compareAndSet(k, k + 1)) return k + 1
            }
        }

        /** Breaks the round unless it is full: [BROKE_NOW], [WAS_BROKEN] or [ARRIVAL_FULL]. */
        fun breakUnlessFull(): Int {
            while (true) {
                val k = arrived.get()
                if (k == BROKE) return WAS_BROKEN
                if (k >= parties) return if (outcome.get() == BROKEN) WAS_BROKEN else ARRIVAL_FULL
                if (arrived.compareAndSet(k, BROKE)) {
                    end(BROKEN)
                    return BROKE_NOW
                }
            }
        }

        val isBroken: Boolean get() = arrived.get() == BROKE || outcome.get() == BROKEN

        /** Moves OPEN to [to] and wakes the round's waiters; false if it had already ended. */
        fun end(to: Int): Boolean {
            if (!outcome.compareAndSet(OPEN, to)) return false
            ended.close()
            return true
        }
    }

    /** Whether the barrier is broken (until [reset]). Never blocks. */
    public val isBroken: Boolean
        get() {
            while (true) {
                val round = current.get()
                if (!round.isBroken) return false // it was current, and not broken then either
                if (current.get() === round) return true // else a reset replaced it: ask the new one
            }
        }

    /**
     * How many parties are waiting in the current round: 0 once it is broken or full (a full
     * round has tripped, though its action may still run). Never blocks.
     */
    public val waiting: Int
        get() {
            while (true) {
                val round = current.get()
                val k = round.arrived.get()
                if (current.get() === round) return if (k in 1 until parties) k else 0 // else read the round that replaced it
            }
        }

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
        ctx.err?.let { contextDone(it) }
        while (true) {
            val round = current.get()
            when (val n = round.arrive()) {
                ARRIVAL_BROKEN -> if (current.get() === round) throw broken() // else reset replaced it: join the new one
                ARRIVAL_FULL -> awaitEnd(round, ctx) // a full round is ending: join the next one
                parties -> return trip(round)
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
        current.compareAndSet(round, Round()) // unless reset() has put a fresh round there already
        round.end(TRIPPED)
        return 0
    }

    /** Waits, without taking part, for [round] to end; fails if [ctx] is done first. */
    private suspend fun awaitEnd(round: Round, ctx: Context) {
        round.ended.suspending(false, null, ctx)
    }

    /**
     * Waits in [round] until it ends ([Round.ended] closes) or [ctx] is done. Giving up
     * (context, cancellation) breaks the round for everyone, unless the round completed at that
     * very moment: then this waiter did pass the barrier.
     */
    private suspend fun wait(round: Round, ctx: Context, index: Int): Int {
        try {
            round.ended.suspending(false, null, ctx)
        } catch (e: Throwable) {
            if (round.breakUnlessFull() != ARRIVAL_FULL) throw e
            return index // the round was full as we gave up: we did pass the barrier
        }
        if (round.outcome.get() == BROKEN) throw broken()
        return index
    }

    /**
     * [await] for a thread: arrives and blocks until all [parties] have arrived, [ctx] is done
     * (`null`: no context) or [timeoutNanos] passes; the thread parks on the round's channel.
     *
     * @return the arrival index, as [await].
     * @throws BrokenBarrierException if the barrier is or becomes broken while waiting.
     * @throws java.util.concurrent.TimeoutException if [timeoutNanos] passes first; the barrier
     *   is then broken for the others.
     * @throws dev.conduit.context.ContextException [Context.err] if [ctx] is done first; the
     *   barrier is then broken.
     * @throws InterruptedException if interrupted first; the barrier is then broken.
     * @throws Throwable what [action] throws, in the last arrival; the barrier is then broken.
     */
    @JvmOverloads
    @Throws(InterruptedException::class, BrokenBarrierException::class, java.util.concurrent.TimeoutException::class)
    public fun awaitBlocking(ctx: Context? = null, timeoutNanos: Long = Long.MAX_VALUE): Int {
        ctx?.err?.let { throw it }
        while (true) {
            val round = current.get()
            when (val n = round.arrive()) {
                ARRIVAL_BROKEN -> if (current.get() === round) throw broken()
                ARRIVAL_FULL -> round.ended.receiveBlocking(Long.MAX_VALUE, ctx)
                parties -> return trip(round)
                else -> return waitBlocking(round, ctx, timeoutNanos, parties - n)
            }
        }
    }

    private fun waitBlocking(round: Round, ctx: Context?, timeoutNanos: Long, index: Int): Int {
        val r = try {
            round.ended.receiveBlocking(timeoutNanos, ctx)
        } catch (e: Throwable) {
            if (round.breakUnlessFull() != ARRIVAL_FULL) throw e
            return index
        }
        if (r === Poll.NOT_READY) {
            when (round.breakUnlessFull()) {
                BROKE_NOW -> throw java.util.concurrent.TimeoutException("barrier of $parties parties not complete in time")
                WAS_BROKEN -> throw broken()
            }
            round.ended.receiveBlocking(Long.MAX_VALUE, null) // full as the timeout passed: passed once its action has run
        }
        if (round.outcome.get() == BROKEN) throw broken()
        return index
    }

    /**
     * Starts a fresh round and breaks the one it replaces (its waiters fail with
     * [BrokenBarrierException]) unless all its parties have arrived, in which case that round is
     * passed as usual. An [await] at the same moment joins one round or the other, never a
     * broken one because of the reset. Never blocks.
     */
    public fun reset() {
        while (true) {
            val round = current.get()
            // The fresh round first, so that no arrival meets a broken barrier because of a reset.
            if (current.compareAndSet(round, Round())) {
                round.breakUnlessFull()
                return
            }
        }
    }

    private fun broken() = BrokenBarrierException("barrier of $parties parties is broken")

    override fun toString(): String = "Barrier(parties=$parties, waiting=$waiting, broken=$isBroken)"

    private companion object {
        const val OPEN = 0
        const val TRIPPED = 1
        const val BROKEN = 2

        /** [Round.arrived] of a round broken before it was full. */
        const val BROKE = -1

        // What Round.arrive and Round.breakUnlessFull answer besides an arrival number.
        const val ARRIVAL_FULL = 0
        const val ARRIVAL_BROKEN = -1
        const val BROKE_NOW = -2
        const val WAS_BROKEN = -3
    }
}
