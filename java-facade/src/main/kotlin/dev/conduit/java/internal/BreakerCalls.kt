package dev.conduit.java.internal

import dev.conduit.context.Context
import dev.conduit.java.resilience.CheckedCall
import dev.conduit.resilience.CircuitBreaker
import java.util.concurrent.CompletableFuture

/**
 * The circuit breaker's future form for [dev.conduit.java.resilience.CircuitBreaker], which cannot
 * pass a suspend lambda: the core's [CircuitBreaker.call] through [Bridge.call], running the Java
 * [CheckedCall] on a goroutine thread ([callOnGoThread]), so cancelling the future interrupts it
 * and gives its permission back, and what it throws fails the future as it was thrown.
 */
internal object BreakerCalls {
    /** [CircuitBreaker.call] of [call] under [ctx], as a future. Never blocks. */
    @JvmStatic
    fun <T> callAsync(breaker: CircuitBreaker, ctx: Context, call: CheckedCall<T, *>): CompletableFuture<T> =
        Bridge.call { breaker.call(ctx) { c -> callOnGoThread { call.call(c) } } }
}
