/**
 * Go channels and select for Java: blocking calls that park the calling (virtual) thread,
 * {@code CompletableFuture} calls whose cancellation withdraws the operation, and views that
 * share one channel between Java and Kotlin code. Everything is non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.chan;

import org.jspecify.annotations.NullMarked;
