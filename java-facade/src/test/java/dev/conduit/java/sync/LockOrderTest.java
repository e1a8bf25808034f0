package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.sync.LockOrder;
import dev.conduit.sync.LockOrderException;
import dev.conduit.sync.LockOrderViolation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The lock-order checker and {@code lockAll} from Java threads. */
@Timeout(30)
class LockOrderTest {
    private final List<LockOrderViolation> found = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void on() {
        LockOrder.enable(found::add);
    }

    @AfterEach
    void off() {
        LockOrder.disable();
    }

    private static void nest(Mutex first, Mutex second) throws InterruptedException {
        first.withLock(() -> second.withLock(() -> {}));
    }

    private static void onThread(String name, Mutex first, Mutex second) throws Exception {
        Thread t = new Thread(() -> {
            try {
                nest(first, second);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.start();
        t.join(10_000);
        assertFalse(t.isAlive());
    }

    @Test
    void twoThreadsTakingTwoMutexesInOppositeOrdersAreReportedThoughThisRunDidNotDeadlock() throws Exception {
        Mutex accounts = Mutex.create("accounts");
        Mutex audit = Mutex.create("audit");
        onThread("transfer", accounts, audit);
        assertEquals(List.of(), found);
        onThread("report", audit, accounts);
        LockOrderViolation v = found.get(0);
        assertEquals(1, found.size());
        assertEquals(List.of("Mutex 'audit'", "Mutex 'accounts'"), v.getCycle());
        assertEquals("thread 'report'", v.getWitnesses().get(0).getBy());
        assertEquals("thread 'transfer'", v.getWitnesses().get(1).getBy());
        assertFalse(v.isSelfDeadlock());
        assertTrue(v.toString().contains("LockOrderTest"), v.toString());
    }

    @Test
    void theThrowingHandlerFailsTheLockBeforeItWaits() throws Exception {
        LockOrder.enable(LockOrder.THROW);
        Mutex a = Mutex.create("a");
        a.lock();
        LockOrderException e = assertThrows(LockOrderException.class, a::lock);
        assertTrue(e.getViolation().isSelfDeadlock());
        a.unlock();
        assertFalse(a.isLocked());
    }

    @Test
    void lockAllTakesAnySetInOneOrderSoCrossingThreadsNeverDeadlock() throws Exception {
        Mutex a = Mutex.create("a");
        Mutex b = Mutex.create("b");
        int[] count = {0};
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Mutex[] set = i == 0 ? new Mutex[] {a, b} : new Mutex[] {b, a};
                runs.add(threads.submit(() -> {
                    for (int j = 0; j < 2_000; j++) {
                        Mutex.lockAll(set);
                        count[0]++;
                        Mutex.unlockAll(set);
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) f.get(20, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(4_000, count[0]);
        assertEquals(List.of(), found, "lockAll's one order raises nothing");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Mutex.lockAll(a, a));
        assertEquals("mutexes must be distinct, but Mutex 'a' is given twice", twice.getMessage());
        assertFalse(a.isLocked());
        assertThrows(IllegalStateException.class, () -> Mutex.unlockAll(a, b));
    }

    @Test
    void anInterruptedLockAllHoldsNone() throws Exception {
        Mutex a = Mutex.create("a");
        Mutex b = Mutex.create("b");
        b.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Mutex.lockAll(b, a));
        assertFalse(a.isLocked(), "a, taken first, was given back");
        b.unlock();
    }
}
