/**
 * Go channels and select for Java: {@link dev.conduit.java.chan.Channel} (and its sides
 * {@link dev.conduit.java.chan.SendChannel}, {@link dev.conduit.java.chan.ReceiveChannel}), the
 * channel kinds {@link dev.conduit.java.chan.PriorityChannel},
 * {@link dev.conduit.java.chan.ShardedChannel} and {@link dev.conduit.java.chan.BatchChannel},
 * timers ({@link dev.conduit.java.chan.ReceiveChannel#after}, {@link dev.conduit.java.chan.Ticker})
 * and {@link dev.conduit.java.chan.Select}. Blocking calls park the calling (virtual) thread,
 * {@code CompletableFuture} calls withdraw the operation when cancelled, and {@code wrap} /
 * {@code unwrap} cross to the Kotlin channels of {@code dev.conduit.chan}: the same channel,
 * shared between Java and Kotlin code. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.chan;

import org.jspecify.annotations.NullMarked;
