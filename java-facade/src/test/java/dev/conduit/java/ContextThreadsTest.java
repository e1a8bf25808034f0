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
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    @Test
    void untilShutdownLetsAStoppedProgramDrainAndPrintItsSummary() throws Exception {
        String out = stopSecondJvm("drain");
        assertTrue(out.contains("context done: context canceled (the JVM is shutting down)"), out);
        assertTrue(out.contains("summary: drained"), "the shutdown waited for the program to drain:\n" + out);
    }

    @Test
    void aProgramThatNeverDrainsIsStoppedAfterTheDrainBound() throws Exception {
        String out = stopSecondJvm("hang");
        assertTrue(out.contains("context done"), out);
        assertFalse(out.contains("summary"), out);
    }

    @Test
    void untilShutdownRefusesBadDrainsAndClosingRemovesTheHook() {
        assertEquals("drain", assertThrows(NullPointerException.class, () -> ContextThreads.untilShutdown(null)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ContextThreads.untilShutdown(Duration.ofSeconds(-1)))
                .getMessage().contains("drain must not be negative"));
        ContextThreads.ShutdownScope scope = ContextThreads.untilShutdown(Duration.ofSeconds(1));
        assertEquals(null, scope.context().getErr());
        scope.close();
        assertInstanceOf(ContextCanceledException.class, scope.context().getErr(), "closing cancels the context");
        scope.close(); // idempotent
    }

    /** Starts {@link ShutdownProgram} in a second JVM, stops it (SIGTERM) once it works, and returns its output. */
    private static String stopSecondJvm(String mode) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ShutdownProgram.class.getName(), mode)
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder out = new StringBuilder();
            String first = lines.readLine();
            out.append(first).append('\n');
            assertEquals("working", first, "the program started");
            p.toHandle().destroy(); // SIGTERM (the handle leaves our end of its output open): the JVM runs its shutdown hooks
            for (String line; (line = lines.readLine()) != null; ) out.append(line).append('\n');
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM exited");
            return out.toString();
        } finally {
            p.destroyForcibly();
        }
    }
}
