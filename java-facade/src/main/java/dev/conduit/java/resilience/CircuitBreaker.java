package dev.conduit.java.resilience;

import dev.conduit.Clock;
import dev.conduit.context.Context;
import dev.conduit.java.internal.BreakerCalls;
import dev.conduit.resilience.CallNotPermittedException;
import dev.conduit.resilience.CircuitBreakerListener;
import dev.conduit.resilience.CircuitBreakerMetrics;
import dev.conduit.resilience.CircuitBreakerState;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A circuit breaker for Java: stops calling a dependency that keeps failing (or answering
 * slowly) and tries it again after a while. The Java view of the core
 * {@link dev.conduit.resilience.CircuitBreaker}, whose documentation describes the states
 * (closed, open, half-open, forced open, disabled), the sliding windows, the backoff of the open
 * wait and the ramp-up; {@link #wrap} and {@link #unwrap} share one breaker between Java and
 * Kotlin code.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.create("inventory", CircuitBreakerConfig.builder()
 *         .slidingWindowSize(20).waitDurationInOpenState(Duration.ofSeconds(5)).build());
 * breaker.addListener(e -> log.info(e.toString()));
 * int stock = breaker.call(ctx, c -> inventory.stock(c, sku));   // throws inventory's own IOException
 * }</pre>
 *
 * <p>{@code call} runs the work on the calling thread and rethrows the very exception it threw;
 * while the breaker refuses calls it throws {@link CallNotPermittedException} instead, without
 * running the work. Callers that run the work themselves use {@link #tryAcquirePermission()}
 * and then report exactly one of {@link #onSuccess(long)}, {@link #onError(long, Throwable)},
 * {@link #onResult(long, Object)}, or {@link #releasePermission()}; outcomes go to the state
 * current when they are reported. Durations are nanoseconds (differences of
 * {@code System.nanoTime()} or of the breaker's clock), so that the closed state's path
 * allocates nothing.
 *
 * <p>Thread-safe. {@code call} blocks for as long as the work does; everything else never
 * blocks.
 */
public final class CircuitBreaker {
    private final dev.conduit.resilience.CircuitBreaker core;

    private CircuitBreaker(dev.conduit.resilience.CircuitBreaker core) {
        this.core = core;
    }

    /**
     * A new closed breaker with {@link CircuitBreakerConfig#defaults()}, on the system clock.
     * Never blocks.
     *
     * @param name the breaker's name, in its events, metrics and refusals
     * @return the new breaker
     * @throws NullPointerException if {@code name} is null
     */
    public static CircuitBreaker create(String name) {
        return create(name, CircuitBreakerConfig.defaults(), Clock.system());
    }

    /**
     * A new closed breaker with {@code config}, on the system clock. Never blocks.
     *
     * @param name the breaker's name, in its events, metrics and refusals
     * @param config its settings
     * @return the new breaker
     * @throws NullPointerException if an argument is null
     */
    public static CircuitBreaker create(String name, CircuitBreakerConfig config) {
        return create(name, config, Clock.system());
    }

    /**
     * A new closed breaker with {@code config}, timing its open waits, time-based window,
     * ramp-up and {@code call} durations on {@code clock} (a virtual clock in tests). Never
     * blocks.
     *
     * @param name the breaker's name, in its events, metrics and refusals
     * @param config its settings
     * @param clock its time source
     * @return the new breaker
     * @throws NullPointerException if an argument is null
     */
    public static CircuitBreaker create(String name, CircuitBreakerConfig config, Clock clock) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        return new CircuitBreaker(new dev.conduit.resilience.CircuitBreaker(name, config.unwrap(), clock));
    }

    /**
     * The Java view of {@code core}: the same breaker, not a copy. Never blocks.
     *
     * @param core the Kotlin breaker
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static CircuitBreaker wrap(dev.conduit.resilience.CircuitBreaker core) {
        return new CircuitBreaker(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core breaker behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin breaker this view shares
     */
    public dev.conduit.resilience.CircuitBreaker unwrap() {
        return core;
    }

    /**
     * The breaker's name. Never blocks.
     *
     * @return the name given at creation
     */
    public String name() {
        return core.getName();
    }

    /**
     * The breaker's settings. Never blocks.
     *
     * @return its config
     */
    public CircuitBreakerConfig config() {
        return CircuitBreakerConfig.wrap(core.getConfig());
    }

    /**
     * The state now ({@code OPEN} until a call attempt after the open wait makes it half-open).
     * Never blocks.
     *
     * @return the current state
     */
    public CircuitBreakerState state() {
        return core.getState();
    }

    /**
     * Runs {@code call} under {@link Context#background()}; see {@link #call(Context, CheckedCall)}.
     *
     * @param call the work
     * @param <T> the work's result
     * @param <E> the checked exception the work may throw
     * @return what the work returned
     * @throws NullPointerException if {@code call} is null
     * @throws CallNotPermittedException if the breaker refuses the call (the work does not run)
     * @throws E the work's own exception, as it threw it
     * @throws InterruptedException if the work ended with it; the permission is given back
     */
    public <T extends @Nullable Object, E extends Exception> T call(CheckedCall<T, E> call) throws E, InterruptedException {
        return call(Context.background(), call);
    }

    /**
     * Runs {@code call} under {@code ctx} on this thread if the breaker permits a call, and
     * records its outcome: a result (a failure if the config's {@code recordResult} says so), or
     * an exception, rethrown as it was thrown (a timeout as well if {@code ctx} had reached its
     * deadline). An {@link InterruptedException} is not an outcome: the permission is given back.
     * Blocks for as long as the work does.
     *
     * @param ctx the context the work runs under
     * @param call the work
     * @param <T> the work's result
     * @param <E> the checked exception the work may throw
     * @return what the work returned
     * @throws NullPointerException if an argument is null
     * @throws CallNotPermittedException if the breaker refuses the call (the work does not run)
     * @throws E the work's own exception, as it threw it
     * @throws InterruptedException if the work ended with it; the permission is given back
     */
    public <T extends @Nullable Object, E extends Exception> T call(Context ctx, CheckedCall<T, E> call) throws E, InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(call, "call");
        if (!core.tryAcquirePermission()) throw new CallNotPermittedException(core.getName(), core.getState());
        Clock clock = core.getClock();
        long start = clock.nanoTime();
        T result;
        try {
            result = call.call(ctx);
        } catch (Throwable t) {
            if (t instanceof InterruptedException) core.releasePermission();
            else core.onError(clock.nanoTime() - start, t, ctx);
            throw t;
        }
        core.onResult(clock.nanoTime() - start, result);
        return result;
    }

    /**
     * Runs {@code call} under {@link Context#background()} without blocking; see
     * {@link #callAsync(Context, CheckedCall)}.
     *
     * @param call the work
     * @param <T> the work's result
     * @return a future of the work's result
     * @throws NullPointerException if {@code call} is null
     */
    public <T extends @Nullable Object> CompletableFuture<T> callAsync(CheckedCall<T, ?> call) {
        return callAsync(Context.background(), call);
    }

    /**
     * Runs {@code call} under {@code ctx} on a goroutine thread if the breaker permits a call,
     * recording its outcome as {@link #call(Context, CheckedCall)} does. The future completes
     * with the work's result, or exceptionally with what it threw (as it threw it), or with
     * {@link CallNotPermittedException} at once if the breaker refuses the call. Cancelling the
     * future interrupts the work and gives its permission back. Never blocks.
     *
     * @param ctx the context the work runs under
     * @param call the work
     * @param <T> the work's result
     * @return a future of the work's result
     * @throws NullPointerException if an argument is null
     */
    public <T extends @Nullable Object> CompletableFuture<T> callAsync(Context ctx, CheckedCall<T, ?> call) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(call, "call");
        return BreakerCalls.callAsync(core, ctx, call);
    }

    /**
     * Asks for a permission to make one call now; if granted, report its outcome with exactly
     * one of the {@code on...} methods or give it back with {@link #releasePermission()}. A
     * refusal is counted and told to listeners. Never blocks; allocates nothing while closed.
     *
     * @return whether the call may go ahead
     */
    public boolean tryAcquirePermission() {
        return core.tryAcquirePermission();
    }

    /** Gives back a permission that was not used (in half-open, frees its probe). Never blocks. */
    public void releasePermission() {
        core.releasePermission();
    }

    /**
     * Reports that a permitted call succeeded. Never blocks; allocates nothing without listeners.
     *
     * @param durationNanos how long it took, in nanoseconds (slow if at least the slow-call duration)
     */
    public void onSuccess(long durationNanos) {
        core.onSuccess(durationNanos);
    }

    /**
     * Reports that a permitted call threw {@code error}: a failure, a success or nothing, as the
     * config's exception predicates say (ignored, it gives the permission back). Never blocks.
     *
     * @param durationNanos how long it took, in nanoseconds
     * @param error what it threw
     * @throws NullPointerException if {@code error} is null
     */
    public void onError(long durationNanos, Throwable error) {
        core.onError(durationNanos, Objects.requireNonNull(error, "error"));
    }

    /**
     * Reports that a permitted call returned {@code result}: a failure if the config's
     * {@code recordResult} says so, else a success. Never blocks.
     *
     * @param durationNanos how long it took, in nanoseconds
     * @param result what it returned, null included
     */
    public void onResult(long durationNanos, @Nullable Object result) {
        core.onResult(durationNanos, result);
    }

    /** Refuses every call until {@link #reset()} or {@link #disable()}. Never blocks. */
    public void forceOpen() {
        core.forceOpen();
    }

    /** Lets every call through and records nothing, until {@link #reset()} or {@link #forceOpen()}. Never blocks. */
    public void disable() {
        core.disable();
    }

    /** Closes the breaker with an empty window and the first open wait, from any state. Never blocks. */
    public void reset() {
        core.reset();
    }

    /**
     * Registers {@code listener} for every later event (state transitions, successes, errors,
     * ignored errors, failed results, slow calls, refusals). It runs on the thread that caused
     * the event and must not block. Never blocks.
     *
     * @param listener receives the events
     * @throws NullPointerException if {@code listener} is null
     */
    public void addListener(CircuitBreakerListener listener) {
        core.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unregisters {@code listener} (once, if it was added more than once). Never blocks.
     *
     * @param listener a registered listener
     * @return whether it was registered
     * @throws NullPointerException if {@code listener} is null
     */
    public boolean removeListener(CircuitBreakerListener listener) {
        return core.removeListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * A snapshot of the counts and of the current window's rates. Never blocks.
     *
     * @return the metrics now
     */
    public CircuitBreakerMetrics metrics() {
        return core.metrics();
    }

    /** The name and the state. Never blocks. */
    @Override
    public String toString() {
        return core.toString();
    }
}
