package dev.conduit.java.resilience

import dev.conduit.context.Context
import dev.conduit.java.internal.Bridge
import dev.conduit.resilience.RateLimiter
import java.util.concurrent.CompletableFuture

/**
 * Blocking and `CompletableFuture` waits on a [RateLimiter] for Java. The limiter itself is
 * made and used as it is: `RateLimiter(100.0, 10)`, `limiter.allow()`, `limiter.reserve()`.
 *
 * Blocking calls park the calling (virtual) thread; an interrupt cancels the wait and gives its
 * tokens back, as cancelling an async wait's future does.
 */
public object RateLimiters {
    /**
     * Blocks until one token is due.
     *
     * @throws InterruptedException if interrupted first; no token is taken
     * @throws IllegalStateException if the limiter is or becomes closed, or its rate is 0 and
     *   the token would never come due
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun await(limiter: RateLimiter) {
        awaitN(limiter, Context.background(), 1)
    }

    /**
     * Blocks until one token is due or [ctx] is done.
     *
     * @throws dev.conduit.context.ContextException `ctx.getErr()` if [ctx] is done first, or
     *   `DeadlineExceededException` at once if the token would come due after its deadline
     * @throws InterruptedException if interrupted first; no token is taken
     * @throws IllegalStateException if the limiter is or becomes closed
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun await(limiter: RateLimiter, ctx: Context) {
        awaitN(limiter, ctx, 1)
    }

    /**
     * Blocks until [n] tokens are due or [ctx] is done; see [RateLimiter.waitN].
     *
     * @throws IllegalArgumentException if [n] is not positive or exceeds the burst
     * @throws InterruptedException if interrupted first; no token is taken
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun awaitN(limiter: RateLimiter, ctx: Context, n: Int) {
        Bridge.callBlocking { limiter.waitN(ctx, n) }
    }

    /**
     * Waits for one token without blocking: the future completes when it is due, or
     * exceptionally as [await] would throw. Cancelling the future cancels the wait and gives the
     * token back.
     */
    @JvmStatic
    public fun awaitAsync(limiter: RateLimiter, ctx: Context): CompletableFuture<Void?> =
        Bridge.call { limiter.waitN(ctx, 1); null }
}
