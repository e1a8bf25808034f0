package dev.conduit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.GoRuntime;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.java.chan.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handle {@link Go#go} returns, and launchers with names and thread factories. */
@Timeout(60)
class GoroutineTest {
    @AfterEach
    void restoreHandler() {
        GoRuntime.setUncaughtExceptionHandler(null);
    }

    @Test
    void joinWaitsForTheTaskAndJoinWithATimeoutSaysWhetherItEnded() throws Exception {
        Channel<String> gate = Channel.create();
        Goroutine g = Go.go(gate::receive);
        assertFalse(g.join(Duration.ZERO), "blocked on the gate: not ended");
        assertFalse(g.isDone());
        gate.send("open");
        assertTrue(g.join(Duration.ofSeconds(10)));
        g.join();
        assertTrue(g.isDone());
        assertTrue(g.name().startsWith("goroutine-"), g.name());
    }

    @Test
    void cancelInterruptsARunningTaskWhichEndsNormally() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Goroutine g = Go.go(() -> {
            started.countDown();
            try {
                Channel.create().receive();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        g.cancel();
        assertTrue(g.join(Duration.ofSeconds(10)));
        assertTrue(interrupted.get(), "its blocking receive ended with InterruptedException");
        g.completion().toCompletableFuture().get(10, TimeUnit.SECONDS); // a cancellation is a normal end
        g.cancel(); // idempotent, and does nothing once ended
    }

    @Test
    void aTaskCancelledOrWhoseContextEndedBeforeItStartsNeverRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Goroutines held = Goroutines.builder().threadFactory(body -> new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                return;
            }
            body.run();
        })).build();
        AtomicBoolean ran = new AtomicBoolean();
        Goroutine g = held.go(() -> ran.set(true));
        g.cancel();
        assertTrue(g.isDone(), "cancelled before it started: ended at once");
        release.countDown();
        CancelContext done = Context.background().withCancel();
        done.cancel();
        Goroutine late = Go.go(done, () -> ran.set(true));
        assertTrue(late.join(Duration.ofSeconds(10)));
        assertFalse(ran.get(), "neither task ran");
    }

    @Test
    void aFailureIsReportedAndCompletesTheStageExceptionally() throws Exception {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        GoRuntime.setUncaughtExceptionHandler(reported::complete);
        IllegalStateException boom = new IllegalStateException("boom");
        Goroutine g = Go.go(() -> {
            throw boom;
        });
        g.join();
        assertTrue(reported.isDone(), "reported before the goroutine counts as ended");
        assertSame(boom, reported.get());
        ExecutionException e = assertThrows(ExecutionException.class, () -> g.completion().toCompletableFuture().get());
        assertSame(boom, e.getCause());
        g.completion().toCompletableFuture().obtrudeValue(null); // a copy: nobody but the goroutine ends its stage
        assertTrue(g.completion().toCompletableFuture().isCompletedExceptionally());
    }

    @Test
    void aNamedLauncherNamesItsThreadsAndAThreadFactoryMakesThem() throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        Goroutine g = Goroutines.builder().name("crawler").build().go(() -> thread.complete(Thread.currentThread().getName()));
        assertEquals(g.name(), thread.get(10, TimeUnit.SECONDS));
        assertTrue(g.name().matches("crawler-\\d+"), g.name());
        CompletableFuture<Boolean> daemon = new CompletableFuture<>();
        Goroutines own = Goroutines.builder().name("own").threadFactory(body -> {
            Thread t = new Thread(body);
            t.setDaemon(true);
            return t;
        }).build();
        own.go(Context.background(), () -> daemon.complete(Thread.currentThread().isDaemon())).join();
        assertTrue(daemon.get(10, TimeUnit.SECONDS), "the factory's thread ran it");
    }

    @Test
    void badLauncherSettingsAndAFactoryWithoutAThreadAreRefusedByName() {
        assertEquals("prefix must not be blank, but was \" \"",
                assertThrows(IllegalArgumentException.class, () -> Goroutines.builder().name(" ")).getMessage());
        assertEquals("prefix", assertThrows(NullPointerException.class, () -> Goroutines.builder().name(null)).getMessage());
        assertEquals("factory", assertThrows(NullPointerException.class, () -> Goroutines.builder().threadFactory(null)).getMessage());
        Goroutines none = Goroutines.builder().name("none").threadFactory(body -> null).build();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> none.go(() -> {}));
        assertTrue(e.getMessage().contains("none-1"), e.getMessage());
        assertInstanceOf(NullPointerException.class, assertThrows(NullPointerException.class, () -> Go.go(null)));
    }
}
