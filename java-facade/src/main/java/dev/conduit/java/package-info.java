/**
 * Conduit for Java: goroutines ({@link dev.conduit.java.Go}). Channels and select are in
 * {@link dev.conduit.java.chan}, Go's context in {@link dev.conduit.java.context}, Go's
 * {@code sync} primitives in {@link dev.conduit.java.sync}, the rate limiter in
 * {@link dev.conduit.java.resilience}. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java;

import org.jspecify.annotations.NullMarked;
