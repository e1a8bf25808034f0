package dev.conduit.java.resilience;

import dev.conduit.Clock;
import dev.conduit.context.Context;
import dev.conduit.java.internal.SuspendCalls;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A token bucket, Go's {@code golang.org/x/time/rate.Limiter}, for Java: tokens refill at
 * {@link #rate()} per second up to {@link #burst()}; each event takes one (or {@code n}). The
 * Java view of the core {@link dev.conduit.resilience.RateLimiter}: {@link #wrap} and
 * {@link #unwrap} share one bucket between Java and Kotlin code.
 *
 * <p>Over any window of length t it grants at most {@code burst + rate * t} tokens. Waiters
 * are served in arrival order: each wait reserves its tokens at once, so a later waiter's come
 * due after an earlier one's. A wait that gives up (interrupted, its context done, its future
 * cancelled, the limiter closed) gives its tokens back. To bound a wait in time, give it a
 * context with a deadline ({@code ctx.withTimeout(Duration)}): a wait whose tokens would come due
 * after the deadline fails at once, without waiting.
 *
 * <p>Edge cases, as in Go: a rate of {@code Double.POSITIVE_INFINITY} allows everything (the
 * burst is then ignored). A rate of 0 allows the burst once and never refills: a reservation
 * that needs a refill is ok but never due (its delay is {@code Duration.ofNanos(Long.MAX_VALUE)}),
 * so a wait for it waits until its context is done (or fails at once with
 * {@code DeadlineExceededException} if the context has a deadline). More tokens than the burst
 * can never be had: {@code allowN} returns false and {@code reserveN} gives a reservation that is
 * not ok, taking nothing; a wait for them is rejected as a bad argument. {@code n = 0} takes
 * nothing: {@code allowN(0)} is true unless waiters' reservations hold the bucket in debt, and a
 * wait for 0 waits until they no longer do. A negative {@code n} is a bad argument.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.create(100.0, 10);   // 100 events/s, bursts of 10
 * if (limiter.allow()) handle(request); else reject(request);
 * limiter.await(ctx);                                     // blocks until a token is due
 * }</pre>
 *
 * <p>Thread-safe. The {@code await} forms block; {@code allow}, {@code reserve}, the setters,
 * {@link #close()}, the {@code Async} forms and the state queries never block.
 */
public final class RateLimiter implements AutoCloseable {
    private final dev.conduit.resilience.RateLimiter core;

    private RateLimiter(dev.conduit.resilience.RateLimiter core) {
        this.core = core;
    }

    /**
     * A new limiter that refills {@code rate} tokens per second up to {@code burst}, starting
     * full, on the system clock. Never blocks.
     *
     * @param rate tokens added per second; {@code Double.POSITIVE_INFINITY} for no limit
     * @param burst the bucket's size: the most tokens taken at once
     * @return the new limiter, full
     * @throws IllegalArgumentException if {@code rate} is negative or NaN, or {@code burst}
     *     negative
     */
    public static RateLimiter create(double rate, int burst) {
        return new RateLimiter(new dev.conduit.resilience.RateLimiter(rate, burst, Clock.system()));
    }

    /**
     * A new limiter as {@link #create(double, int)}, measuring time on {@code clock} (a virtual
     * clock in tests). Never blocks.
     *
     * @param rate tokens added per second; {@code Double.POSITIVE_INFINITY} for no limit
     * @param burst the bucket's size: the most tokens taken at once
     * @param clock the time source
     * @return the new limiter, full
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalArgumentException if {@code rate} is negative or NaN, or {@code burst}
     *     negative
     */
    public static RateLimiter create(double rate, int burst, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new RateLimiter(new dev.conduit.resilience.RateLimiter(rate, burst, clock));
    }

    /**
     * The Java view of {@code core}: the same limiter, not a copy. Never blocks.
     *
     * @param core the Kotlin limiter
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static RateLimiter wrap(dev.conduit.resilience.RateLimiter core) {
        return new RateLimiter(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core limiter behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin limiter this view shares
     */
    public dev.conduit.resilience.RateLimiter unwrap() {
        return core;
    }

    /**
     * Tokens per second; see {@link #setRate(double)}. Never blocks.
     *
     * @return the refill rate in tokens per second
     */
    public double rate() {
        return core.rate();
    }

    /**
     * The bucket's size; see {@link #setBurst(int)}. Never blocks.
     *
     * @return the most tokens the bucket holds
     */
    public int burst() {
        return core.burst();
    }

    /**
     * Tokens available now (negative while waiters hold reservations). Never blocks.
     *
     * @return the tokens available now; negative while reservations owe some
     */
    public double tokens() {
        return core.tokens();
    }

    /**
     * Takes one token if one is available now. Never blocks.
     *
     * @return true if a token was taken
     * @throws IllegalStateException if the limiter is closed
     */
    public boolean allow() {
        return core.allow();
    }

    /**
     * Takes {@code n} tokens if they are all available now; otherwise takes none. Never blocks.
     *
     * @param n the tokens to take, 0 or more
     * @return whether they were taken: always false for more than the burst (unless the rate is
     *     infinite); for 0, whether the bucket is out of debt
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the limiter is closed
     */
    public boolean allowN(int n) {
        return core.allowN(n);
    }

    /**
     * Reserves one token; see {@link #reserveN(int)}. Never blocks.
     *
     * @return the reservation of one token
     * @throws IllegalStateException if the limiter is closed
     */
    public Reservation reserve() {
        return Reservation.wrap(core.reserve());
    }

    /**
     * Reserves {@code n} tokens now and says how long to wait before acting on them; the caller
     * waits (or cancels the reservation to give them back). Never blocks.
     *
     * @param n the tokens to reserve, 0 or more
     * @return the reservation: not ok, taking nothing, if {@code n} exceeds the burst and the
     *     rate is finite; at rate 0, ok but never due if the tokens need a refill
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the limiter is closed
     */
    public Reservation reserveN(int n) {
        return Reservation.wrap(core.reserveN(n));
    }

    /**
     * Blocks until one token is due (at rate 0, a token that needs a refill never is: this
     * then blocks until interrupted or the limiter is closed).
     *
     * @throws IllegalStateException if the limiter is or becomes closed
     * @throws InterruptedException if interrupted first; the token is given back
     */
    public void await() throws InterruptedException {
        SuspendCalls.awaitN(core, Context.background(), 1);
    }

    /**
     * Blocks until one token is due or {@code ctx} is done; see {@link #awaitN(Context, int)}.
     *
     * @param ctx bounds the wait
     * @throws NullPointerException if {@code ctx} is null
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first, or {@code DeadlineExceededException} at once if the token would come due
     *     after its deadline (at rate 0: would need a refill, and {@code ctx} has a deadline)
     * @throws IllegalStateException if the limiter is or becomes closed
     * @throws InterruptedException if interrupted first; the token is given back
     */
    public void await(Context ctx) throws InterruptedException {
        awaitN(ctx, 1);
    }

    /**
     * Blocks until {@code n} tokens are due (at rate 0, tokens that need a refill never are:
     * this then blocks until interrupted or the limiter is closed).
     *
     * @param n the tokens to wait for, 0 or more
     * @throws IllegalArgumentException if {@code n} is negative or exceeds the burst (while the
     *     rate is finite)
     * @throws IllegalStateException if the limiter is or becomes closed
     * @throws InterruptedException if interrupted first; the tokens are given back
     */
    public void awaitN(int n) throws InterruptedException {
        SuspendCalls.awaitN(core, Context.background(), n);
    }

    /**
     * Blocks until {@code n} tokens are due, in arrival order, or {@code ctx} is done. If it
     * gives up it takes no tokens: they go back to the bucket for the waiters behind it. At
     * rate 0, tokens that need a refill never come due: it waits for {@code ctx} (as Go's
     * {@code WaitN}).
     *
     * @param ctx bounds the wait
     * @param n the tokens to wait for, 0 or more
     * @throws NullPointerException if {@code ctx} is null
     * @throws IllegalArgumentException if {@code n} is negative or exceeds the burst (while the
     *     rate is finite)
     * @throws dev.conduit.context.ContextException {@code ctx}'s error if it is (or becomes)
     *     done first, or {@code DeadlineExceededException} at once if the tokens would come due
     *     after its deadline (at rate 0: would need a refill, and {@code ctx} has a deadline)
     * @throws IllegalStateException if the limiter is or becomes closed
     * @throws InterruptedException if interrupted first; the tokens are given back
     */
    public void awaitN(Context ctx, int n) throws InterruptedException {
        SuspendCalls.awaitN(core, Objects.requireNonNull(ctx, "ctx"), n);
    }

    /**
     * Waits for one token without blocking; see {@link #awaitNAsync(Context, int)}.
     *
     * @return a future completed when the token is due
     */
    public CompletableFuture<@Nullable Void> awaitAsync() {
        return SuspendCalls.awaitNAsync(core, Context.background(), 1);
    }

    /**
     * Waits for one token without blocking; see {@link #awaitNAsync(Context, int)}.
     *
     * @param ctx bounds the wait
     * @return a future completed when the token is due
     * @throws NullPointerException if {@code ctx} is null
     */
    public CompletableFuture<@Nullable Void> awaitAsync(Context ctx) {
        return awaitNAsync(ctx, 1);
    }

    /**
     * Waits for {@code n} tokens without blocking; see {@link #awaitNAsync(Context, int)}.
     *
     * @param n the tokens to wait for, 0 or more
     * @return a future completed when the tokens are due
     * @throws IllegalArgumentException if {@code n} is negative or exceeds the burst (while the
     *     rate is finite)
     */
    public CompletableFuture<@Nullable Void> awaitNAsync(int n) {
        return SuspendCalls.awaitNAsync(core, Context.background(), n);
    }

    /**
     * Waits for {@code n} tokens without blocking: the future completes when they are due, or
     * exceptionally as {@link #awaitN(Context, int)} would throw. Cancelling the future cancels
     * the wait and gives the tokens back. Never blocks.
     *
     * @param ctx bounds the wait
     * @param n the tokens to wait for, 0 or more
     * @return a future completed when the tokens are due
     * @throws NullPointerException if {@code ctx} is null
     * @throws IllegalArgumentException if {@code n} is negative or exceeds the burst (while the
     *     rate is finite)
     */
    public CompletableFuture<@Nullable Void> awaitNAsync(Context ctx, int n) {
        return SuspendCalls.awaitNAsync(core, Objects.requireNonNull(ctx, "ctx"), n);
    }

    /**
     * Changes the refill rate from now on; tokens earned so far are kept, and reservations
     * already made keep their times. Never blocks.
     *
     * @param rate the new tokens per second, 0 or more; {@code Double.POSITIVE_INFINITY} for no limit
     * @throws IllegalArgumentException if {@code rate} is negative or NaN
     */
    public void setRate(double rate) {
        core.setRate(rate);
    }

    /**
     * Changes the bucket's size from now on; tokens above the new size are dropped. Never
     * blocks.
     *
     * @param burst the new bucket size, 0 or more
     * @throws IllegalArgumentException if {@code burst} is negative
     */
    public void setBurst(int burst) {
        core.setBurst(burst);
    }

    /**
     * Closes the limiter: every waiter fails with {@link IllegalStateException}, and so does
     * every later call. Idempotent; never blocks.
     */
    @Override
    public void close() {
        core.close();
    }

    /** The rate and the burst. Never blocks. */
    @Override
    public String toString() {
        return "RateLimiter(rate=" + rate() + ", burst=" + burst() + ")";
    }
}
