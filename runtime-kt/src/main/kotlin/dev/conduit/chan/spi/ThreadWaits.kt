package dev.conduit.chan.spi

import dev.conduit.Stoppable
import dev.conduit.context.Context
import dev.conduit.context.onDone
import dev.conduit.chan.NilChan

/**
 * Blocks the calling thread until [w] (already queued through [reg]) is decided, and returns the
 * decision: the claimed [WaitEntry], [Waiter.TIMED_OUT] once [timeoutNanos] passed
 * (`Long.MAX_VALUE`: never), or throws [Context.err] once [ctx] is done. Every withdrawal races
 * the claim for the one decision; when the claim wins, its result is returned (an interrupt that
 * lost is kept as the thread's interrupt status).
 *
 * @throws InterruptedException if interrupted before any claim; [w] is then withdrawn.
 */
internal fun awaitThread(w: ThreadWaiter, reg: Registration, timeoutNanos: Long, ctx: Context?): Any? {
    val hasDeadline = timeoutNanos != Long.MAX_VALUE
    if (BlockedWaits.ON) {
        w.timed = hasDeadline || ctx?.deadline != null
        BlockedWaits.blocked(w, w.source ?: reg)
    }
    val deadline = if (hasDeadline) System.nanoTime() + timeoutNanos else 0L
    var abort: Stoppable? = null
    if (ctx != null && ctx.done !== NilChan) {
        abort = ctx.onDone { _, _, _ -> if (reg.withdraw(w, Waiter.ABORTED)) w.withdrawn() }
    }
    var interruptedLate = false
    try {
        while (true) {
            val s = w.await(hasDeadline, deadline, (w.source as? ChannelSource)?.spinsOrZero() ?: 0)
            when {
                s === ThreadWaiter.INTERRUPTED ->
                    if (reg.withdraw(w, Waiter.CANCELLED)) throw InterruptedException() else interruptedLate = true
                s === ThreadWaiter.DEADLINE ->
                    if (reg.withdraw(w, Waiter.TIMED_OUT)) return Waiter.TIMED_OUT
                s === Waiter.ABORTED -> throw ctx!!.err!!
                else -> return s
            }
        }
    } finally {
        abort?.stop()
        if (interruptedLate) Thread.currentThread().interrupt()
    }
}
