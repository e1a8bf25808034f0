/**
 * Go's {@code sync} primitives for Java, one facade type per concept: {@link
 * dev.conduit.java.sync.Semaphore}, {@link dev.conduit.java.sync.Mutex}, {@link
 * dev.conduit.java.sync.RWMutex}, {@link dev.conduit.java.sync.Cond}, {@link
 * dev.conduit.java.sync.Barrier}, {@link dev.conduit.java.sync.WaitGroup}, {@link
 * dev.conduit.java.sync.Once}, {@link dev.conduit.java.sync.OnceValue} and {@link
 * dev.conduit.java.sync.ErrGroup}. Each is made by {@code create(...)}, views a core
 * ({@code dev.conduit.sync}) object with {@code wrap(core)}, and gives it back to Kotlin code
 * with {@code unwrap()}. Blocking calls park the calling (virtual) thread and end with {@link
 * java.lang.InterruptedException} when interrupted, holding nothing; {@code ...Async} calls
 * return a {@code CompletableFuture} whose cancellation withdraws the operation; {@code try...}
 * calls never block. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.sync;

import org.jspecify.annotations.NullMarked;
