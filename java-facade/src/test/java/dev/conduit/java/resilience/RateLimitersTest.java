package dev.conduit.java.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.java.context.Contexts;
import dev.conduit.resilience.RateLimiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RateLimitersTest {
    @Test
    void allowAndBlockingAwaitFromJava() throws Exception {
        RateLimiter limiter = RateLimiter.of(1000.0, 2);
        assertTrue(limiter.allow());
        assertTrue(limiter.allow());
        assertFalse(limiter.allow());
        long start = System.nanoTime();
        RateLimiters.await(limiter);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals("n must be <= burst (2), but was 3",
                assertThrows(IllegalArgumentException.class, () -> RateLimiters.awaitN(limiter, Contexts.background(), 3)).getMessage());
    }

    @Test
    void awaitBoundedByAContext() throws Exception {
        RateLimiter limiter = RateLimiter.of(0.5, 1);
        limiter.allow();
        try (CancelContext ctx = Contexts.withTimeout(Contexts.background(), Duration.ofMillis(100))) {
            assertThrows(DeadlineExceededException.class, () -> RateLimiters.await(limiter, ctx));
        }
    }

    @Test
    void cancellingTheAsyncWaitGivesTheTokenBack() throws Exception {
        RateLimiter limiter = RateLimiter.of(0.1, 1);
        limiter.allow();
        CompletableFuture<Void> waiting = RateLimiters.awaitAsync(limiter, Contexts.background());
        assertTrue(limiter.tokens() < -0.9, "the wait holds a reservation");
        assertTrue(waiting.cancel(true));
        assertTrue(limiter.tokens() > -0.1, "the reservation was given back: " + limiter.tokens());
    }

    @Test
    void closeFailsWaiters() throws Exception {
        RateLimiter limiter = RateLimiter.of(0.1, 1);
        limiter.allow();
        CompletableFuture<Void> waiting = RateLimiters.awaitAsync(limiter, Contexts.background());
        limiter.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("the rate limiter is closed", e.getCause().getMessage());
    }
}
