package dev.conduit.java.resilience;

import dev.conduit.context.Context;
import static dev.conduit.java.sync.BadInputs.assertFailedWith;
import static dev.conduit.java.sync.BadInputs.cancelled;
import static dev.conduit.java.sync.BadInputs.failsAtOnce;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.Clock;
import dev.conduit.Stoppable;
import dev.conduit.context.CancelContext;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.java.chan.Interrupting;
import dev.conduit.java.sync.BadInputs;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RateLimiterTest {
    /** A clock that moves only when told to; nothing is ever scheduled on it here. */
    private static final class ManualClock implements Clock {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public Instant now() {
            return Instant.EPOCH.plusNanos(nanos.get());
        }

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public Stoppable schedule(long delayNanos, Runnable action) {
            throw new UnsupportedOperationException("not used by these tests");
        }

        void advance(Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }

    @Test
    void allowAndBlockingAwaitFromJava() throws Exception {
        RateLimiter slow = RateLimiter.create(0.001, 2); // one token per 1,000 s: no refill during the test
        assertTrue(slow.allow());
        assertTrue(slow.allow());
        assertFalse(slow.allow());
        assertEquals("n must be <= burst (2), but was 3",
                assertThrows(IllegalArgumentException.class, () -> slow.awaitN(Context.background(), 3)).getMessage());

        RateLimiter fast = RateLimiter.create(1000.0, 1);
        assertTrue(fast.allow());
        fast.await(); // the next token is due within a millisecond: this returns
        fast.await(Context.background());
        fast.awaitN(1);
        fast.awaitN(Context.background(), 1);
        fast.awaitAsync().get(10, TimeUnit.SECONDS);
        fast.awaitAsync(Context.background()).get(10, TimeUnit.SECONDS);
        fast.awaitNAsync(1).get(10, TimeUnit.SECONDS);
        fast.awaitNAsync(Context.background(), 1).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aZeroBurstAnswersAsGoDoes() throws Exception {
        // Go's rate.NewLimiter(10, 0): accepted; Allow says no, Wait fails as n exceeds the burst.
        RateLimiter none = RateLimiter.create(10.0, 0);
        assertEquals(0, none.burst());
        assertFalse(none.allow(), "a zero burst allows nothing");
        assertFalse(none.reserve().isOk(), "nor reserves anything");
        assertEquals("n must be <= burst (0), but was 1",
                assertThrows(IllegalArgumentException.class, none::await).getMessage());
        assertTrue(RateLimiter.create(Double.POSITIVE_INFINITY, 0).allow(), "an infinite rate ignores the burst, as in Go");
    }

    @Test
    void aClockForTestsRefillsOnlyAsItMoves() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = RateLimiter.create(10.0, 5, clock);
        assertEquals(10.0, limiter.rate());
        assertEquals(5, limiter.burst());
        assertTrue(limiter.allowN(5));
        assertFalse(limiter.allow());
        clock.advance(Duration.ofMillis(100));
        assertTrue(limiter.allow(), "one token refilled in 100 ms at 10/s");
        assertFalse(limiter.allow());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(5.0, limiter.tokens(), 1e-9, "the bucket holds at most the burst");
    }

    @Test
    void reservationsSayHowLongToWaitAndGiveTokensBack() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = RateLimiter.create(10.0, 2, clock);
        assertTrue(limiter.allowN(2));
        Reservation r = limiter.reserve();
        assertTrue(r.isOk());
        assertEquals(Duration.ofMillis(100), r.delay());
        Reservation two = limiter.reserveN(2);
        assertEquals(Duration.ofMillis(300), two.delay(), "behind the first reservation");
        two.cancel();
        assertEquals(-1.0, limiter.tokens(), 1e-9, "the cancelled reservation's tokens are back");
        Reservation tooMany = limiter.reserveN(3);
        assertFalse(tooMany.isOk(), "more than the burst can never be had");
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), tooMany.delay());
        assertEquals(-1.0, limiter.tokens(), 1e-9, "a reservation that is not ok takes nothing");
        assertSame(r.unwrap(), Reservation.wrap(r.unwrap()).unwrap());
        RateLimiter never = RateLimiter.create(0.0, 1, clock);
        assertTrue(never.allow());
        Reservation neverDue = never.reserve();
        assertTrue(neverDue.isOk(), "at a zero rate a reservation is ok");
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), neverDue.delay(), "but never due: a zero rate never refills");
        neverDue.cancel();
        assertEquals(0.0, never.tokens(), 1e-9, "the never-due reservation's token is back");
        assertTrue(r.toString().contains("ok=true"), r.toString());
        assertTrue(tooMany.toString().contains("ok=false"), tooMany.toString());
    }

    @Test
    void ratesAndBurstsChangeWhileRunning() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = RateLimiter.create(1.0, 1, clock);
        assertTrue(limiter.allow());
        limiter.setRate(100.0);
        limiter.setBurst(3);
        clock.advance(Duration.ofSeconds(1));
        assertTrue(limiter.allowN(3), "a larger burst at the new rate");
        assertEquals(100.0, limiter.rate());
        assertEquals(3, limiter.burst());
        RateLimiter unlimited = RateLimiter.create(Double.POSITIVE_INFINITY, 0, clock);
        assertTrue(unlimited.allowN(1_000_000), "an infinite rate allows everything");
    }

    @Test
    void awaitBoundedByAContext() throws Exception {
        RateLimiter limiter = RateLimiter.create(0.001, 1); // one token per 1,000 s: the deadline comes first however slow the machine
        limiter.allow();
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(100))) {
            assertThrows(DeadlineExceededException.class, () -> limiter.await(ctx));
        }
    }

    @Test
    void aWaitAtRateZeroWaitsForItsContext() throws Exception {
        RateLimiter never = RateLimiter.create(0.0, 1);
        assertTrue(never.allow());
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofHours(1))) {
            assertThrows(DeadlineExceededException.class, () -> never.await(ctx),
                    "a deadline can never be met at a zero rate: it fails at once, not in an hour");
            assertThrows(DeadlineExceededException.class, () -> never.awaitN(ctx, 1));
            CompletableFuture<Void> async = never.awaitAsync(ctx);
            assertInstanceOf(DeadlineExceededException.class,
                    assertThrows(ExecutionException.class, () -> async.get(10, TimeUnit.SECONDS)).getCause());
            assertFalse(async.isCancelled(), "a context's error fails the future, it does not cancel it");
            assertNull(ctx.getErr(), "the context itself is not done");
        }
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<Void> waiting = never.awaitAsync(ctx);
        assertFalse(waiting.isDone(), "without a deadline it waits for the context");
        ctx.cancel();
        assertFailedWith(ctx.getErr(), waiting);
        assertEquals(0.0, never.tokens(), 1e-9, "the wait its context ended gave its token back");
    }

    @Test
    void cancellingTheAsyncWaitGivesTheTokenBack() throws Exception {
        RateLimiter limiter = RateLimiter.create(0.001, 1); // one token per 1,000 s: no refill during the test
        limiter.allow();
        CompletableFuture<Void> waiting = limiter.awaitAsync(Context.background());
        assertTrue(limiter.tokens() < -0.9, "the wait holds a reservation");
        assertTrue(waiting.cancel(true));
        assertTrue(limiter.tokens() > -0.1, "the reservation was given back: " + limiter.tokens());
    }

    @Test
    void anInterruptedAwaitGivesTheTokenBack() throws Exception {
        RateLimiter limiter = RateLimiter.create(0.001, 1); // one token per 1,000 s: no refill during the test
        limiter.allow();
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(limiter::await));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> limiter.awaitN(Context.background(), 1)));
        assertTrue(limiter.tokens() > -0.1, "no interrupted wait keeps a reservation: " + limiter.tokens());
    }

    @Test
    void closeFailsWaiters() throws Exception {
        RateLimiter limiter = RateLimiter.create(0.001, 1); // one token per 1,000 s: no refill during the test
        limiter.allow();
        CompletableFuture<Void> waiting = limiter.awaitAsync(Context.background());
        limiter.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("the rate limiter is closed", e.getCause().getMessage());
        limiter.close(); // idempotent
        assertEquals("the rate limiter is closed", assertThrows(IllegalStateException.class, limiter::allow).getMessage());
        assertEquals("the rate limiter is closed", assertThrows(IllegalStateException.class, limiter::await).getMessage());
    }

    @Test
    void wrapAndUnwrapShareOneBucket() {
        dev.conduit.resilience.RateLimiter core = new dev.conduit.resilience.RateLimiter(0.001, 2, Clock.system());
        RateLimiter limiter = RateLimiter.wrap(core);
        assertSame(core, limiter.unwrap());
        assertTrue(limiter.allow());
        assertTrue(core.allow());
        assertFalse(limiter.allow(), "Java and Kotlin take from one bucket");
    }

    @Test
    void badInputs() throws Exception {
        RateLimiter limiter = RateLimiter.create(1.0, 2);
        BadInputs.check(
                row("create(-1 rate)", IllegalArgumentException.class, "rate must be >= 0, but was -1.0", () -> RateLimiter.create(-1.0, 1)),
                row("create(NaN rate)", IllegalArgumentException.class, "rate must be >= 0, but was NaN", () -> RateLimiter.create(Double.NaN, 1)),
                row("create(-1 burst)", IllegalArgumentException.class, "burst must be >= 0, but was -1", () -> RateLimiter.create(1.0, -1)),
                row("create(null clock)", NullPointerException.class, "clock", () -> RateLimiter.create(1.0, 1, null)),
                row("wrap(null)", NullPointerException.class, "core", () -> RateLimiter.wrap(null)),
                row("Reservation.wrap(null)", NullPointerException.class, "core", () -> Reservation.wrap(null)),
                row("allowN(-1)", IllegalArgumentException.class, "n must be >= 0, but was -1", () -> limiter.allowN(-1)),
                row("reserveN(-1)", IllegalArgumentException.class, "n must be >= 0, but was -1", () -> limiter.reserveN(-1)),
                row("awaitN(-1)", IllegalArgumentException.class, "n must be >= 0, but was -1", () -> limiter.awaitN(-1)),
                row("awaitN(ctx, -1)", IllegalArgumentException.class, "n must be >= 0, but was -1", () -> limiter.awaitN(Context.background(), -1)),
                row("awaitN(huge)", IllegalArgumentException.class, "n must be <= burst (2), but was " + Integer.MAX_VALUE, () -> limiter.awaitN(Integer.MAX_VALUE)),
                row("awaitNAsync(-1)", IllegalArgumentException.class, "n must be >= 0, but was -1", () -> limiter.awaitNAsync(-1)),
                row("awaitNAsync(ctx, huge)", IllegalArgumentException.class, "n must be <= burst (2), but was " + Integer.MAX_VALUE, () -> limiter.awaitNAsync(Context.background(), Integer.MAX_VALUE)),
                row("await(null ctx)", NullPointerException.class, "ctx", () -> limiter.await(null)),
                row("awaitN(null ctx, 1)", NullPointerException.class, "ctx", () -> limiter.awaitN(null, 1)),
                row("awaitAsync(null ctx)", NullPointerException.class, "ctx", () -> limiter.awaitAsync(null)),
                row("awaitNAsync(null ctx, 1)", NullPointerException.class, "ctx", () -> limiter.awaitNAsync(null, 1)),
                row("await(cancelled ctx)", ContextCanceledException.class, "canceled", () -> limiter.await(cancelled())),
                row("awaitN(cancelled ctx, 1)", ContextCanceledException.class, "canceled", () -> limiter.awaitN(cancelled(), 1)),
                row("awaitAsync(cancelled ctx)", ContextCanceledException.class, "canceled", () -> failsAtOnce(limiter::awaitAsync)),
                row("setRate(-1)", IllegalArgumentException.class, "rate must be >= 0, but was -1.0", () -> limiter.setRate(-1)),
                row("setRate(NaN)", IllegalArgumentException.class, "rate must be >= 0, but was NaN", () -> limiter.setRate(Double.NaN)),
                row("setBurst(-1)", IllegalArgumentException.class, "burst must be >= 0, but was -1", () -> limiter.setBurst(-1)));
        assertEquals(2.0, limiter.tokens(), 1e-9, "no bad call took a token");
        assertEquals(1.0, limiter.rate());
        assertEquals(2, limiter.burst());

        // Inputs that were bad before n followed Go's rules, and what they do now.
        assertFalse(limiter.allowN(Integer.MAX_VALUE), "allowN(more than the burst) is false");
        assertTrue(limiter.allowN(0), "allowN(0) is true while the bucket is out of debt");
        Reservation tooMany = limiter.reserveN(Integer.MAX_VALUE);
        assertFalse(tooMany.isOk(), "reserveN(more than the burst) is not ok");
        assertEquals(Duration.ofNanos(Long.MAX_VALUE), tooMany.delay());
        Reservation none = limiter.reserveN(0);
        assertTrue(none.isOk(), "reserveN(0) is ok");
        assertEquals(Duration.ZERO, none.delay(), "and due at once");
        limiter.awaitN(0); // returns at once: the bucket is out of debt
        limiter.awaitNAsync(0).get(10, TimeUnit.SECONDS);
        assertEquals(2.0, limiter.tokens(), 1e-9, "n = 0 and n > burst take nothing");
    }
}
