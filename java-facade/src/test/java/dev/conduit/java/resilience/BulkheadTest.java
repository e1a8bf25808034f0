package dev.conduit.java.resilience;

import static dev.conduit.java.sync.BadInputs.check;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import dev.conduit.context.Context;
import dev.conduit.java.chan.Interrupting;
import dev.conduit.resilience.BulkheadFullException;
import dev.conduit.resilience.BulkheadMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BulkheadTest {
    private static List<Long> counts(Bulkhead b) {
        BulkheadMetrics m = b.metrics();
        return List.of((long) m.getAvailable(), (long) m.getWaiting(), m.getRejected());
    }

    @Test
    void badInputIsRejectedNamingIt() {
        check(
                row("maxConcurrent", IllegalArgumentException.class, "maxConcurrent must be >= 1, but was 0", () -> Bulkhead.create(0, Duration.ZERO)),
                row("maxWait", IllegalArgumentException.class, "maxWait must be >= 0", () -> Bulkhead.create(1, Duration.ofMillis(-5))),
                row("release", IllegalStateException.class, "release of bulkhead 'db' without a place held",
                        () -> Bulkhead.create(1, Duration.ZERO, "db").release()));
    }

    @Test
    void refusesNulls() {
        NullPointerTester tester = new NullPointerTester().setDefault(Context.class, Context.background());
        tester.testAllPublicStaticMethods(Bulkhead.class);
        tester.testAllPublicInstanceMethods(Bulkhead.create(1, Duration.ZERO));
    }

    @Test
    void aFullBulkheadRefusesAfterMaxWaitNamingItself() throws Exception {
        Bulkhead bulkhead = Bulkhead.create(1, Duration.ofMillis(20), "inventory");
        assertEquals(Duration.ofMillis(20), bulkhead.maxWait());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        CompletableFuture<String> holder = bulkhead.callAsync(Context.background(), c -> {
            inside.countDown();
            leave.await();
            return "held";
        });
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        BulkheadFullException e = assertThrows(BulkheadFullException.class, () -> bulkhead.call(Context.background(), c -> "in"));
        assertEquals("bulkhead 'inventory' is full: 1 concurrent call(s), none free after waiting 20ms", e.getMessage());
        assertEquals(List.of(0L, 0L, 1L), counts(bulkhead));
        leave.countDown();
        assertEquals("held", holder.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(1L, 0L, 1L), counts(bulkhead));
    }

    @Test
    void thePlaceIsReleasedWhenTheWorkFailsAndTheFailureIsTheJavaCodes() {
        Bulkhead bulkhead = Bulkhead.create(1, Duration.ZERO);
        IOException boom = new IOException("boom");
        assertSame(boom, assertThrows(IOException.class, () -> bulkhead.call(Context.background(), c -> {
            throw boom;
        })));
        assertEquals(1, bulkhead.metrics().getAvailable());
    }

    @Test
    void tryAcquireAndReleasePairUp() throws Exception {
        Bulkhead bulkhead = Bulkhead.create(1, Duration.ZERO);
        assertTrue(bulkhead.tryAcquire());
        assertFalse(bulkhead.tryAcquire());
        assertThrows(BulkheadFullException.class, () -> bulkhead.acquire(Context.background()));
        bulkhead.release();
        bulkhead.acquire(Context.background());
        bulkhead.release();
        assertEquals(List.of(1L, 0L, 2L), counts(bulkhead));
    }

    @Test
    void interruptingTheCallerInterruptsTheWorkAndReleasesThePlace() throws Exception {
        Bulkhead bulkhead = Bulkhead.create(1, Duration.ZERO);
        Interrupting.Blocker work = new Interrupting.Blocker();
        CountDownLatch started = new CountDownLatch(1);
        Throwable e = Interrupting.interruptWhileBlocked(started, () -> bulkhead.call(Context.background(), c -> {
            started.countDown();
            work.run();
            return null;
        }));
        assertInstanceOf(InterruptedException.class, e);
        assertTrue(work.interrupted());
        assertEquals(1, bulkhead.metrics().getAvailable());
    }

    @Test
    void cancellingTheFutureStopsTheWorkAndReleasesThePlace() throws Exception {
        Bulkhead bulkhead = Bulkhead.create(1, Duration.ofSeconds(30));
        Interrupting.Blocker work = new Interrupting.Blocker();
        CompletableFuture<Object> f = bulkhead.callAsync(Context.background(), c -> {
            work.run();
            return "never";
        });
        assertTrue(work.started());
        assertTrue(f.cancel(true));
        assertTrue(work.interrupted());
        assertEquals("the place came back", bulkhead.call(Context.background(), c -> "the place came back"),
                "a caller waiting for the one place gets it once the cancelled work has ended");
        assertEquals(List.of(1L, 0L, 0L), counts(bulkhead));
    }

    /** Breaker + bulkhead + ladder + retry nested from Java, each part giving the next its context; what the inner parts give up on reaches the breaker as itself. */
    @Test
    void theyCompose() throws Exception {
        Bulkhead bulkhead = Bulkhead.create(2, Duration.ofSeconds(1), "svc");
        TimeoutLadder ladder = TimeoutLadder.create(List.of(Duration.ofMillis(50), Duration.ofSeconds(20)));
        Retry retry = Retry.create(RetryConfig.builder().maxAttempts(3).fixedBackoff(Duration.ZERO).build());
        AtomicInteger calls = new AtomicInteger();
        CircuitBreaker breaker = CircuitBreaker.create("svc");
        String answer = breaker.call(Context.background(), outer -> bulkhead.call(outer, b -> ladder.run(b, (rung, attempt) -> retry.call(rung, c -> {
            calls.incrementAndGet();
            if (attempt == 1) new Interrupting.Blocker().run();
            if (calls.get() < 3) throw new IOException("flaky");
            return "rung " + attempt + " after " + calls.get() + " calls";
        }))));
        assertEquals("rung 2 after 3 calls", answer);
        assertEquals(2, bulkhead.metrics().getAvailable());
        assertEquals(1, breaker.metrics().getSuccessfulCalls());
        // what the inner parts give up on reaches the breaker, and the caller, as the very exception
        IOException down = new IOException("down");
        IOException thrown = assertThrows(IOException.class, () -> breaker.call(Context.background(), outer -> retry.call(outer, c -> {
            throw down;
        })));
        assertSame(down, thrown);
        assertEquals(1, breaker.metrics().getFailedCalls());
    }
}
