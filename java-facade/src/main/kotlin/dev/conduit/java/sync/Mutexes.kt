package dev.conduit.java.sync

import dev.conduit.context.Context
import dev.conduit.java.Go
import dev.conduit.sync.Mutex

/**
 * Blocking locks on the channel-built [Mutex] for Java. The mutex itself is used as it is:
 * `new Mutex()`, `mu.tryLock()`, `mu.unlock()`.
 */
public object Mutexes {
    /**
     * Blocks until the lock is taken, in arrival order, or [ctx] is done.
     *
     * @throws dev.conduit.context.ContextException `ctx.getErr()` if [ctx] is done first
     * @throws InterruptedException if interrupted first; the lock is then not held (one
     *   interrupted at the very moment it got the lock returns holding it, interrupt status set)
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun lock(mu: Mutex, ctx: Context = Context.background()) {
        mu.lockBlocking(ctx)
    }

    /**
     * Runs [task] holding the lock and releases it however [task] ends.
     *
     * @throws Exception what [task] throws
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    @JvmStatic
    @Throws(Exception::class)
    public fun withLock(mu: Mutex, task: Go.Task) {
        lock(mu)
        try {
            task.run()
        } finally {
            mu.unlock()
        }
    }
}
