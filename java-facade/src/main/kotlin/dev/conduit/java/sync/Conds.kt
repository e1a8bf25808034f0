package dev.conduit.java.sync

import dev.conduit.context.Context
import dev.conduit.sync.Cond

/**
 * Blocking waits on the channel-built [Cond] for Java: `new Cond(mutex)`, `cond.signal()`,
 * `cond.broadcast()`, and [await] while holding the mutex (taken with [Mutexes.lock]).
 */
public object Conds {
    /**
     * Releases the cond's mutex, blocks until signalled or [ctx] is done, and takes the mutex
     * again before returning or throwing. The caller must hold the mutex; re-check the
     * condition in a loop, as with `Object.wait`.
     *
     * @throws IllegalStateException if the mutex is not held
     * @throws dev.conduit.context.ContextException `ctx.getErr()` if [ctx] is done first
     * @throws InterruptedException if interrupted first; the mutex is held again then
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun await(cond: Cond, ctx: Context = Context.background()) {
        cond.awaitBlocking(ctx)
    }
}
