package dev.conduit.java.sync;

import dev.conduit.context.Context;
import static dev.conduit.java.sync.BadInputs.assertFailedWith;
import static dev.conduit.java.sync.BadInputs.cancelled;
import static dev.conduit.java.sync.BadInputs.failsAtOnce;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WaitGroupTest {
    @Test
    void goCountsTasksInAndOutHoweverTheyEnd() throws Exception {
        WaitGroup wg = WaitGroup.create();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            int n = i;
            wg.go(() -> {
                ran.incrementAndGet();
                if (n % 2 == 0) throw new InterruptedException("task " + n + " stops early"); // counted out anyway
            });
        }
        wg.await();
        assertEquals(10, ran.get());
        assertEquals(0, wg.count());
    }

    @Test
    void goUnderAContextInterruptsTheTaskWhenItIsDone() throws Exception {
        WaitGroup wg = WaitGroup.create();
        CancelContext ctx = Context.background().withCancel();
        Interrupting.Blocker blocker = new Interrupting.Blocker();
        wg.go(ctx, blocker);
        assertTrue(blocker.started());
        assertEquals(1, wg.count());
        ctx.cancel();
        wg.await();
        assertTrue(blocker.interrupted(), "cancelling ctx interrupted the task");
    }

    @Test
    void addDoneAndTheAwaitForms() throws Exception {
        WaitGroup wg = WaitGroup.create();
        wg.await(); // zero: returns at once
        wg.await(Duration.ZERO);
        wg.add(2);
        CompletableFuture<Void> all = wg.awaitAsync();
        CompletableFuture<Void> allCtx = wg.awaitAsync(Context.background());
        TimeoutException timedOut = assertThrows(TimeoutException.class, () -> wg.await(Duration.ofMillis(20)));
        assertEquals("wait group count still 2 after PT0.02S", timedOut.getMessage());
        assertThrows(TimeoutException.class, () -> wg.await(Duration.ZERO));
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(20))) {
            assertThrows(DeadlineExceededException.class, () -> wg.await(ctx));
        }
        wg.done();
        assertFalse(all.isDone());
        assertEquals(1, wg.count());
        Go.go(wg::done);
        wg.await(Duration.ofSeconds(30));
        all.get(10, TimeUnit.SECONDS);
        allCtx.get(10, TimeUnit.SECONDS);
        wg.await(Context.background());
        assertEquals("negative WaitGroup counter: 0 + (-1)", assertThrows(IllegalStateException.class, wg::done).getMessage());
    }

    @Test
    void cancellingAnAsyncAwaitOnlyStopsWaiting() throws Exception {
        WaitGroup wg = WaitGroup.create();
        wg.add(1);
        CompletableFuture<Void> waiting = wg.awaitAsync();
        assertTrue(waiting.cancel(true));
        assertThrows(CancellationException.class, waiting::join, "a future its caller cancelled is a cancellation");
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<Void> ended = wg.awaitAsync(ctx);
        ctx.cancel();
        assertFailedWith(ctx.getErr(), ended);
        assertEquals(1, wg.count(), "the count is untouched");
        wg.done();
        wg.await();
    }

    @Test
    void anInterruptedAwaitThrows() throws Exception {
        WaitGroup wg = WaitGroup.create();
        wg.add(1);
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(wg::await));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> wg.await(Context.background())));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> wg.await(Duration.ofSeconds(30))));
        assertEquals(1, wg.count());
    }

    @Test
    void wrapAndUnwrapShareOneGroup() throws Exception {
        dev.conduit.sync.WaitGroup core = new dev.conduit.sync.WaitGroup();
        WaitGroup wg = WaitGroup.wrap(core);
        assertSame(core, wg.unwrap());
        wg.add(1);
        assertEquals(1, core.getCount());
        CompletableFuture<Void> waiting = wg.awaitAsync();
        core.done();
        waiting.get(10, TimeUnit.SECONDS);
        assertEquals(core.toString(), wg.toString());
    }

    @Test
    void badInputs() {
        WaitGroup wg = WaitGroup.create();
        BadInputs.check(
                row("wrap(null)", NullPointerException.class, "core", () -> WaitGroup.wrap(null)),
                row("add(-1) at zero", IllegalStateException.class, "negative WaitGroup counter: 0 + (-1)", () -> wg.add(-1)),
                row("add(MIN_VALUE) at zero", IllegalStateException.class, "negative WaitGroup counter: 0 + (" + Integer.MIN_VALUE + ")", () -> wg.add(Integer.MIN_VALUE)),
                row("done() at zero", IllegalStateException.class, "negative WaitGroup counter", wg::done),
                row("await(null ctx)", NullPointerException.class, "ctx", () -> wg.await((dev.conduit.context.Context) null)),
                row("await(null timeout)", NullPointerException.class, "timeout", () -> wg.await((Duration) null)),
                row("awaitAsync(null ctx)", NullPointerException.class, "ctx", () -> wg.awaitAsync(null)),
                row("go(null task)", NullPointerException.class, "task", () -> wg.go(null)),
                row("go(null ctx, task)", NullPointerException.class, "ctx", () -> wg.go(null, () -> {})),
                row("go(ctx, null task)", NullPointerException.class, "task", () -> wg.go(Context.background(), null)));
        assertEquals(0, wg.count(), "no bad call changed the count");
        wg.add(1);
        BadInputs.check(
                row("await(cancelled ctx)", ContextCanceledException.class, "canceled", () -> wg.await(cancelled())),
                row("awaitAsync(cancelled ctx)", ContextCanceledException.class, "canceled", () -> failsAtOnce(wg::awaitAsync)));
        assertEquals(1, wg.count());
    }
}
