package dev.conduit.java.sync;

import dev.conduit.context.Context;
import static dev.conduit.java.sync.BadInputs.cancelled;
import static dev.conduit.java.sync.BadInputs.failsAtOnce;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.java.chan.Interrupting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BarrierTest {
    @Test
    void releasesAllPartiesAndBreaksOnTimeout() throws Exception {
        AtomicInteger trips = new AtomicInteger();
        Barrier barrier = Barrier.create(3, trips::incrementAndGet);
        assertEquals(3, barrier.parties());
        CompletableFuture<Integer> first = barrier.awaitAsync();
        CompletableFuture<Integer> second = barrier.awaitAsync(Context.background());
        assertEquals(2, barrier.waiting());
        assertEquals(0, barrier.await(), "the last to arrive gets index 0");
        assertEquals(List.of(2, 1), List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS)));
        assertEquals(1, trips.get());

        CompletableFuture<Integer> stranded = barrier.awaitAsync();
        TimeoutException timedOut = assertThrows(TimeoutException.class, () -> barrier.await(Duration.ofMillis(20)));
        assertEquals("barrier of 3 parties not complete within PT0.02S", timedOut.getMessage());
        ExecutionException e = assertThrows(ExecutionException.class, () -> stranded.get(10, TimeUnit.SECONDS));
        assertInstanceOf(BrokenBarrierException.class, e.getCause(), "the others see it broken");
        assertTrue(barrier.isBroken());
        assertThrows(BrokenBarrierException.class, barrier::await);
        barrier.reset();
        assertFalse(barrier.isBroken());
        assertEquals(0, barrier.waiting());
    }

    @Test
    void blockingArrivalsOnThreadsMeetEachRound() throws Exception {
        Barrier barrier = Barrier.create(3);
        WaitGroup wg = WaitGroup.create();
        AtomicInteger indexSum = new AtomicInteger();
        for (int t = 0; t < 3; t++) {
            wg.go(() -> {
                for (int round = 0; round < 50; round++) indexSum.addAndGet(barrier.await(Context.background()));
            });
        }
        wg.await();
        assertEquals(50 * (0 + 1 + 2), indexSum.get(), "each round hands out the indexes 0, 1 and 2");
    }

    @Test
    void aContextThatEndsTheWaitBreaksTheBarrier() throws Exception {
        Barrier barrier = Barrier.create(2);
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofHours(1))) {
            // Cancelled only once the thread waits at the barrier, so it has arrived: not a race with a short deadline.
            Interrupting.Call arrival = Interrupting.blocked(() -> barrier.await(ctx));
            ctx.cancel();
            assertInstanceOf(ContextCanceledException.class, arrival.result());
        }
        assertTrue(barrier.isBroken(), "the arrival that gave up broke the round");
        barrier.reset();
        assertThrows(ContextCanceledException.class, () -> barrier.await(cancelled()));
        assertFalse(barrier.isBroken(), "a context done before arriving does not arrive");
        assertEquals(0, barrier.waiting());
    }

    @Test
    void cancellingAnAsyncArrivalBreaksTheRound() throws Exception {
        Barrier barrier = Barrier.create(3);
        CompletableFuture<Integer> kept = barrier.awaitAsync();
        CompletableFuture<Integer> withdrawn = barrier.awaitAsync();
        assertTrue(withdrawn.cancel(true));
        ExecutionException e = assertThrows(ExecutionException.class, () -> kept.get(10, TimeUnit.SECONDS));
        assertInstanceOf(BrokenBarrierException.class, e.getCause());
        assertTrue(barrier.isBroken());
    }

    @Test
    void anActionThatThrowsBreaksTheBarrierAndReachesTheLastArrival() throws Exception {
        Barrier barrier = Barrier.create(2, () -> {
            throw new IllegalStateException("phase check failed");
        });
        CompletableFuture<Integer> first = barrier.awaitAsync();
        assertEquals("phase check failed", assertThrows(IllegalStateException.class, barrier::await).getMessage());
        assertInstanceOf(BrokenBarrierException.class, assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS)).getCause());
    }

    @Test
    void anInterruptedArrivalBreaksTheBarrier() throws Exception {
        Barrier barrier = Barrier.create(2);
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(barrier::await));
        assertTrue(barrier.isBroken());
        barrier.reset();
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> barrier.await(Duration.ofSeconds(30))));
        assertTrue(barrier.isBroken());
    }

    @Test
    void wrapAndUnwrapShareOneBarrier() throws Exception {
        dev.conduit.sync.Barrier core = new dev.conduit.sync.Barrier(2);
        Barrier barrier = Barrier.wrap(core);
        assertSame(core, barrier.unwrap());
        CompletableFuture<Integer> java = barrier.awaitAsync();
        assertEquals(1, core.getWaiting(), "a Java arrival counts on the core barrier");
        assertEquals(0, core.awaitBlocking(null, Long.MAX_VALUE));
        assertEquals(1, java.get(10, TimeUnit.SECONDS));
        assertEquals(core.toString(), barrier.toString());
    }

    @Test
    void badInputs() {
        Barrier barrier = Barrier.create(2);
        BadInputs.check(
                row("create(0)", IllegalArgumentException.class, "parties must be > 0, but was 0", () -> Barrier.create(0)),
                row("create(-1)", IllegalArgumentException.class, "parties must be > 0, but was -1", () -> Barrier.create(-1)),
                row("create(-1, action)", IllegalArgumentException.class, "parties must be > 0, but was -1", () -> Barrier.create(-1, () -> {})),
                row("create(2, null)", NullPointerException.class, "action", () -> Barrier.create(2, null)),
                row("wrap(null)", NullPointerException.class, "core", () -> Barrier.wrap(null)),
                row("await(null ctx)", NullPointerException.class, "ctx", () -> barrier.await((dev.conduit.context.Context) null)),
                row("await(null timeout)", NullPointerException.class, "timeout", () -> barrier.await((Duration) null)),
                row("await(cancelled ctx)", ContextCanceledException.class, "canceled", () -> barrier.await(cancelled())),
                row("awaitAsync(null ctx)", NullPointerException.class, "ctx", () -> barrier.awaitAsync(null)),
                row("awaitAsync(cancelled ctx)", ContextCanceledException.class, "canceled", () -> failsAtOnce(barrier::awaitAsync)));
        assertFalse(barrier.isBroken(), "no bad call arrived");
        assertEquals(0, barrier.waiting());
    }
}
