package dev.conduit.java.sync;

import dev.conduit.context.Context;
import dev.conduit.java.internal.SuspendCalls;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A condition variable, Go's {@code sync.Cond}, on a channel-built {@link Mutex}, for Java:
 * threads (and coroutines) wait on it for a condition about state the mutex guards, and
 * whoever changes the state signals. The Java view of the core {@link dev.conduit.sync.Cond}:
 * {@link #wrap} and {@link #unwrap} share one condition between Java and Kotlin code.
 *
 * <p>{@code await} queues the caller and only then releases the mutex, so a signal sent right
 * after the release finds it (no lost wake-up); it takes the mutex again before it returns or
 * throws, whatever ends the wait. Signals go to waiters in the order they started waiting. As
 * with {@link Object#wait()}, re-check the condition in a loop.
 *
 * <pre>{@code
 * Mutex mu = Mutex.create();
 * Cond notEmpty = Cond.create(mu);
 * mu.withLock(() -> {
 *     while (queue.isEmpty()) notEmpty.await();
 *     handle(queue.removeFirst());
 * });
 * }</pre>
 *
 * <p>Thread-safe. The {@code await} forms block; {@link #signal()} and {@link #broadcast()}
 * never block and need not hold the mutex.
 */
public final class Cond {
    private final dev.conduit.sync.Cond core;

    private Cond(dev.conduit.sync.Cond core) {
        this.core = core;
    }

    /**
     * A new condition on {@code mutex}, the lock {@code await} releases while it waits. Never
     * blocks.
     *
     * @param mutex the lock {@code await} releases while it waits
     * @return a new condition with no waiters
     * @throws NullPointerException if {@code mutex} is null
     */
    public static Cond create(Mutex mutex) {
        Objects.requireNonNull(mutex, "mutex");
        return new Cond(new dev.conduit.sync.Cond(mutex.unwrap()));
    }

    /**
     * The Java view of {@code core}: the same condition, not a copy. Never blocks.
     *
     * @param core the core condition to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static Cond wrap(dev.conduit.sync.Cond core) {
        return new Cond(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core condition behind this one, for Kotlin code. Never blocks.
     *
     * @return the core condition behind this one
     */
    public dev.conduit.sync.Cond unwrap() {
        return core;
    }

    /**
     * The mutex {@code await} releases while waiting (a view of the same lock). Never blocks.
     *
     * @return a view of the mutex {@code await} releases while waiting
     */
    public Mutex mutex() {
        return Mutex.wrap(core.getMutex());
    }

    /**
     * Releases the mutex, blocks until signalled, and takes the mutex again. The caller must
     * hold the mutex.
     *
     * @throws IllegalStateException if the mutex is not held (nothing waits then)
     * @throws InterruptedException if interrupted before a signal; the mutex is held again then
     *     (interrupted at the moment of a signal, it returns normally with the interrupt status
     *     set)
     */
    public void await() throws InterruptedException {
        core.awaitBlocking(null, Long.MAX_VALUE);
    }

    /**
     * Releases the mutex, blocks until signalled or {@code ctx} is done, and takes the mutex
     * again. The caller must hold the mutex.
     *
     * @param ctx the context whose end gives up the wait
     * @throws NullPointerException if {@code ctx} is null
     * @throws IllegalStateException if the mutex is not held (nothing waits then)
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done before a signal; the mutex is held again then
     * @throws InterruptedException if interrupted before a signal; the mutex is held again then
     */
    public void await(Context ctx) throws InterruptedException {
        core.awaitBlocking(Objects.requireNonNull(ctx, "ctx"), Long.MAX_VALUE);
    }

    /**
     * Releases the mutex, blocks until signalled or {@code timeout} passes (zero or negative:
     * does not wait), and takes the mutex again. The caller must hold the mutex.
     *
     * @param timeout the most time to wait for a signal; zero or negative not to wait
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the mutex is not held (nothing waits then)
     * @throws TimeoutException if {@code timeout} passed before a signal; the mutex is held
     *     again then
     * @throws InterruptedException if interrupted before a signal; the mutex is held again then
     */
    public void await(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        if (!core.awaitBlocking(null, SuspendCalls.nanos(timeout))) {
            throw new TimeoutException("no signal within " + timeout);
        }
    }

    /** Wakes the longest-waiting thread or coroutine, if any. Never blocks. */
    public void signal() {
        core.signal();
    }

    /** Wakes every thread and coroutine waiting now (not those that start after). Never blocks. */
    public void broadcast() {
        core.broadcast();
    }

    /** The condition and its mutex. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
