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
class RWMutexTest {
    private long value;

    @Test
    void readersShareAndWritersExclude() throws Exception {
        RWMutex rw = RWMutex.create();
        AtomicInteger writers = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        WaitGroup wg = WaitGroup.create();
        for (int g = 0; g < 2; g++) {
            wg.go(() -> {
                for (int i = 0; i < 1_000; i++) {
                    rw.withLock(() -> {
                        if (writers.incrementAndGet() != 1 || rw.readersHeld() != 0) violations.incrementAndGet();
                        value++;
                        writers.decrementAndGet();
                    });
                }
            });
        }
        for (int g = 0; g < 4; g++) {
            wg.go(() -> {
                for (int i = 0; i < 1_000; i++) {
                    rw.rLocker().withLock(() -> {
                        if (writers.get() != 0 || rw.isWriteLocked()) violations.incrementAndGet();
                    });
                }
            });
        }
        wg.await();
        assertEquals(0, violations.get());
        assertEquals(2_000, value);
        assertTrue(rw.tryLock());
        assertFalse(rw.tryRLock());
        rw.unlock();
        assertEquals("rUnlock of unlocked RWMutex", assertThrows(IllegalStateException.class, rw::rUnlock).getMessage());
        assertEquals("unlock of unlocked RWMutex", assertThrows(IllegalStateException.class, rw::unlock).getMessage());
    }

    @Test
    void aWaitingWriterHoldsBackLaterReaders() throws Exception {
        RWMutex rw = RWMutex.create();
        rw.rLock();
        Interrupting.Call writer = Interrupting.blocked(() -> rw.lock(Context.background()));
        assertFalse(rw.tryRLock(), "a reader arriving after a waiting writer waits");
        assertFalse(rw.rLocker().tryLock(Duration.ofMillis(20)), "and times out behind it");
        CompletableFuture<Void> reader = rw.rLocker().lockAsync();
        rw.rUnlock();
        assertNull(writer.result());
        assertTrue(rw.isWriteLocked());
        assertFalse(reader.isDone(), "the queued reader waits for the writer");
        rw.unlock();
        reader.get(10, TimeUnit.SECONDS);
        assertEquals(1, rw.readersHeld());
        rw.rLocker().lock(Context.background());
        assertEquals(2, rw.readersHeld(), "readers share");
        rw.rUnlock();
        rw.rUnlock();
    }

