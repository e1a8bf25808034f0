package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.sync.Barrier;
import dev.conduit.sync.Cond;
import dev.conduit.sync.Mutex;
import dev.conduit.sync.RWMutex;
import dev.conduit.sync.WaitGroup;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ChannelBuiltLocksTest {
    private long value;

    @Test
    void rwMutexLetsReadersShareAndWritersExclude() throws Exception {
        RWMutex rw = new RWMutex();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        WaitGroup wg = new WaitGroup();
        for (int g = 0; g < 2; g++) {
            WaitGroups.go(wg, () -> {
                for (int i = 0; i < 1_000; i++) {
                    RWMutexes.withLock(rw, () -> {
                        if (writers.incrementAndGet() != 1 || rw.getReadersHeld() != 0) violations.incrementAndGet();
                        value++;
                        writers.decrementAndGet();
                    });
                }
            });
        }
        for (int g = 0; g < 4; g++) {
            WaitGroups.go(wg, () -> {
                for (int i = 0; i < 1_000; i++) {
                    RWMutexes.withRLock(rw, () -> {
                        if (writers.get() != 0) violations.incrementAndGet();
                    });
                }
            });
        }
        WaitGroups.await(wg);
        assertEquals(0, violations.get());
        assertEquals(2_000, value);
        assertTrue(rw.tryLock());
        assertFalse(rw.tryRLock());
        rw.unlock();
        assertEquals("rUnlock of unlocked RWMutex", assertThrows(IllegalStateException.class, rw::rUnlock).getMessage());
    }

    @Test
    void condHandsItemsFromProducerToConsumerThreads() throws Exception {
        Mutex mu = new Mutex();
        Cond notEmpty = new Cond(mu);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        AtomicInteger sum = new AtomicInteger();
        WaitGroup wg = new WaitGroup();
        for (int c = 0; c < 2; c++) {
            WaitGroups.go(wg, () -> {
                for (int i = 0; i < 500; i++) {
                    Mutexes.withLock(mu, () -> {
                        while (queue.isEmpty()) Conds.await(notEmpty);
                        sum.addAndGet(queue.removeFirst());
                    });
                }
            });
        }
        for (int i = 1; i <= 1_000; i++) {
            int item = i;
            Mutexes.withLock(mu, () -> {
                queue.addLast(item);
                notEmpty.signal();
            });
        }
        WaitGroups.await(wg);
        assertEquals(1_000 * 1_001 / 2, sum.get());
        assertThrows(IllegalStateException.class, () -> Conds.await(notEmpty), "await without the lock");
    }

    @Test
    void barrierReleasesAllPartiesAndBreaksOnTimeout() throws Exception {
        AtomicInteger trips = new AtomicInteger();
        Barrier barrier = new Barrier(3, trips::incrementAndGet);
        CompletableFuture<Integer> first = Barriers.awaitAsync(barrier);
        CompletableFuture<Integer> second = Barriers.awaitAsync(barrier);
        assertEquals(0, Barriers.await(barrier));
        assertEquals(2, first.get(10, TimeUnit.SECONDS) + second.get(10, TimeUnit.SECONDS) - 1);
        assertEquals(1, trips.get());

        CompletableFuture<Integer> stranded = Barriers.awaitAsync(barrier);
        assertThrows(TimeoutException.class, () -> Barriers.await(barrier, Duration.ofMillis(20)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> stranded.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof BrokenBarrierException, "the others see it broken");
        assertThrows(BrokenBarrierException.class, () -> Barriers.await(barrier));
        barrier.reset();
        assertFalse(barrier.isBroken());
    }
}
