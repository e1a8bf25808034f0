package dev.conduit.java.sync;

import dev.conduit.java.internal.SuspendCalls;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Go's {@code sync.OnceValue} for Java: a value computed once, on the first {@link #get()},
 * and returned to every caller after; callers that arrive while it is computed wait. The Java
 * view of the core {@link dev.conduit.sync.OnceValue}: {@link #wrap} and {@link #unwrap} share
 * one value between Java and Kotlin code.
 *
 * <p>If the computation throws, every {@code get} throws that same exception (a checked one
 * wrapped in a {@link TaskFailedException}). A computation cut short because its caller was
 * interrupted (or its future cancelled) is not kept: its thread is interrupted and the next
 * {@code get} computes. The computation runs on a goroutine thread while its caller waits. The
 * failure kept is the very exception the computation threw (with or without kotlinx.coroutines'
 * debug mode, whose stack-trace recovery copies exceptions elsewhere).
 *
 * <pre>{@code
 * OnceValue<Config> config = OnceValue.create(() -> Config.load(path));
 * String region = config.get().region();     // loaded by the first caller only
 * }</pre>
 *
 * <p>Thread-safe. {@link #get()} blocks; {@link #getAsync()} never blocks.
 *
 * @param <T> the value's type
 */
public final class OnceValue<T> {
    private final dev.conduit.sync.OnceValue<T> core;

    private OnceValue(dev.conduit.sync.OnceValue<T> core) {
        this.core = core;
    }

    /**
     * A value that {@code compute} makes on the first {@link #get()}. Never blocks; nothing is
     * computed yet.
     *
     * @param <T> the value's type
     * @param compute makes the value, on the first {@link #get()} (and again after a computation
     *     cut short)
     * @return a new value, not computed yet
     * @throws NullPointerException if {@code compute} is null
     */
    public static <T> OnceValue<T> create(Callable<T> compute) {
        Objects.requireNonNull(compute, "compute");
        return new OnceValue<>(SuspendCalls.onceValue(compute));
    }

    /**
     * The Java view of {@code core}: the same value, not a copy. Never blocks.
     *
     * @param <T> the value's type
     * @param core the core value to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static <T> OnceValue<T> wrap(dev.conduit.sync.OnceValue<T> core) {
        return new OnceValue<>(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core value behind this one, for Kotlin code. Never blocks.
     *
     * @return the core value behind this one
     */
    public dev.conduit.sync.OnceValue<T> unwrap() {
        return core;
    }

    /**
     * The value, computing it first if no call has; blocks while it is computed.
     *
     * @return the value, computed by the first caller
     * @throws TaskFailedException if the computation threw a checked exception (its cause), on
     *     this and every later call
     * @throws RuntimeException what the computation threw, if unchecked, on this and every later
     *     call
     * @throws InterruptedException if interrupted while waiting; a computation this call was
     *     running is interrupted and not kept
     */
    public T get() throws InterruptedException {
        try {
            return SuspendCalls.get(core);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw TaskFailedException.unchecked("the computation", e);
        }
    }

    /**
     * The value without blocking: the future completes with it once it is computed, or
     * exceptionally with what the computation threw (not wrapped). Cancelling the future stops
     * waiting; a computation it was running is interrupted and not kept. Never blocks.
     *
     * @return a future that completes with the value, or exceptionally with what the computation
     *     threw
     */
    public CompletableFuture<T> getAsync() {
        return SuspendCalls.getAsync(core);
    }

    /** A fixed description; the value is not computed for it. Never blocks. */
    @Override
    public String toString() {
        return "OnceValue";
    }
}
