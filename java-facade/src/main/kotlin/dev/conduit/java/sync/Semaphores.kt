package dev.conduit.java.sync

import dev.conduit.context.Context
import dev.conduit.sync.Semaphore
import java.time.Duration
import java.util.concurrent.CompletableFuture
import dev.conduit.java.internal.nanosOf

/**
 * Blocking and `CompletableFuture` acquires on a [Semaphore] for Java. The semaphore itself is
 * made and used as it is: `new Semaphore(3)`, `sem.tryAcquire(1)`, `sem.release(1)`.
 *
 * Blocking calls park the calling (virtual) thread in the semaphore's own queue. An acquire
 * that throws `InterruptedException` holds no permit; one interrupted at the very moment its
 * permits were granted returns normally holding them, with the interrupt status set again.
 */
public object Semaphores {
    /**
     * Blocks until [n] permits are granted, in arrival order, or [ctx] is done.
     *
     * @throws IllegalArgumentException if [n] is not in `1..capacity`
     * @throws dev.conduit.context.ContextException `ctx.getErr()` if [ctx] is done first
     * @throws InterruptedException if interrupted first; no permit is held
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun acquire(sem: Semaphore, ctx: Context = Context.background(), n: Long = 1) {
        sem.acquireBlocking(ctx, n)
    }

    /**
     * Blocks until [n] permits are granted or [timeout] passes.
     *
     * @return true if the permits are held, false if the timeout passed first (none held)
     * @throws IllegalArgumentException if [n] is not in `1..capacity`
     * @throws InterruptedException if interrupted first; no permit is held
     */
    @JvmStatic
    @JvmOverloads
    @Throws(InterruptedException::class)
    public fun tryAcquire(sem: Semaphore, timeout: Duration, n: Long = 1): Boolean =
        sem.acquireBlocking(null, n, nanosOf(timeout))

    /**
     * Acquires without blocking: the future completes once [n] permits are held, or
     * exceptionally as [acquire] would throw. Cancelling the future withdraws the request; if the
     * permits were already granted, cancel returns false and they are held.
     */
    @JvmStatic
    @JvmOverloads
    public fun acquireAsync(sem: Semaphore, ctx: Context = Context.background(), n: Long = 1): CompletableFuture<Void?> =
        sem.acquireFuture(ctx, n)
}
