package dev.conduit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.java.chan.Interrupting;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A context reaching JDK blocking calls through the thread's interrupt. */
@Timeout(60)
class ContextThreadsTest {
    @Test
    void aJdkBlockingCallEndsWhenTheContextIsDoneInsideTheScope() throws Exception {
        CancelContext ctx = Context.background().withCancel();
        CountDownLatch inScope = new CountDownLatch(1);
        Interrupting.Call call = Interrupting.start(() -> {
            try (var scope = ContextThreads.interruptOnDone(ctx)) {
                inScope.countDown();
                new LinkedBlockingQueue<String>().take(); // knows nothing of contexts
            }
        });
        assertTrue(inScope.await(10, TimeUnit.SECONDS));
        Interrupting.awaitBlocked(call.thread());
        ctx.cancel();
        assertInstanceOf(InterruptedException.class, call.result(), "take() ended with InterruptedException");
    }

    @Test
    void afterTheScopeClosesTheContextNoLongerInterruptsAndAnUnusedInterruptIsCleared() throws Exception {
        CancelContext ctx = Context.background().withCancel();
        ContextThreads.Interruption scope = ContextThreads.interruptOnDone(ctx);
        ctx.cancel();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!scope.hasInterrupted()) { // afterFunc runs in its own goroutine
            assertTrue(System.nanoTime() < deadline, "the interrupt never came");
            Thread.onSpinWait();
        }
        scope.close();
        assertFalse(Thread.currentThread().isInterrupted(), "the scope's own, unconsumed interrupt is cleared on close");
        scope.close(); // idempotent
        CancelContext later = Context.background().withCancel();
        ContextThreads.Interruption closed = ContextThreads.interruptOnDone(later);
        closed.close(); // stops the watch: the cancel below has nothing to run
        later.cancel();
        assertFalse(closed.hasInterrupted());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void sleepWaitsItsTimeOrEndsWithTheContextsError() throws Exception {
        ContextThreads.sleep(Context.background(), Duration.ofMillis(5));
        ContextThreads.sleep(Context.background(), Duration.ZERO);
        CancelContext cancelled = Context.background().withCancel();
        cancelled.cancel();
        assertThrows(ContextCanceledException.class, () -> ContextThreads.sleep(cancelled, Duration.ZERO),
                "a done context fails at once, even for a zero sleep");
        try (CancelContext soon = Context.background().withTimeout(Duration.ofMillis(10))) {
            assertThrows(DeadlineExceededException.class, () -> ContextThreads.sleep(soon, Duration.ofHours(1)));
        }
        assertInstanceOf(InterruptedException.class,
                Interrupting.interruptWhileBlocked(() -> ContextThreads.sleep(Context.background(), Duration.ofHours(1))));
        assertEquals("duration", assertThrows(NullPointerException.class, () -> ContextThreads.sleep(Context.background(), null)).getMessage());
        assertEquals("ctx", assertThrows(NullPointerException.class, () -> ContextThreads.interruptOnDone(null)).getMessage());
    }
}
