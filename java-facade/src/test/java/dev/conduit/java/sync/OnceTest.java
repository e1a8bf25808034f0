package dev.conduit.java.sync;

import dev.conduit.java.chan.Channel;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.chan.Interrupting;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OnceTest {
    @Test
    void runsOnceAcrossJavaGoroutines() throws Exception {
        Once once = Once.create();
        AtomicInteger runs = new AtomicInteger();
        WaitGroup wg = WaitGroup.create();
        for (int i = 0; i < 50; i++) wg.go(() -> once.run(runs::incrementAndGet));
        wg.await();
        assertEquals(1, runs.get());
        assertTrue(once.isDone());
    }

    @Test
    void aFailureReachesOnlyTheCallerThatRanItAndStillCountsAsDone() throws Exception {
        Once once = Once.create();
        IOException e = assertThrows(IOException.class, () -> once.run(() -> {
            throw new IOException("no config file");
        }));
        assertEquals("no config file", e.getMessage());
        assertTrue(once.isDone());
        AtomicInteger later = new AtomicInteger();
        once.run(later::incrementAndGet);
        assertEquals(0, later.get(), "a later call does not run its action");
    }

    @Test
    void runAsyncRunsOnceAndDeliversTheFailure() throws Exception {
        Once once = Once.create();
        AtomicInteger runs = new AtomicInteger();
        once.runAsync(runs::incrementAndGet).get(10, TimeUnit.SECONDS);
        once.runAsync(runs::incrementAndGet).get(10, TimeUnit.SECONDS);
        assertEquals(1, runs.get());

        Once failing = Once.create();
        CompletableFuture<Void> f = failing.runAsync(() -> {
            throw new IOException("disk gone");
        });
        assertInstanceOf(IOException.class, assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause());
    }

    @Test
    void anInterruptedRunnerDoesNotCountAsDone() throws Exception {
        Once once = Once.create();
        CountDownLatch started = new CountDownLatch(1);
        Throwable e = Interrupting.interruptWhileBlocked(started, () -> once.run(() -> {
            started.countDown();
            Channel.create().receive(); // blocks until its thread is interrupted
        }));
        assertInstanceOf(InterruptedException.class, e);
        assertFalse(once.isDone(), "an action cut short by an interrupt does not count");
        AtomicInteger next = new AtomicInteger();
        once.run(next::incrementAndGet);
        assertEquals(1, next.get(), "the next caller runs its action");
    }

    @Test
    void cancellingARunAsyncInterruptsTheActionAndDoesNotCount() throws Exception {
        Once once = Once.create();
        Interrupting.Blocker blocker = new Interrupting.Blocker();
        CompletableFuture<Void> f = once.runAsync(blocker::run);
        assertTrue(blocker.started());
        assertTrue(f.cancel(true));
        assertTrue(blocker.interrupted(), "the action's thread was interrupted");
        AtomicInteger next = new AtomicInteger();
        once.run(next::incrementAndGet);
        assertEquals(1, next.get());
    }

    @Test
    void wrapAndUnwrapShareOneOnce() throws Exception {
        dev.conduit.sync.Once core = new dev.conduit.sync.Once();
        Once once = Once.wrap(core);
        assertSame(core, once.unwrap());
        once.run(() -> {});
        assertTrue(core.isDone(), "a Java run counts on the core Once");
    }

    @Test
    void badInputs() {
        Once once = Once.create();
        BadInputs.check(
                row("wrap(null)", NullPointerException.class, "core", () -> Once.wrap(null)),
                row("run(null)", NullPointerException.class, "action", () -> once.run(null)),
                row("runAsync(null)", NullPointerException.class, "action", () -> once.runAsync(null)));
        assertFalse(once.isDone());
    }
}
