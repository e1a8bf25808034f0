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
        RateLimiter slow = new RateLimiter(0.001, 2); // one token per 1,000 s: no refill during the test
        assertTrue(slow.allow());
        assertTrue(slow.allow());
        assertFalse(slow.allow());
        assertEquals("n must be <= burst (2), but was 3",
                assertThrows(IllegalArgumentException.class, () -> RateLimiters.awaitN(slow, Contexts.background(), 3)).getMessage());

        RateLimiter fast = new RateLimiter(1000.0, 1);
        assertTrue(fast.allow());
        RateLimiters.await(fast); // the next token is due within a millisecond: this returns
    }

    @Test
    void awaitBoundedByAContext() throws Exception {
        RateLimiter limiter = new RateLimiter(0.5, 1);
        limiter.allow();
        try (CancelContext ctx = Contexts.withTimeout(Contexts.background(), Duration.ofMillis(100))) {
            assertThrows(DeadlineExceededException.class, () -> RateLimiters.await(limiter, ctx));
        }
    }

    @Test
    void cancellingTheAsyncWaitGivesTheTokenBack() throws Exception {
        RateLimiter limiter = new RateLimiter(0.1, 1);
        limiter.allow();
        CompletableFuture<Void> waiting = RateLimiters.awaitAsync(limiter, Contexts.background());
        assertTrue(limiter.tokens() < -0.9, "the wait holds a reservation");
        assertTrue(waiting.cancel(true));
        assertTrue(limiter.tokens() > -0.1, "the reservation was given back: " + limiter.tokens());
    }

    @Test
    void closeFailsWaiters() throws Exception {
        RateLimiter limiter = new RateLimiter(0.1, 1);
        limiter.allow();
        CompletableFuture<Void> waiting = RateLimiters.awaitAsync(limiter, Contexts.background());
        limiter.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("the rate limiter is closed", e.getCause().getMessage());
    }
}
