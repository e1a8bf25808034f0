package dev.conduit.java.resilience;

import static dev.conduit.java.sync.BadInputs.check;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.java.chan.Interrupting;
import dev.conduit.java.sync.BadInputs;
import dev.conduit.resilience.RetryAbortedException;
import dev.conduit.resilience.RetryMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RetryTest {
    private static RetryConfig.Builder noWait(int attempts) {
        return RetryConfig.builder().maxAttempts(attempts).fixedBackoff(Duration.ZERO);
    }

    @Test
    void theBuilderRejectsBadValuesNamingThem() {
        check(
                row("maxAttempts", IllegalArgumentException.class, "maxAttempts must be >= 1, but was 0", () -> RetryConfig.builder().maxAttempts(0)),
                row("fixed", IllegalArgumentException.class, "delay must be >= 0", () -> RetryConfig.builder().fixedBackoff(Duration.ofMillis(-1))),
                row("multiplier", IllegalArgumentException.class, "multiplier must be >= 1.0, but was 0.5",
                        () -> RetryConfig.builder().exponentialBackoff(Duration.ofMillis(1), 0.5, Duration.ofSeconds(1))),
                row("max", IllegalArgumentException.class, "max must be >= initial",
                        () -> RetryConfig.builder().fullJitterBackoff(Duration.ofSeconds(1), 2, Duration.ofMillis(1), new Random(1))),
                row("percent", IllegalArgumentException.class, "percent must be in [0, 100], but was -1.0",
                        () -> RetryBudget.create(-1, 0, Duration.ofSeconds(1))),
                row("window", IllegalArgumentException.class, "window must be", () -> RetryBudget.create(10, 0, Duration.ZERO)));
    }

    @Test
    void refusesNulls() {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Context.class, Context.background())
                .setDefault(RetryConfig.class, RetryConfig.defaults());
        for (Class<?> c : List.of(Retry.class, RetryConfig.class, RetryBudget.class)) tester.testAllPublicStaticMethods(c);
        tester.testAllPublicInstanceMethods(Retry.create());
        tester.testAllPublicInstanceMethods(RetryConfig.builder());
        tester.testAllPublicInstanceMethods(RetryConfig.defaults());
        tester.testAllPublicInstanceMethods(RetryBudget.create(10, 1, Duration.ofSeconds(1)));
    }

    @Test
    void backoffsFromTheBuilder() {
        RetryConfig exp = RetryConfig.builder().exponentialBackoff(Duration.ofMillis(100), 2, Duration.ofMillis(300)).build();
        List<Duration> delays = new ArrayList<>();
        for (int retry = 1; retry <= 3; retry++) delays.add(exp.backoffBefore(retry));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300)), delays);
        RetryConfig jitter = RetryConfig.builder().fullJitterBackoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1), new Random(7)).build();
        RetryConfig same = RetryConfig.builder().fullJitterBackoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1), new Random(7)).build();
        for (int retry = 1; retry <= 10; retry++) {
            Duration d = jitter.backoffBefore(retry);
            assertEquals(same.backoffBefore(retry), d, "the same seed, the same sequence");
            Duration ceiling = Duration.ofMillis(Math.min(1000, 100L << (retry - 1)));
            assertTrue(!d.isNegative() && d.compareTo(ceiling) < 0, "retry " + retry + ": " + d + " in [0, " + ceiling + ")");
        }
    }

    @Test
    void retriesUntilSuccessAndCountsIt() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Retry retry = Retry.create(noWait(5).build());
        String answer = retry.call(Context.background(), c -> {
            if (attempts.incrementAndGet() < 3) throw new IOException("flaky");
            return "ok";
        });
        assertEquals("ok", answer);
        RetryMetrics m = retry.metrics();
        assertEquals(List.of(1L, 3L, 2L), List.of(m.getCalls(), m.getAttempts(), m.getRetries()));
    }

    @Test
    void theLastFailureIsRethrownAsTheJavaCodeThrewIt() {
        List<IOException> thrown = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> Retry.create(noWait(3).build()).call(Context.background(), c -> {
            IOException failure = new IOException("down " + thrown.size());
            thrown.add(failure);
            throw failure;
        }));
        assertSame(thrown.get(2), e);
        AtomicInteger calls = new AtomicInteger();
        Retry onlyIo = Retry.create(noWait(3).retryOn(x -> x instanceof IOException).retryOnResult(r -> "busy".equals(r)).build());
        assertThrows(IllegalStateException.class, () -> onlyIo.call(Context.background(), c -> {
            calls.incrementAndGet();
            throw new IllegalStateException("bug");
        }));
        assertEquals(1, calls.get(), "a failure the predicate refuses is not retried");
    }

    @Test
    void aBackoffPastTheDeadlineFailsAtOnceWithTheLastFailureAttached() throws Exception {
        IOException down = new IOException("down");
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofSeconds(20))) {
            Retry retry = Retry.create(RetryConfig.builder().maxAttempts(5).fixedBackoff(Duration.ofSeconds(30)).build());
            long start = System.nanoTime();
            RetryAbortedException e = assertThrows(RetryAbortedException.class, () -> retry.call(ctx, c -> {
                throw down;
            }));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "it did not sleep");
            assertEquals(RetryAbortedException.Reason.DEADLINE, e.getReason());
            assertSame(down, e.getCause());
            assertEquals(1, retry.metrics().getDeadlineAborted());
        }
    }

    @Test
    void aSpentBudgetStopsRetriesAcrossRetryInstances() {
        RetryBudget budget = RetryBudget.create(0, 1, Duration.ofHours(1));
        RetryConfig config = noWait(3).budget(budget).build();
        assertSame(budget.unwrap(), config.budget().orElseThrow().unwrap());
        IOException down = new IOException("down");
        assertThrows(RetryAbortedException.class, () -> Retry.create(config).call(Context.background(), c -> {
            throw down;
        }), "the first call used the one retry of the window");
        RetryAbortedException e = assertThrows(RetryAbortedException.class, () -> Retry.create(config).call(Context.background(), c -> {
            throw down;
        }));
        assertEquals(RetryAbortedException.Reason.BUDGET_EXHAUSTED, e.getReason());
        assertEquals(2, budget.rejected());
    }

    @Test
    void aCancelledContextEndsTheCallWithItsError() {
        assertThrows(ContextCanceledException.class, () -> BadInputs.failsAtOnce(ctx -> Retry.create().callAsync(ctx, c -> "never")));
    }

    @Test
    void interruptingTheCallerInterruptsTheAttemptAndStopsRetrying() throws Exception {
        Interrupting.Blocker attempt = new Interrupting.Blocker();
        CountDownLatch started = new CountDownLatch(1);
        Retry retry = Retry.create(noWait(5).build());
        Throwable e = Interrupting.interruptWhileBlocked(started, () -> retry.call(Context.background(), c -> {
            started.countDown();
            attempt.run();
            return null;
        }));
        assertInstanceOf(InterruptedException.class, e);
        assertTrue(attempt.interrupted());
        assertEquals(1, retry.metrics().getAttempts(), "no retry after an interrupt");
    }

    @Test
    void cancellingTheFutureStopsTheWork() throws Exception {
        Interrupting.Blocker attempt = new Interrupting.Blocker();
        Retry retry = Retry.create(noWait(5).build());
        CompletableFuture<Object> f = retry.callAsync(Context.background(), c -> {
            attempt.run();
            return "never";
        });
        assertTrue(attempt.started());
        assertTrue(f.cancel(true));
        assertTrue(attempt.interrupted(), "the attempt's blocking call was interrupted");
        assertEquals(1, retry.metrics().getAttempts(), "and no retry followed");
    }
}
