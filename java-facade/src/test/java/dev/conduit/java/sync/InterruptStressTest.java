package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random interrupts against blocking acquire/release and lock/unlock from Java: an acquire
 * either throws InterruptedException holding nothing, or returns holding its permits (also when
 * the interrupt landed at the moment of the grant: then the interrupt status is set). At the end
 * every permit is available, the mutex is free, nobody waits, and exclusion was never broken.
 * Each run goes on until both outcomes happened hundreds of times, so it cannot pass without
 * exercising the race.
 */
@Timeout(120)
class InterruptStressTest {
    private static final boolean STRESS = Boolean.getBoolean("conduit.stress");
    private static final int WORKERS = 4;

    /** Each outcome (acquired, interrupted before the grant) must happen this often. */
    private static final int EACH = STRESS ? 20_000 : 500;

    /**
     * Runs WORKERS threads of {@code body} while a chaos thread interrupts them at random, until
     * {@code enough} says both outcomes happened often enough (at most 60 s).
     */
    private static void underInterrupts(Body body, java.util.function.BooleanSupplier enough) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(1); // enough rounds, or a failure
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(new Thread(() -> {
                try {
                    while (running.get()) {
                        body.round();
                        if (enough.getAsBoolean()) done.countDown();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    done.countDown();
                }
            }));
        }
        Thread chaos = new Thread(() -> {
            while (running.get()) {
                workers.get(ThreadLocalRandom.current().nextInt(WORKERS)).interrupt();
                for (int i = ThreadLocalRandom.current().nextInt(200); i > 0; i--) Thread.onSpinWait();
            }
        });
        chaos.start();
        workers.forEach(Thread::start);
        done.await(60, TimeUnit.SECONDS);
        running.set(false);
        for (Thread t : workers) t.join(10_000);
        chaos.join(10_000);
        if (failure.get() != null) throw new AssertionError("a worker failed", failure.get());
        assertTrue(enough.getAsBoolean(), "both outcomes happened often enough within 60 s");
    }

    /** Holds what was acquired for a moment, so that the other workers queue behind it. */
    private static void hold() {
        for (int i = ThreadLocalRandom.current().nextInt(100); i > 0; i--) Thread.onSpinWait();
    }

    private interface Body {
        void round() throws Exception;
    }

    @Test
    void semaphorePermitsSurviveRandomInterrupts() throws Exception {
        Semaphore sem = Semaphore.create(3);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        underInterrupts(() -> {
            long n = ThreadLocalRandom.current().nextInt(1, 3);
            try {
                sem.acquire(dev.conduit.context.Context.background(), n);
            } catch (InterruptedException e) {
                refused.incrementAndGet();
                return; // nothing held
            }
            Thread.interrupted(); // an interrupt that came with the grant: we hold the permits
            acquired.incrementAndGet();
            int now = inside.addAndGet((int) n);
            if (now > 3) throw new AssertionError(now + " permits held at once, capacity 3");
            hold();
            inside.addAndGet((int) -n);
            sem.release(n);
        }, () -> acquired.get() >= EACH && refused.get() >= EACH);
        assertEquals(3, sem.available(), "every permit is back");
        assertTrue(sem.tryAcquire(3), "nobody holds or waits for a permit");
    }

    @Test
    void mutexStaysExclusiveAndEndsFreeUnderRandomInterrupts() throws Exception {
        Mutex mu = Mutex.create();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger locked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        underInterrupts(() -> {
            try {
                mu.lock();
            } catch (InterruptedException e) {
                refused.incrementAndGet();
                return; // not held
            }
            Thread.interrupted();
            locked.incrementAndGet();
            if (inside.incrementAndGet() != 1) throw new AssertionError("two holders of one mutex");
            hold();
            inside.decrementAndGet();
            mu.unlock();
        }, () -> locked.get() >= EACH && refused.get() >= EACH);
        assertTrue(mu.tryLock(), "the mutex ends free");
    }
}
