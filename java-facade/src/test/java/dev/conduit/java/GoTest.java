package dev.conduit.java;

import dev.conduit.context.Context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.conduit.GoRuntime;
import dev.conduit.context.CancelContext;
import dev.conduit.java.chan.Channel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class GoTest {
    @AfterEach
    void restoreHandler() {
        GoRuntime.setUncaughtExceptionHandler(null);
    }

    @Test
    void runsTheTaskConcurrently() throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        Go.go(() -> thread.complete(Thread.currentThread().getName()));
        thread.get(10, TimeUnit.SECONDS);
        assertEquals(Runtime.version().feature() >= 21, Go.usesVirtualThreads());
    }

    @Test
    void anEscapingExceptionReachesTheHandler() throws Exception {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        GoRuntime.setUncaughtExceptionHandler(reported::complete);
        Go.go(() -> {
            throw new IllegalStateException("boom");
        });
        assertEquals("boom", reported.get(10, TimeUnit.SECONDS).getMessage());
    }

    @Test
    void cancellationEndingATaskIsNotReported() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        GoRuntime.setUncaughtExceptionHandler(reported::add);
        CancelContext ctx = Context.background().withCancel();
        ctx.cancel();
        Go.go(() -> {
            throw new InterruptedException("stop");
        }).join();
        Go.go(() -> Channel.create().receive(ctx)).join();
        assertEquals(List.of(), reported, "an InterruptedException or a context's error ends a task quietly");
        java.io.IOException failure = new java.io.IOException("a real failure");
        Go.go(() -> {
            throw failure;
        }).join();
        assertEquals(List.of(failure), reported, "a real failure is reported before the goroutine ends");
    }

    @Test
    void aWorkerUnderAContextIsInterruptedWhenItIsCancelled() throws Exception {
        CancelContext ctx = Context.background().withCancel();
        Channel<Integer> never = Channel.create();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Channel<String> started = Channel.create();
        Go.go(ctx, () -> {
            try {
                started.send("started");
                never.receive();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        started.receive();
        ctx.cancel();
        assertInstanceOf(InterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
    }
}
