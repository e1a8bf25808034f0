/**
 * Resilience for Java: the token-bucket {@link dev.conduit.java.resilience.RateLimiter} and
 * its {@link dev.conduit.java.resilience.Reservation}s, views of the core
 * {@code dev.conduit.resilience} objects ({@code wrap(core)} / {@code unwrap()}). Blocking calls
 * park the calling (virtual) thread and give their tokens back when interrupted; {@code
 * ...Async} calls return a {@code CompletableFuture} whose cancellation does the same.
 * Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.resilience;

import org.jspecify.annotations.NullMarked;
