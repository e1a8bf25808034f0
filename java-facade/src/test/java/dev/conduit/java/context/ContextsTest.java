package dev.conduit.java.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.Stoppable;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.context.DeadlineExceededException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ContextsTest {
    @Test
    void tryWithResourcesCancelsAndCancellationReachesChildrenOnly() {
        Context parent = Contexts.withCancel(Contexts.background());
        CancelContext child;
        Context grandchild;
        try (CancelContext c = Contexts.withCancel(parent)) {
            child = c;
            grandchild = Contexts.withValue(c, "k", "v");
            assertNull(Contexts.err(c));
        }
        assertInstanceOf(ContextCanceledException.class, Contexts.err(child));
        assertSame(child.getErr(), Contexts.err(grandchild));
        assertNull(Contexts.err(parent));
    }

    @Test
    void timeoutCompletesTheDoneFutureWithDeadlineExceeded() throws Exception {
        CancelContext ctx = Contexts.withTimeout(Contexts.background(), Duration.ofMillis(30));
        Contexts.done(ctx).get(10, TimeUnit.SECONDS);
        assertInstanceOf(DeadlineExceededException.class, ctx.getErr());
        assertEquals("context deadline exceeded", ctx.getErr().getMessage());
    }

    @Test
    void childDeadlineNeverOutlivesItsParent() {
        CancelContext parent = Contexts.withTimeout(Contexts.background(), Duration.ofSeconds(1));
        CancelContext child = Contexts.withTimeout(parent, Duration.ofHours(1));
        assertEquals(parent.getDeadline(), child.getDeadline());
        parent.cancel();
        assertInstanceOf(ContextCanceledException.class, child.getErr());
    }

    @Test
    void valuesFindTheNearestKeyAndWithoutCancelDetaches() {
        CancelContext base = Contexts.withCancel(Contexts.withValue(Contexts.background(), "user", "ann"));
        Context ctx = Contexts.withValue(base, "user", "bob");
        assertEquals("bob", ctx.value("user"));
        Context detached = Contexts.withoutCancel(ctx);
        base.cancel();
        assertNull(detached.getErr());
        assertEquals("bob", detached.value("user"));
        assertThrows(NullPointerException.class, () -> Contexts.withValue(ctx, null, 1));
    }

    @Test
    void cancellingTheDoneFutureDoesNotCancelTheContext() {
        CancelContext ctx = Contexts.withCancel(Contexts.background());
        CompletableFuture<Void> done = Contexts.done(ctx);
        assertTrue(done.cancel(true));
        assertNull(ctx.getErr());
        ctx.cancel();
    }

    @Test
    void afterFuncRunsOnceDoneAndStopPreventsIt() throws Exception {
        CancelContext ctx = Contexts.withCancel(Contexts.background());
        CompletableFuture<String> ran = new CompletableFuture<>();
        Contexts.afterFunc(ctx, () -> ran.complete("ran"));
        Stoppable stopped = Contexts.afterFunc(ctx, () -> ran.complete("stopped one ran"));
        assertTrue(stopped.stop());
        ctx.cancel();
        assertEquals("ran", ran.get(10, TimeUnit.SECONDS));
        assertFalse(stopped.stop());
    }

    @Test
    void causeIsRecorded() {
        CancelContext ctx = Contexts.withCancel(Contexts.background());
        IllegalStateException why = new IllegalStateException("shutdown");
        ctx.cancel(why);
        assertSame(why, ctx.getCause());
        assertInstanceOf(ContextCanceledException.class, ctx.getErr());
    }
}
