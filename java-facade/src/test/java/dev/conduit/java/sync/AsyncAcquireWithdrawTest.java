package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.chan.Abandon;
import dev.conduit.java.resilience.RateLimiter;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An acquire future (permits, a lock, a read lock, a rate limiter's wait, a barrier arrival)
 * that ends other than by its grant withdraws the request: the permits or the lock released
 * later go to the next caller, not to the abandoned request; the limiter's reservation is given
 * back; the barrier's round breaks, as for a cancelled arrival. Each row abandons a pending future one way ({@link Abandon}), waits for
 * that to end (bounded), releases, and checks that a {@code try} form gets what was released.
 */
@Timeout(60)
class AsyncAcquireWithdrawTest {
    static Stream<Abandon> rows() {
        return Abandon.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedAcquireIsGrantedNothing(Abandon abandon) throws Exception {
        Semaphore sem = Semaphore.create(2);
        assertTrue(sem.tryAcquire(2));
        CompletableFuture<Void> f = sem.acquireAsync();
        assertFalse(f.isDone(), "every permit is held");
        abandon.abandonAndAwait(f);
        sem.release(2);
        assertTrue(sem.tryAcquire(2), "the abandoned acquire must not hold a permit");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedMutexLockIsHandedNothing(Abandon abandon) throws Exception {
        assertAbandonedLockGetsNothing(Mutex.create(), abandon);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedWriteLockIsHandedNothing(Abandon abandon) throws Exception {
        assertAbandonedLockGetsNothing(RWMutex.create(), abandon);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedReadLockIsHandedNothing(Abandon abandon) throws Exception {
        RWMutex rw = RWMutex.create();
        assertTrue(rw.tryLock(), "the writer holds it");
        CompletableFuture<Void> f = rw.rLocker().lockAsync();
        assertFalse(f.isDone(), "a writer holds the lock");
        abandon.abandonAndAwait(f);
        rw.unlock();
        assertTrue(rw.tryLock(), "the abandoned read lock must not be held");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedBarrierArrivalBreaksTheRound(Abandon abandon) throws Exception {
        Barrier barrier = Barrier.create(3);
        CompletableFuture<Integer> kept = barrier.awaitAsync();
        CompletableFuture<Integer> f = barrier.awaitAsync();
        abandon.abandonAndAwait(f);
        assertTrue(barrier.isBroken(), "an abandoned arrival must not stay counted: it breaks the round, as a cancelled one does");
        ExecutionException e = assertThrows(ExecutionException.class, () -> kept.get(10, TimeUnit.SECONDS));
        assertInstanceOf(BrokenBarrierException.class, e.getCause());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedRateLimiterWaitGivesItsTokenBack(Abandon abandon) throws Exception {
        RateLimiter limiter = RateLimiter.create(0.1, 1);
        assertTrue(limiter.allow());
        CompletableFuture<Void> f = limiter.awaitAsync();
        assertTrue(limiter.tokens() < -0.9, "the wait holds a reservation");
        abandon.abandonAndAwait(f);
        assertTrue(limiter.tokens() > -0.1, "the abandoned wait must give its reservation back: " + limiter.tokens());
    }

    private static void assertAbandonedLockGetsNothing(Locker lock, Abandon abandon) throws Exception {
        assertTrue(lock.tryLock());
        CompletableFuture<Void> f = lock.lockAsync();
        assertFalse(f.isDone(), "the lock is held");
        abandon.abandonAndAwait(f);
        lock.unlock();
        assertTrue(lock.tryLock(), "the abandoned lock request must not hold the lock");
    }
}
