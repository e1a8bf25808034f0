package dev.conduit.java.sync;

import dev.conduit.java.chan.Channel;
import dev.conduit.context.Context;
import static dev.conduit.java.sync.BadInputs.cancelled;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.java.chan.Interrupting;
import dev.conduit.sync.ErrGroupException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ErrGroupTest {
    @Test
    void failFastInterruptsBlockedSiblingsAndWrapsACheckedFailure() throws Exception {
        ErrGroup group = ErrGroup.create(Context.background());
        AtomicInteger interrupted = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            group.go("blocked " + i, ctx -> {
                started.countDown();
                try {
                    Channel.create().receive();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
            });
        }
        group.go("fails", ctx -> {
            started.await(); // fail only once every sibling is running, so each one is interrupted
            throw new IOException("no route to host");
        });
        TaskFailedException e = assertThrows(TaskFailedException.class, group::await);
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals("no route to host", e.getCause().getMessage());
        assertEquals("task 'fails' failed: java.io.IOException: no route to host", e.getMessage());
        assertEquals(3, interrupted.get());
        assertNotNull(group.ctx().getErr(), "the group's context is cancelled");
        assertEquals(1, group.failures().size(), "the interrupted siblings did not fail");
    }

    @Test
    void failFastRethrowsAnUncheckedFailureAsItIs() throws Exception {
        ErrGroup group = ErrGroup.create();
        IllegalStateException boom = new IllegalStateException("boom");
        group.go(ctx -> {
            throw boom;
        });
        IllegalStateException thrown = assertThrows(IllegalStateException.class, group::await);
        // The task's own exception, though tests run with -ea (kotlinx.coroutines' debug mode,
        // whose stack-trace recovery copies exceptions that leave a withContext).
        assertSame(boom, thrown, "the task's own exception");
        assertSame(group.failures().get(0).getError(), thrown, "the failure the group recorded");
        assertEquals("0", group.failures().get(0).getTask(), "an unnamed task is reported by its number");
    }

    @Test
    void collectAllReportsEveryFailureAndKeepsEveryResult() throws Exception {
        ErrGroup group = ErrGroup.collectAll(Context.background());
        ConcurrentHashMap<String, Integer> lengths = new ConcurrentHashMap<>();
        for (String word : List.of("alpha", "", "gamma", "", "epsilon")) {
            group.go("word '" + word + "'", ctx -> {
                if (word.isEmpty()) throw new IllegalArgumentException("empty word");
                lengths.put(word, word.length());
            });
        }
        ErrGroupException e = assertThrows(ErrGroupException.class, group::await);
        assertEquals(2, e.getFailures().size());
        assertInstanceOf(IllegalArgumentException.class, e.getFailures().get(0).getError());
        assertEquals(3, lengths.size());
        assertEquals(2, group.failures().size());
    }

    @Test
    void collectAllUnderBackground() throws Exception {
        ErrGroup group = ErrGroup.collectAll();
        group.go(ctx -> {
            throw new IOException("one");
        });
        group.go(ctx -> {
            throw new IOException("two");
        });
        assertEquals(2, assertThrows(ErrGroupException.class, group::await).getFailures().size());
    }

    @Test
    void limitAndTryGo() throws Exception {
        ErrGroup group = ErrGroup.create();
        group.setLimit(1);
        CountDownLatch release = new CountDownLatch(1);
        assertTrue(group.tryGo("holder", ctx -> release.await(10, TimeUnit.SECONDS)));
        assertFalse(group.tryGo("second", ctx -> {}));
        assertFalse(group.tryGo(ctx -> {}));
        release.countDown();
        group.go(ctx -> {});
        group.await();
        ErrGroup unlimited = ErrGroup.create();
        unlimited.setLimit(-1);
        assertTrue(unlimited.tryGo(ctx -> {}));
        unlimited.await();
    }

    @Test
    void aGoBlockedOnTheLimitEndsWithTheGroupsContextOrAnInterrupt() throws Exception {
        CancelContext parent = Context.background().withCancel();
        ErrGroup group = ErrGroup.create(parent);
        group.setLimit(1);
        CountDownLatch release = new CountDownLatch(1);
        group.go("holder", ctx -> {
            // Keeps its slot until released, even when the group's cancellation interrupts it.
            while (true) {
                try {
                    release.await();
                    return;
                } catch (InterruptedException ignored) {
                    // hold on
                }
            }
        });
        AtomicInteger ran = new AtomicInteger();
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> group.go(ctx -> ran.incrementAndGet())));
        Interrupting.Call waiting = Interrupting.blocked(() -> group.go("waiting", ctx -> ran.incrementAndGet()));
        parent.cancel();
        assertInstanceOf(ContextCanceledException.class, waiting.result());
        assertThrows(ContextCanceledException.class, () -> group.go("late", ctx -> ran.incrementAndGet()));
        release.countDown();
        assertThrows(ContextCanceledException.class, group::await, "no task failed, but the parent was cancelled");
        assertEquals(0, ran.get(), "no task waiting for a slot was started");
    }

    @Test
    void awaitAsyncDeliversTheFailureUnwrappedAndCancellingItCancelsTheTasks() throws Exception {
        ErrGroup failing = ErrGroup.create();
        failing.go(ctx -> {
            throw new IOException("down");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> failing.awaitAsync().get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());

        ErrGroup group = ErrGroup.create();
        Interrupting.Blocker blocker = new Interrupting.Blocker();
        group.go(ctx -> blocker.run());
        assertTrue(blocker.started());
        CompletableFuture<Void> waiting = group.awaitAsync();
        assertTrue(waiting.cancel(true));
        assertTrue(blocker.interrupted(), "cancelling the wait interrupted the task");
        assertNotNull(group.ctx().getErr());
    }

    @Test
    void anInterruptedAwaitCancelsTheTasks() throws Exception {
        ErrGroup group = ErrGroup.create();
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        group.go(ctx -> {
            started.countDown();
            try {
                Channel.create().receive();
            } catch (InterruptedException stop) {
                interrupted.incrementAndGet();
                throw stop;
            }
        });
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(started, group::await));
        assertEquals(1, interrupted.get(), "the task had ended when await threw");
    }

    @Test
    void wrapAndUnwrapShareOneGroup() throws Exception {
        dev.conduit.sync.ErrGroup core = new dev.conduit.sync.ErrGroup();
        ErrGroup group = ErrGroup.wrap(core);
        assertSame(core, group.unwrap());
        assertSame(core.getCtx(), group.ctx());
        group.go("java task", ctx -> {
            throw new IOException("from Java");
        });
        assertThrows(TaskFailedException.class, group::await);
        assertEquals("java task", core.failures().get(0).getTask(), "a Java task's failure is the core group's");
    }

    @Test
    void badInputs() throws Exception {
        ErrGroup group = ErrGroup.create();
        BadInputs.check(
                row("create(null)", NullPointerException.class, "parent", () -> ErrGroup.create(null)),
                row("collectAll(null)", NullPointerException.class, "parent", () -> ErrGroup.collectAll(null)),
                row("wrap(null)", NullPointerException.class, "core", () -> ErrGroup.wrap(null)),
                row("setLimit(0)", IllegalArgumentException.class, "limit must be positive, or negative for none, but was 0", () -> group.setLimit(0)),
                row("go(null)", NullPointerException.class, "task", () -> group.go(null)),
                row("go(null name, task)", NullPointerException.class, "name", () -> group.go(null, ctx -> {})),
                row("go(name, null)", NullPointerException.class, "task", () -> group.go("n", null)),
                row("tryGo(null)", NullPointerException.class, "task", () -> group.tryGo(null)),
                row("tryGo(null name, task)", NullPointerException.class, "name", () -> group.tryGo(null, ctx -> {})),
                row("tryGo(name, null)", NullPointerException.class, "task", () -> group.tryGo("n", null)));
        group.setLimit(Integer.MAX_VALUE); // huge is fine: a bound nobody reaches
        group.await();
        ErrGroup underCancelled = ErrGroup.create(cancelled());
        BadInputs.check(
                row("go with a limit under a cancelled context", ContextCanceledException.class, "canceled", () -> {
                    underCancelled.setLimit(1);
                    underCancelled.go(ctx -> {});
                }),
                row("await under a cancelled context", ContextCanceledException.class, "canceled", underCancelled::await));
    }
}
