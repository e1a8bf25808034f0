package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.java.context.Contexts;
import dev.conduit.sync.Semaphore;
import dev.conduit.sync.WaitGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SyncTest {
    @Test
    void semaphoreBoundsConcurrencyAcrossJavaGoroutines() throws Exception {
        Semaphore sem = new Semaphore(3);
        WaitGroup wg = new WaitGroup();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            WaitGroups.go(wg, () -> {
                Semaphores.acquire(sem);
                try {
                    peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.yield();
                    inside.decrementAndGet();
                } finally {
                    sem.release(1);
                }
            });
        }
        WaitGroups.await(wg);
        assertTrue(peak.get() <= 3, "peak " + peak.get());
        assertEquals(3, sem.getAvailable());
        assertEquals(0, wg.getCount());
    }

    @Test
    void timeoutsContextsAndCancelHoldNothing() throws Exception {
        Semaphore sem = new Semaphore(1);
        assertTrue(sem.tryAcquire(1));
        assertFalse(Semaphores.tryAcquire(sem, Duration.ofMillis(20)));
        CancelContext ctx = Contexts.withCancel(Contexts.background());
        CompletableFuture<Void> waiting = Semaphores.acquireAsync(sem, ctx, 1);
        ctx.cancel();
        assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertThrows(ContextCanceledException.class, () -> Semaphores.acquire(sem, ctx, 1));
        CompletableFuture<Void> withdrawn = Semaphores.acquireAsync(sem, Contexts.background(), 1);
        assertTrue(withdrawn.cancel(true));
        sem.release(1);
        assertEquals(1, sem.getAvailable(), "no withdrawn request holds a permit");
        assertEquals("released 1 permit(s) but only 0 are held",
                assertThrows(IllegalStateException.class, () -> sem.release(1)).getMessage());
    }

    @Test
    void waitGroupAwaitAsyncAndNegativeCounter() throws Exception {
        WaitGroup wg = new WaitGroup();
        wg.add(2);
        CompletableFuture<Void> all = WaitGroups.awaitAsync(wg);
        wg.done();
        assertFalse(all.isDone());
        wg.done();
        all.get(10, TimeUnit.SECONDS);
        assertEquals("negative WaitGroup counter: 0 + (-1)", assertThrows(IllegalStateException.class, wg::done).getMessage());
    }
}
