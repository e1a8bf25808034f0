package dev.conduit.java.sync;

import dev.conduit.context.Context;
import static dev.conduit.java.sync.BadInputs.cancelled;
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
import dev.conduit.java.Go;
import dev.conduit.java.chan.Interrupting;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CondTest {
    @Test
    void handsItemsFromProducerToConsumerThreads() throws Exception {
        Mutex mu = Mutex.create();
        Cond notEmpty = Cond.create(mu);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        AtomicInteger sum = new AtomicInteger();
        WaitGroup wg = WaitGroup.create();
        for (int c = 0; c < 2; c++) {
            wg.go(() -> {
                for (int i = 0; i < 500; i++) {
                    mu.withLock(() -> {
                        while (queue.isEmpty()) notEmpty.await();
                        sum.addAndGet(queue.removeFirst());
                    });
                }
            });
        }
        for (int i = 1; i <= 1_000; i++) {
            int item = i;
            mu.withLock(() -> {
                queue.addLast(item);
                notEmpty.signal();
            });
        }
        wg.await();
        assertEquals(1_000 * 1_001 / 2, sum.get());
        assertFalse(mu.isLocked());
    }

    @Test
    void broadcastWakesEveryWaiter() throws Exception {
        Mutex mu = Mutex.create();
        Cond go = Cond.create(mu);
        boolean[] open = {false};
        int waiters = 4;
        CountDownLatch entered = new CountDownLatch(waiters);
        CountDownLatch woke = new CountDownLatch(waiters);
        WaitGroup wg = WaitGroup.create();
        for (int i = 0; i < waiters; i++) {
            wg.go(() -> mu.withLock(() -> {
                entered.countDown();
                while (!open[0]) go.await(Context.background());
                woke.countDown();
            }));
        }
        // Every waiter has held the mutex; while the gate is shut, only await releases it, after
        // queuing the waiter. So once this thread gets the mutex, all of them are queued.
        assertTrue(entered.await(10, TimeUnit.SECONDS), "every waiter took the mutex");
        mu.withLock(() -> {
            open[0] = true;
            go.broadcast();
        });
        assertTrue(woke.await(10, TimeUnit.SECONDS), "every waiter woke");
        wg.await();
    }

    @Test
    void timeoutAndContextEndTheWaitHoldingTheMutexAgain() throws Exception {
        Mutex mu = Mutex.create();
        Cond cond = Cond.create(mu);
        mu.lock();
        TimeoutException timedOut = assertThrows(TimeoutException.class, () -> cond.await(Duration.ofMillis(20)));
        assertTrue(timedOut.getMessage().contains("PT0.02S"), timedOut.getMessage());
        assertTrue(mu.isLocked(), "held again after a timeout");
        assertThrows(TimeoutException.class, () -> cond.await(Duration.ZERO));
        assertTrue(mu.isLocked(), "held again after a zero timeout");
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(20))) {
            assertThrows(DeadlineExceededException.class, () -> cond.await(ctx));
        }
        assertTrue(mu.isLocked(), "held again after the context ended the wait");
        mu.unlock();
        assertThrows(IllegalStateException.class, cond::await, "await without the lock");
    }

    @Test
    void aSignalWithinTheTimeoutEndsTheWait() throws Exception {
        Mutex mu = Mutex.create();
        Cond cond = Cond.create(mu);
        mu.lock();
        Go.go(() -> {
            mu.lock(); // taken once await released it: the waiter is queued
            cond.signal();
            mu.unlock();
        });
        cond.await(Duration.ofSeconds(30));
        assertTrue(mu.isLocked());
        mu.unlock();
    }

    @Test
    void anInterruptedWaitHoldsTheMutexAgain() throws Exception {
        Mutex mu = Mutex.create();
        Cond cond = Cond.create(mu);
        AtomicInteger heldAfter = new AtomicInteger();
        Throwable e = Interrupting.interruptWhileBlocked(() -> {
            mu.lock();
            try {
                cond.await();
            } finally {
                if (mu.isLocked()) heldAfter.incrementAndGet();
                mu.unlock();
            }
        });
        assertInstanceOf(InterruptedException.class, e);
        assertEquals(1, heldAfter.get(), "the interrupted await took the mutex again");
        assertFalse(mu.isLocked());
    }

    @Test
    void wrapAndUnwrapShareOneCondition() throws Exception {
        Mutex mu = Mutex.create();
        dev.conduit.sync.Cond core = new dev.conduit.sync.Cond(mu.unwrap());
        Cond cond = Cond.wrap(core);
        assertSame(core, cond.unwrap());
        assertSame(mu.unwrap(), cond.mutex().unwrap(), "the facade's mutex is the core's");
        assertSame(mu.unwrap(), Cond.create(mu).mutex().unwrap());
        mu.lock();
        Go.go(() -> {
            mu.lock();
            core.signal(); // a signal on the core object wakes the Java waiter
            mu.unlock();
        });
        cond.await(Duration.ofSeconds(30));
        mu.unlock();
        assertEquals(core.toString(), cond.toString());
    }

    @Test
    void badInputs() {
        Mutex mu = Mutex.create();
        Cond cond = Cond.create(mu);
        BadInputs.check(
                row("create(null)", NullPointerException.class, "mutex", () -> Cond.create(null)),
                row("wrap(null)", NullPointerException.class, "core", () -> Cond.wrap(null)),
                row("await() unlocked", IllegalStateException.class, "mutex is not held", cond::await),
                row("await(null ctx)", NullPointerException.class, "ctx", () -> cond.await((dev.conduit.context.Context) null)),
                row("await(null timeout)", NullPointerException.class, "timeout", () -> cond.await((Duration) null)),
                row("await(cancelled ctx)", ContextCanceledException.class, "canceled", () -> {
                    mu.lock();
                    try {
                        cond.await(cancelled());
                    } finally {
                        mu.unlock();
                    }
                }));
        assertFalse(mu.isLocked());
    }
}
