/**
 * Conduit for Java: goroutines ({@link dev.conduit.java.Go}). Channels, channel kinds, timers
 * and select are in {@link dev.conduit.java.chan}, pipelines and their patterns in
 * {@link dev.conduit.java.pipeline}, Go's {@code sync} primitives in
 * {@link dev.conduit.java.sync}, the rate limiter in {@link dev.conduit.java.resilience}; Go's
 * context is the core {@link dev.conduit.context.Context} itself. Each facade type mirrors the
 * Kotlin type of the same name and package below {@code dev.conduit}: {@code X.create(...)}
 * makes one, {@code X.wrap(core)} is the Java view of a Kotlin object and {@code x.unwrap()} the
 * Kotlin object behind a view. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java;

import org.jspecify.annotations.NullMarked;
