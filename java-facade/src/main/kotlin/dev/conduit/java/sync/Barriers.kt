package dev.conduit.java.sync

import dev.conduit.context.Context
import dev.conduit.java.internal.Bridge
import dev.conduit.java.internal.nanosOf
import dev.conduit.sync.Barrier
import java.time.Duration
import java.util.concurrent.BrokenBarrierException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeoutException

/**
 * Blocking and `CompletableFuture` waits on the channel-built cyclic [Barrier] for Java:
 * `new Barrier(parties, action)`, `barrier.reset()`, `barrier.isBroken()`, and [await].
 *
 * As with `CyclicBarrier`, a waiter that is interrupted, times out or whose context is done
 * breaks the barrier for every other waiter of the round.
 */
public object Barriers {
    /**
     * Arrives and blocks until all parties have arrived or [ctx] is done.
     *
     * @return the arrival index: `parties - 1` for the first, `0` for the last
     * @throws BrokenBarrierException if the barrier is or becomes broken
     * @throws dev.conduit.context.ContextException `ctx.getErr()` if [ctx] is done first (the
     *   barrier is then broken)
     * @throws InterruptedException if interrupted first (the barrier is then broken)
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class, BrokenBarrierException::class)
    public fun await(barrier: Barrier, ctx: Context = Context.background()): Int =
        barrier.awaitBlocking(ctx)

    /**
     * Arrives and blocks until all parties have arrived or [timeout] passes, as
     * `CyclicBarrier.await(timeout, unit)`.
     *
     * @throws TimeoutException if [timeout] passes first (the barrier is then broken)
     * @throws BrokenBarrierException if the barrier is or becomes broken
     * @throws InterruptedException if interrupted first (the barrier is then broken)
     */
    @JvmStatic
    @Throws(InterruptedException::class, BrokenBarrierException::class, TimeoutException::class)
    public fun await(barrier: Barrier, timeout: Duration): Int =
        try {
            barrier.awaitBlocking(null, nanosOf(timeout))
        } catch (e: TimeoutException) {
            throw TimeoutException("barrier of ${barrier.parties} parties not complete within $timeout")
        }

    /**
     * Arrives without blocking: the future completes with the arrival index once all parties
     * have arrived, or exceptionally as [await] would throw. Cancelling the future withdraws the
     * arrival, which breaks the barrier for the round.
     */
    @JvmStatic
    @JvmOverloads
    public fun awaitAsync(barrier: Barrier, ctx: Context = Context.background()): CompletableFuture<Int> =
        Bridge.call { barrier.await(ctx) }
}
