package dev.conduit.java.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * Tokens a {@link RateLimiter} holds for a future event ({@link RateLimiter#reserve()}): act
 * after {@link #delay()}, or {@link #cancel()} to give the tokens back. The Java view of the core
 * {@link dev.conduit.resilience.Reservation}. Reservations are made only by a limiter, so there
 * is no {@code create}.
 *
 * <pre>{@code
 * Reservation r = limiter.reserve();
 * if (!r.isOk() || r.delay().compareTo(maxWait) > 0) r.cancel();
 * else schedule(task, r.delay());
 * }</pre>
 *
 * <p>Thread-safe; nothing here blocks.
 */
public final class Reservation {
    private final dev.conduit.resilience.Reservation core;

    private Reservation(dev.conduit.resilience.Reservation core) {
        this.core = core;
    }

    /**
     * The Java view of {@code core}: the same reservation, not a copy. Never blocks.
     *
     * @param core the Kotlin reservation
     * @return its Java view
     * @throws NullPointerException if {@code core} is null
     */
    public static Reservation wrap(dev.conduit.resilience.Reservation core) {
        return new Reservation(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core reservation behind this one, for Kotlin code. Never blocks.
     *
     * @return the Kotlin reservation this view shares
     */
    public dev.conduit.resilience.Reservation unwrap() {
        return core;
    }

    /**
     * Whether the tokens were reserved; false (nothing taken) if they exceed the limiter's burst.
     * At rate 0, a reservation that needs a refill is ok but never due (see {@link #delay()}).
     * Never blocks.
     *
     * @return true if the tokens were reserved
     */
    public boolean isOk() {
        return core.isOk();
    }

    /**
     * How long after the reservation was made its tokens come due; for a reservation that is not
     * ok, or that never comes due (at rate 0), Go's {@code InfDuration}:
     * {@code Duration.ofNanos(Long.MAX_VALUE)}. Never blocks.
     *
     * @return the wait from the reservation's making until its tokens are due
     */
    public Duration delay() {
        return core.getDelay();
    }

    /**
     * Gives back the reserved tokens, as far as no later reservation already counts on them.
     * Does nothing once they are due. Never blocks.
     */
    public void cancel() {
        core.cancel();
    }

    /** Whether it is ok and its delay. Never blocks. */
    @Override
    public String toString() {
        return "Reservation(ok=" + isOk() + ", delay=" + delay() + ")";
    }
}