    @Test
    void timeoutAndContextFormsGiveUpHoldingNothing() throws Exception {
        RWMutex rw = RWMutex.create();
        assertTrue(rw.tryLock(Duration.ZERO), "free now: a zero timeout takes it");
        assertFalse(rw.tryLock(Duration.ofMillis(20)));
        assertFalse(rw.rLocker().tryLock(Duration.ZERO));
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(20))) {
            assertThrows(DeadlineExceededException.class, () -> rw.rLocker().lock(ctx));
        }
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(20))) {
            assertThrows(DeadlineExceededException.class, () -> rw.lock(ctx));
        }
        rw.unlock();
        assertTrue(rw.rLocker().tryLock(Duration.ofSeconds(10)));
        rw.rUnlock();
        assertTrue(rw.tryLock(), "nothing is held or waiting");
        rw.unlock();
    }

    @Test
    void asyncFormsAndCancellingWithdraws() throws Exception {
        RWMutex rw = RWMutex.create();
        rw.lockAsync().get(10, TimeUnit.SECONDS);
        assertTrue(rw.isWriteLocked());
        CompletableFuture<Void> withdrawnWriter = rw.lockAsync(Context.background());
        CompletableFuture<Void> withdrawnReader = rw.rLocker().lockAsync(Context.background());
        assertTrue(withdrawnWriter.cancel(true));
        assertTrue(withdrawnReader.cancel(true));
        assertThrows(CancellationException.class, withdrawnReader::join, "a future its caller cancelled is a cancellation");
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<Void> ended = rw.rLocker().lockAsync(ctx);
        ctx.cancel();
        assertFailedWith(ctx.getErr(), ended);
        rw.unlock();
        assertEquals(0, rw.readersHeld(), "no withdrawn request holds a read lock");
        assertTrue(rw.tryLock(), "and none holds or waits for the write lock");
        rw.unlock();
    }

    @Test
    void aCancelRacingTheGrantNeverLeavesTheLockHeld() throws Exception {
        RWMutex rw = RWMutex.create();
        for (int i = 0; i < 2_000; i++) {
            rw.lock();
            CompletableFuture<Void> writer = rw.lockAsync();
            CompletableFuture<Void> reader = rw.rLocker().lockAsync();
            Thread unlocker = new Thread(rw::unlock);
            unlocker.start();
            boolean writerWithdrawn = writer.cancel(true);
            unlocker.join(10_000);
            if (!writerWithdrawn) {
                writer.join();
                rw.unlock();
            }
            if (!reader.cancel(true)) {
                reader.join();
                rw.rUnlock();
            }
            assertTrue(rw.tryLock(), "round " + i + ": a cancelled request holds nothing");
            rw.unlock();
        }
    }

    @Test
    void anInterruptedLockHoldsNothing() throws Exception {
        RWMutex rw = RWMutex.create();
        rw.lock();
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(rw::lock));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(rw::rLock));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> rw.tryLock(Duration.ofSeconds(30))));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> rw.rLocker().tryLock(Duration.ofSeconds(30))));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> rw.rLocker().withLock(Context.background(), () -> value++)));
        rw.unlock();
        assertEquals(0, value, "no action ran without its lock");
        assertTrue(rw.tryLock(), "no interrupted waiter holds or waits for the lock");
        rw.unlock();
    }

    @Test
    void wrapAndUnwrapShareOneLock() throws Exception {
        dev.conduit.sync.RWMutex core = new dev.conduit.sync.RWMutex();
        RWMutex rw = RWMutex.wrap(core);
        assertSame(core, rw.unwrap());
        rw.rLock();
        assertEquals(1, core.getReadersHeld());
        assertFalse(core.tryLock(), "the Java read lock keeps the core's writers out");
        core.rUnlock();
        assertTrue(rw.tryLock());
        assertTrue(core.isWriteLocked());
        core.unlock();
        assertEquals(core.toString(), rw.toString());
    }

    @Test
    void badInputs() {
        RWMutex rw = RWMutex.create();
        BadInputs.check(
                row("wrap(null)", NullPointerException.class, "core", () -> RWMutex.wrap(null)),
                row("lock(null ctx)", NullPointerException.class, "ctx", () -> rw.lock(null)),
                row("lock(cancelled ctx)", ContextCanceledException.class, "canceled", () -> rw.lock(cancelled())),
                row("rLocker().lock(null ctx)", NullPointerException.class, "ctx", () -> rw.rLocker().lock(null)),
                row("rLocker().lock(cancelled ctx)", ContextCanceledException.class, "canceled", () -> rw.rLocker().lock(cancelled())),
                row("tryLock(null timeout)", NullPointerException.class, "timeout", () -> rw.tryLock(null)),
                row("rLocker().tryLock(null timeout)", NullPointerException.class, "timeout", () -> rw.rLocker().tryLock(null)),
                row("lockAsync(null ctx)", NullPointerException.class, "ctx", () -> rw.lockAsync(null)),
                row("lockAsync(cancelled ctx)", ContextCanceledException.class, "canceled", () -> failsAtOnce(rw::lockAsync)),
                row("rLocker().lockAsync(null ctx)", NullPointerException.class, "ctx", () -> rw.rLocker().lockAsync(null)),
                row("rLocker().lockAsync(cancelled ctx)", ContextCanceledException.class, "canceled", () -> failsAtOnce(rw.rLocker()::lockAsync)),
                row("withLock(null action)", NullPointerException.class, "action", () -> rw.withLock(null)),
                row("withLock(null ctx, action)", NullPointerException.class, "ctx", () -> rw.withLock(null, () -> {})),
                row("rLocker().withLock(null action)", NullPointerException.class, "action", () -> rw.rLocker().withLock(null)),
                row("rLocker().withLock(ctx, null action)", NullPointerException.class, "action", () -> rw.rLocker().withLock(Context.background(), null)),
                row("rLocker().withLock(cancelled ctx, action)", ContextCanceledException.class, "canceled", () -> rw.rLocker().withLock(cancelled(), () -> {})),
                row("unlock() unlocked", IllegalStateException.class, "unlock of unlocked RWMutex", rw::unlock),
                row("rUnlock() unlocked", IllegalStateException.class, "rUnlock of unlocked RWMutex", rw::rUnlock));
        assertTrue(rw.tryLock(), "no bad call took a lock");
    }
}
