/**
 * The worker pool for Java: {@link dev.conduit.java.pool.WorkerPool} runs {@link
 * dev.conduit.java.pool.Job}s on a self-scaling set of workers by priority, with shedding,
 * reserved slots, timeouts, hang and crash recovery and capability routing, as the core {@code
 * dev.conduit.pool.WorkerPool} it views. Its settings are the core's {@link
 * dev.conduit.pool.WorkerPoolConfig} (a plain-Java builder with {@code java.time.Duration}
 * setters). {@code submit} blocks while the queue is full and ends with {@link
 * java.lang.InterruptedException} when interrupted, submitting nothing; {@code try...} calls
 * never block; each job's result is a {@code CompletableFuture} whose cancellation cancels the
 * job. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.conduit.java.pool;

import org.jspecify.annotations.NullMarked;
