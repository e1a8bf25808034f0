package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.sync.Mutex;
import dev.conduit.sync.Semaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
 */
@Timeout(120)
class InterruptStressTest {
    private static final boolean STRESS = Boolean.getBoolean("conduit.stress");
    private static final int WORKERS = 4;
    private static final int ROUNDS = STRESS ? 20_000 : 3_000;

    /** Runs WORKERS threads of {@code body} while a chaos thread interrupts them at random. */
    private static void underInterrupts(Body body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < ROUNDS; i++) body.round();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers.add(t);
        }
        Thread chaos = new Thread(() -> {
            while (running.get()) {
                workers.get(ThreadLocalRandom.current().nextInt(WORKERS)).interrupt();
                Thread.onSpinWait();
                if (ThreadLocalRandom.current().nextInt(64) == 0) Thread.yield();
            }
        });
        workers.forEach(Thread::start);
        chaos.start();
        for (Thread t : workers) t.join(100_000);
        running.set(false);
        chaos.join(10_000);
        if (failure.get() != null) throw new AssertionError("a worker failed", failure.get());
    }

    private interface Body {
        void round() throws Exception;
    }

    @Test
    void semaphorePermitsSurviveRandomInterrupts() throws Exception {
        Semaphore sem = new Semaphore(3);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        underInterrupts(() -> {
            long n = ThreadLocalRandom.current().nextInt(1, 3);
            try {
                Semaphores.acquire(sem, dev.conduit.context.Context.background(), n);
            } catch (InterruptedException e) {
                refused.incrementAndGet();
                return; // nothing held
            }
            Thread.interrupted(); // an interrupt that came with the grant: we hold the permits
            acquired.incrementAndGet();
            int now = inside.addAndGet((int) n);
            if (now > 3) throw new AssertionError(now + " permits held at once, capacity 3");
            inside.addAndGet((int) -n);
            sem.release(n);
        });
        assertEquals(3, sem.getAvailable(), "every permit is back");
        assertTrue(sem.tryAcquire(3), "nobody holds or waits for a permit");
        assertTrue(acquired.get() > 0 && refused.get() > 0, "both outcomes happened: " + acquired + " / " + refused);
    }

    @Test
    void mutexStaysExclusiveAndEndsFreeUnderRandomInterrupts() throws Exception {
        Mutex mu = new Mutex();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger locked = new AtomicInteger();
        underInterrupts(() -> {
            try {
                Mutexes.lock(mu);
            } catch (InterruptedException e) {
                return; // not held
            }
            Thread.interrupted();
            locked.incrementAndGet();
            if (inside.incrementAndGet() != 1) throw new AssertionError("two holders of one mutex");
            inside.decrementAndGet();
            mu.unlock();
        });
        assertTrue(mu.tryLock(), "the mutex ends free");
        assertTrue(locked.get() > 0);
    }
}
