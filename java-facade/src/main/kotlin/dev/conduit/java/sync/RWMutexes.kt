package dev.conduit.java.sync

import dev.conduit.context.Context
import dev.conduit.java.Go
import dev.conduit.sync.RWMutex

/**
 * Blocking read and write locks on the channel-built [RWMutex] for Java. The lock itself is
 * used as it is: `new RWMutex()`, `rw.tryLock()`, `rw.unlock()`, `rw.tryRLock()`, `rw.rUnlock()`.
 *
 * A waiting writer holds back readers that arrive after it, so writers are not starved.
 */
public object RWMutexes {
    /**
     * Blocks until the write lock is held, in arrival order, or [ctx] is done.
     *
     * @throws dev.conduit.context.ContextException `ctx.getErr()` if [ctx] is done first
     * @throws InterruptedException if interrupted first; the lock is then not held
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun lock(rw: RWMutex, ctx: Context = Context.background()) {
        rw.lockBlocking(ctx)
    }

    /**
     * Blocks until a read lock is held or [ctx] is done; waits while a writer holds or waits.
     *
     * @throws dev.conduit.context.ContextException `ctx.getErr()` if [ctx] is done first
     * @throws InterruptedException if interrupted first; the lock is then not held
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun rLock(rw: RWMutex, ctx: Context = Context.background()) {
        rw.rLockBlocking(ctx)
    }

    /**
     * Runs [task] holding the write lock (blocking until it is held) and releases it however
     * [task] ends.
     *
     * @throws Exception what [task] throws
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    @JvmStatic
    @Throws(Exception::class)
    public fun withLock(rw: RWMutex, task: Go.Task) {
        lock(rw)
        try {
            task.run()
        } finally {
            rw.unlock()
        }
    }

    /**
     * Runs [task] holding a read lock (blocking until it is held) and releases it however
     * [task] ends.
     *
     * @throws Exception what [task] throws
     * @throws InterruptedException if interrupted while waiting for the lock
     */
    @JvmStatic
    @Throws(Exception::class)
    public fun withRLock(rw: RWMutex, task: Go.Task) {
        rLock(rw)
        try {
            task.run()
        } finally {
            rw.rUnlock()
        }
    }
}
