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
class ContextTest {
    @Test
    void tryWithResourcesCancelsAndCancellationReachesChildrenOnly() {
        Context parent = Context.background().withCancel();
        CancelContext child;
        Context grandchild;
        try (CancelContext c = parent.withCancel()) {
            child = c;
            grandchild = c.withValue("k", "v");
            assertNull(c.getErr());
        }
        assertInstanceOf(ContextCanceledException.class, child.getErr());
        assertSame(child.getErr(), grandchild.getErr());
        assertNull(parent.getErr());
    }

    @Test
    void aTimeoutTooLongForAnInstantMeansNoDeadline() {
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofSeconds(Long.MAX_VALUE))) {
            assertNull(ctx.getDeadline(), "no deadline, not an ArithmeticException");
            assertNull(ctx.getErr());
        }
        try (CancelContext ctx = Context.background().withTimeout(Duration.ofSeconds(Long.MIN_VALUE))) {
            assertInstanceOf(DeadlineExceededException.class, ctx.getErr(), "a timeout too far back is done at once");
        }
    }

    @Test
    void timeoutCompletesTheDoneFutureWithDeadlineExceeded() throws Exception {
        CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(30));
        ctx.doneFuture().get(10, TimeUnit.SECONDS);
        assertInstanceOf(DeadlineExceededException.class, ctx.getErr());
        assertEquals("context deadline exceeded", ctx.getErr().getMessage());
    }

    @Test
    void childDeadlineNeverOutlivesItsParent() {
        // The parent's deadline is far enough off that it cannot pass before the cancel below,
        // however slow the machine: its err must be the cancel's.
        CancelContext parent = Context.background().withTimeout(Duration.ofMinutes(10));
        CancelContext child = parent.withTimeout(Duration.ofHours(1));
        assertEquals(parent.getDeadline(), child.getDeadline());
        parent.cancel();
        assertInstanceOf(ContextCanceledException.class, child.getErr());
    }

    @Test
    void valuesFindTheNearestKeyAndWithoutCancelDetaches() {
        CancelContext base = Context.background().withValue("user", "ann").withCancel();
        Context ctx = base.withValue("user", "bob");
        assertEquals("bob", ctx.value("user"));
        Context detached = ctx.withoutCancel();
        base.cancel();
        assertNull(detached.getErr());
        assertEquals("bob", detached.value("user"));
        assertThrows(NullPointerException.class, () -> ctx.withValue(null, 1));
    }

    @Test
    void cancellingTheDoneFutureDoesNotCancelTheContext() {
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<Void> done = ctx.doneFuture();
        assertTrue(done.cancel(true));
        assertNull(ctx.getErr());
        ctx.cancel();
    }

    @Test
    void afterFuncRunsOnceDoneAndStopPreventsIt() throws Exception {
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<String> ran = new CompletableFuture<>();
        ctx.afterFunc(() -> ran.complete("ran"));
        Stoppable stopped = ctx.afterFunc(() -> ran.complete("stopped one ran"));
        assertTrue(stopped.stop());
        ctx.cancel();
        assertEquals("ran", ran.get(10, TimeUnit.SECONDS));
        assertFalse(stopped.stop());
    }

    @Test
    void causeIsRecorded() {
        CancelContext ctx = Context.background().withCancel();
        IllegalStateException why = new IllegalStateException("shutdown");
        ctx.cancel(why);
        assertSame(why, ctx.getCause());
        assertInstanceOf(ContextCanceledException.class, ctx.getErr());
    }
}
