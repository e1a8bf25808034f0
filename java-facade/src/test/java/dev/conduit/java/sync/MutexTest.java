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
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MutexTest {
    private int counter;

    @Test
    void guardsACounterAcrossJavaGoroutines() throws Exception {
        Mutex mu = Mutex.create();
        WaitGroup wg = WaitGroup.create();
        for (int g = 0; g < 8; g++) {
            wg.go(() -> {
                for (int i = 0; i < 2_000; i++) mu.withLock(() -> counter++);
            });
        }
        wg.await();
        assertEquals(16_000, counter);
        assertFalse(mu.isLocked());
        assertTrue(mu.tryLock(), "the mutex is free again");
    }

    @Test
    void blockingTryAndTimeoutForms() throws Exception {
        Mutex mu = Mutex.create();
        mu.lock();
        assertTrue(mu.isLocked());
        assertFalse(mu.tryLock());
        assertFalse(mu.tryLock(Duration.ofMillis(20)), "nobody unlocks within the timeout");
        assertFalse(mu.tryLock(Duration.ZERO));
        Interrupting.Call next = Interrupting.blocked(() -> mu.lock(Context.background()));
        mu.unlock();
        assertNull(next.result());
        assertTrue(mu.isLocked(), "the lock was handed to the waiter");
        mu.unlock();
        assertTrue(mu.tryLock(Duration.ofSeconds(10)));
        mu.unlock();
    }

    @Test
    void lockBoundedByAContextAndLoudUnlock() throws Exception {
        Mutex mu = Mutex.create();
        assertTrue(mu.tryLock());
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(20))) {
            assertThrows(DeadlineExceededException.class, () -> mu.lock(ctx));
        }
        mu.unlock();
        assertEquals("unlock of unlocked mutex", assertThrows(IllegalStateException.class, mu::unlock).getMessage());
    }

    @Test
    void asyncFormsAndCancellingWithdraws() throws Exception {
        Mutex mu = Mutex.create();
        mu.lockAsync().get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> second = mu.lockAsync(Context.background());
        CompletableFuture<Void> withdrawn = mu.lockAsync();
        assertTrue(withdrawn.cancel(true), "a waiting lock request is withdrawn");
        assertThrows(CancellationException.class, withdrawn::join, "a future its caller cancelled is a cancellation");
        mu.unlock();
        second.get(10, TimeUnit.SECONDS);
        mu.unlock();
        assertFalse(mu.isLocked(), "the withdrawn request was not handed the lock");

        mu.lock();
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<Void> waiting = mu.lockAsync(ctx);
        ctx.cancel();
        assertFailedWith(ctx.getErr(), waiting);
        mu.unlock();
        assertTrue(mu.tryLock(), "the request its context ended holds nothing");
    }

    @Test
    void withLockReleasesOnFailureAndPassesTheActionsException() throws Exception {
        Mutex mu = Mutex.create();
        IOException e = assertThrows(IOException.class, () -> mu.withLock(() -> {
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertFalse(mu.isLocked(), "released although the action threw");
        mu.withLock(Context.background(), () -> assertTrue(mu.isLocked(), "held while the action runs"));
        assertFalse(mu.isLocked());
        assertThrows(ContextCanceledException.class, () -> mu.withLock(cancelled(), () -> counter++));
        assertEquals(0, counter, "an action whose lock was never taken does not run");
    }

    @Test
    void anInterruptedLockDoesNotHoldIt() throws Exception {
        Mutex mu = Mutex.create();
        mu.lock();
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(mu::lock));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> mu.lock(Context.background())));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> mu.tryLock(Duration.ofSeconds(30))));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> mu.withLock(() -> counter++)));
        mu.unlock();
        assertTrue(mu.tryLock(), "no interrupted waiter holds or waits for the lock");
        assertEquals(0, counter);
    }

    @Test
    void wrapAndUnwrapShareOneLock() {
        dev.conduit.sync.Mutex core = new dev.conduit.sync.Mutex();
        Mutex mu = Mutex.wrap(core);
        assertSame(core, mu.unwrap());
        assertTrue(mu.tryLock());
        assertTrue(core.isLocked(), "a Java lock holds the core lock");
        core.unlock();
        assertFalse(mu.isLocked());
        assertEquals(core.toString(), mu.toString());
    }

    @Test
    void badInputs() {
        Mutex mu = Mutex.create();
        BadInputs.check(
                row("wrap(null)", NullPointerException.class, "core", () -> Mutex.wrap(null)),
                row("lock(null ctx)", NullPointerException.class, "ctx", () -> mu.lock(null)),
                row("lock(cancelled ctx)", ContextCanceledException.class, "canceled", () -> mu.lock(cancelled())),
                row("tryLock(null timeout)", NullPointerException.class, "timeout", () -> mu.tryLock(null)),
                row("lockAsync(null ctx)", NullPointerException.class, "ctx", () -> mu.lockAsync(null)),
                row("lockAsync(cancelled ctx)", ContextCanceledException.class, "canceled", () -> failsAtOnce(mu::lockAsync)),
                row("withLock(null action)", NullPointerException.class, "action", () -> mu.withLock(null)),
                row("withLock(ctx, null action)", NullPointerException.class, "action", () -> mu.withLock(Context.background(), null)),
                row("withLock(null ctx, action)", NullPointerException.class, "ctx", () -> mu.withLock(null, () -> {})),
                row("withLock(cancelled ctx, action)", ContextCanceledException.class, "canceled", () -> mu.withLock(cancelled(), () -> {})),
                row("unlock() unlocked", IllegalStateException.class, "unlock of unlocked mutex", mu::unlock));
        assertFalse(mu.isLocked(), "no bad call took the lock");
    }
}
