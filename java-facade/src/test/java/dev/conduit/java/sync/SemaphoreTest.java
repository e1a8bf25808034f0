package dev.conduit.java.sync;

import dev.conduit.context.Context;
import static dev.conduit.java.sync.BadInputs.assertFailedWith;
import static dev.conduit.java.sync.BadInputs.cancelled;
import static dev.conduit.java.sync.BadInputs.failsAtOnce;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.java.chan.Interrupting;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SemaphoreTest {
    @Test
    void boundsConcurrencyAcrossJavaGoroutines() throws Exception {
        Semaphore sem = Semaphore.create(3);
        WaitGroup wg = WaitGroup.create();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            wg.go(() -> {
                sem.acquire();
                try {
                    peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                } finally {
                    sem.release();
                }
            });
        }
        wg.await();
        assertTrue(peak.get() <= 3, "at most 3 inside at once, but the peak was " + peak.get());
        assertEquals(3, sem.available());
        assertEquals(0, wg.count());
    }

    @Test
    void blockingFormsWaitForPermitsInArrivalOrder() throws Exception {
        Semaphore sem = Semaphore.create(3);
        assertEquals(3, sem.capacity());
        sem.acquire(3);
        Interrupting.Call big = Interrupting.blocked(() -> sem.acquire(Context.background(), 2));
        sem.release();
        assertFalse(sem.tryAcquire(), "a small request does not overtake the queued big one");
        assertFalse(big.outcome().isDone(), "one free permit is not enough for the big request");
        sem.release(2);
        assertNull(big.result());
        assertEquals(1, sem.available(), "the big request holds 2 of 3");
        sem.acquire(Context.background());
        assertEquals(0, sem.available());
        sem.release(3);
    }

    @Test
    void tryFormsNeverBlockAndTimeoutFormsGiveUp() throws Exception {
        Semaphore sem = Semaphore.create(2);
        assertTrue(sem.tryAcquire());
        assertFalse(sem.tryAcquire(2), "only one is free");
        assertTrue(sem.tryAcquire(1));
        assertFalse(sem.tryAcquire(Duration.ofMillis(20)), "nobody releases within the timeout");
        assertFalse(sem.tryAcquire(2, Duration.ZERO), "a zero timeout only takes what is free now");
        assertFalse(sem.tryAcquire(Duration.ofSeconds(-1)), "a negative timeout counts as zero");
        sem.release(2);
        assertTrue(sem.tryAcquire(2, Duration.ZERO), "free now, so a zero timeout takes them");
        sem.release(2);
        assertTrue(sem.tryAcquire(1, Duration.ofSeconds(10)));
        assertEquals(1, sem.available(), "the timed-out attempts hold nothing");
    }

    @Test
    void contextEndsABlockedAcquireHoldingNothing() throws Exception {
        Semaphore sem = Semaphore.create(1);
        sem.acquire();
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(20))) {
            assertThrows(DeadlineExceededException.class, () -> sem.acquire(ctx));
        }
        sem.release();
        assertEquals(1, sem.available());
    }

    @Test
    void asyncFormsCompleteAndCancellingWithdraws() throws Exception {
        Semaphore sem = Semaphore.create(2);
        sem.acquireAsync().get(10, TimeUnit.SECONDS);
        sem.acquireAsync(Context.background()).get(10, TimeUnit.SECONDS);
        assertEquals(0, sem.available());
        CompletableFuture<Void> two = sem.acquireAsync(2);
        CompletableFuture<Void> withdrawn = sem.acquireAsync(Context.background(), 1);
        assertTrue(withdrawn.cancel(true), "a waiting request is withdrawn");
        assertThrows(CancellationException.class, withdrawn::join, "a future its caller cancelled is a cancellation");
        sem.release(2);
        two.get(10, TimeUnit.SECONDS);
        assertEquals(0, sem.available(), "the withdrawn request took nothing");
        sem.release(2);
        assertEquals(2, sem.available());

        sem.acquire(2);
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<Void> waiting = sem.acquireAsync(ctx, 1);
        ctx.cancel();
        assertFailedWith(ctx.getErr(), waiting);
        sem.release(2);
        assertEquals(2, sem.available(), "the request its context ended holds nothing");
    }

    @Test
    void overReleaseIsLoud() {
        Semaphore sem = Semaphore.create(1);
        assertEquals("released 1 permit(s) but only 0 are held",
                assertThrows(IllegalStateException.class, sem::release).getMessage());
    }

    @Test
    void anInterruptedAcquireHoldsNothing() throws Exception {
        Semaphore sem = Semaphore.create(2);
        sem.acquire();
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> sem.acquire(2)));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> sem.acquire(Context.background(), 2)));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> sem.tryAcquire(2, Duration.ofSeconds(30))));
        assertEquals(1, sem.available(), "no interrupted acquire holds a permit");
        sem.release();
        assertTrue(sem.tryAcquire(2), "nobody holds or waits for a permit");
    }

    @Test
    void wrapAndUnwrapShareOneSemaphore() throws Exception {
        dev.conduit.sync.Semaphore core = new dev.conduit.sync.Semaphore(2);
        Semaphore sem = Semaphore.wrap(core);
        assertSame(core, sem.unwrap());
        assertSame(core, Semaphore.wrap(core).unwrap());
        sem.acquire();
        assertEquals(1, core.getAvailable(), "a Java acquire holds a permit of the core semaphore");
        assertTrue(core.tryAcquire(1));
        assertFalse(sem.tryAcquire(), "the core's acquire is seen through the facade");
        core.release(2);
        assertEquals(2, sem.available());
        assertEquals(core.toString(), sem.toString());
    }

    @Test
    void badInputs() throws Exception {
        Semaphore sem = Semaphore.create(2);
        BadInputs.check(
                row("create(0)", IllegalArgumentException.class, "capacity must be > 0, but was 0", () -> Semaphore.create(0)),
                row("create(-1)", IllegalArgumentException.class, "capacity must be > 0, but was -1", () -> Semaphore.create(-1)),
                row("wrap(null)", NullPointerException.class, "core", () -> Semaphore.wrap(null)),
                row("acquire(-1)", IllegalArgumentException.class, "n must be in 0..2, but was -1", () -> sem.acquire(-1)),
                row("acquire(3)", IllegalArgumentException.class, "n must be in 0..2, but was 3", () -> sem.acquire(3)),
                row("acquire(huge)", IllegalArgumentException.class, "n must be in 0..2, but was " + Long.MAX_VALUE, () -> sem.acquire(Long.MAX_VALUE)),
                row("acquire(null ctx)", NullPointerException.class, "ctx", () -> sem.acquire(null)),
                row("acquire(null ctx, 1)", NullPointerException.class, "ctx", () -> sem.acquire(null, 1)),
                row("acquire(cancelled ctx)", ContextCanceledException.class, "canceled", () -> sem.acquire(cancelled())),
                row("acquire(cancelled ctx, 1)", ContextCanceledException.class, "canceled", () -> sem.acquire(cancelled(), 1)),
                row("tryAcquire(-1)", IllegalArgumentException.class, "n must be >= 0, but was -1", () -> sem.tryAcquire(-1)),
                row("tryAcquire(null timeout)", NullPointerException.class, "timeout", () -> sem.tryAcquire(null)),
                row("tryAcquire(1, null timeout)", NullPointerException.class, "timeout", () -> sem.tryAcquire(1, null)),
                row("tryAcquire(-1, timeout)", IllegalArgumentException.class, "n must be in 0..2, but was -1", () -> sem.tryAcquire(-1, Duration.ZERO)),
                row("tryAcquire(3, timeout)", IllegalArgumentException.class, "n must be in 0..2, but was 3", () -> sem.tryAcquire(3, Duration.ZERO)),
                row("acquireAsync(-1)", IllegalArgumentException.class, "n must be in 0..2, but was -1", () -> sem.acquireAsync(-1)),
                row("acquireAsync(huge)", IllegalArgumentException.class, "n must be in 0..2, but was " + Long.MAX_VALUE, () -> sem.acquireAsync(Long.MAX_VALUE)),
                row("acquireAsync(null ctx)", NullPointerException.class, "ctx", () -> sem.acquireAsync(null)),
                row("acquireAsync(null ctx, 1)", NullPointerException.class, "ctx", () -> sem.acquireAsync(null, 1)),
                row("acquireAsync(cancelled ctx)", ContextCanceledException.class, "canceled", () -> failsAtOnce(sem::acquireAsync)),
                row("release(-1)", IllegalArgumentException.class, "n must be >= 0, but was -1", () -> sem.release(-1)),
                row("release(huge)", IllegalStateException.class, "released " + Long.MAX_VALUE, () -> sem.release(Long.MAX_VALUE)));
        assertEquals(2, sem.available(), "no bad call took or gave a permit");

        // Inputs that were bad before the weights followed Go's, and what they do now.
        assertTrue(sem.tryAcquire(0), "tryAcquire(0) succeeds at once while nobody waits");
        assertFalse(sem.tryAcquire(3), "tryAcquire(3) of a semaphore of 2 returns false");
        sem.acquire(0); // returns at once
        sem.acquire(Context.background(), 0);
        assertTrue(sem.tryAcquire(0, Duration.ZERO), "a weight of 0 is granted at once");
        CompletableFuture<Void> zero = sem.acquireAsync(0);
        assertTrue(zero.isDone() && !zero.isCompletedExceptionally(), "acquireAsync(0) completes at once: " + zero);
        sem.release(0); // nothing is held: releasing none does nothing
        assertEquals(2, sem.available(), "a weight of 0 takes and gives back nothing, and tryAcquire(3) took nothing");
    }

    @Test
    void aWeightOfZeroWaitsItsTurnBehindOthers() throws Exception {
        Semaphore sem = Semaphore.create(2);
        sem.acquire(2);
        CompletableFuture<Void> one = sem.acquireAsync(1);
        assertFalse(sem.tryAcquire(0), "tryAcquire(0) fails while somebody waits");
        CompletableFuture<Void> zero = sem.acquireAsync(0);
        assertFalse(zero.isDone(), "a weight of 0 queues behind a waiter");
        sem.release(0);
        assertFalse(one.isDone(), "release(0) grants nobody");
        sem.release(1);
        one.get(10, TimeUnit.SECONDS);
        zero.get(10, TimeUnit.SECONDS);
        assertEquals(0, sem.available(), "the weight of 0 holds nothing");
        sem.release(2);
        assertEquals(2, sem.available());
    }
}
