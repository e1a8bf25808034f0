/**
 * Resilience for Java, views of the core {@code dev.conduit.resilience} objects ({@code
 * wrap(core)} / {@code unwrap()}): the token-bucket {@link dev.conduit.java.resilience.RateLimiter}
 * and its {@link dev.conduit.java.resilience.Reservation}s, the
 * {@link dev.conduit.java.resilience.CircuitBreaker}, the
 * {@link dev.conduit.java.resilience.TimeoutLadder}, {@link dev.conduit.java.resilience.Retry}
 * with its shared {@link dev.conduit.java.resilience.RetryBudget}, and the
 * {@link dev.conduit.java.resilience.Bulkhead}. The decorators run a
 * {@link dev.conduit.java.resilience.CheckedCall} and rethrow the very exception it threw, so they
 * nest: {@code breaker.call(ctx, c -> ladder.run(c, (c2, attempt) -> retry.call(c2, c3 -> get(c3))))}.
 * Blocking calls park the calling (virtual) thread and give back what they hold when interrupted;
 * {@code ...Async} calls return a {@code CompletableFuture} whose cancellation does the same.
 * Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.resilience;

import org.jspecify.annotations.NullMarked;
