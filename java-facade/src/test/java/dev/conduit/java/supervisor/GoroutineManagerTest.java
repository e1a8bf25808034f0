package dev.conduit.java.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import dev.conduit.context.Context;
import dev.conduit.java.chan.Channel;
import dev.conduit.supervisor.GoroutineInfo;
import dev.conduit.supervisor.GoroutineManagerClosedException;
import dev.conduit.supervisor.GoroutineManagerException;
import dev.conduit.supervisor.GoroutineManagerPhase;
import dev.conduit.supervisor.GoroutineManagerReport;
import dev.conduit.supervisor.GoroutineManagerState;
import dev.conduit.supervisor.GoroutineState;
import dev.conduit.supervisor.ManagedGoroutineFailure;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The goroutine manager from Java: real goroutine threads, every wait bounded by a latch or a timeout. */
@Timeout(60)
class GoroutineManagerTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    private static List<String> names(List<GoroutineInfo> gs) {
        return gs.stream().map(GoroutineInfo::getName).collect(Collectors.toList());
    }

    @Test
    void goBlocksForASlotAndTryGoRefusesWhenFull() throws Exception {
        GoroutineManager m = GoroutineManager.create(Context.background(), "m", 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        for (String name : List.of("a", "b")) {
            m.go(name, Map.of("part", name), g -> {
                started.countDown();
                release.await();
            });
        }
        assertTrue(started.await(30, TimeUnit.SECONDS));
        AtomicReference<ManagedGoroutine> self = new AtomicReference<>();
        CompletableFuture<ManagedGoroutine> third = m.goAsync("c", self::set);
        assertFalse(third.isDone(), "the third waits for a slot");
        GoroutineInfo waiting = m.goroutines().get(2);
        assertEquals("c", waiting.getName());
        assertEquals(GoroutineState.BLOCKED, waiting.getState());
        assertEquals("a slot of manager 'm'", waiting.getBlockedOn());
        assertEquals(Map.of("part", "a"), m.goroutines().get(0).getLabels());
        assertTrue(m.tryGo("d", g -> {}).isEmpty(), "tryGo refuses while every slot is taken");
        release.countDown();
        ManagedGoroutine c = third.get(30, TimeUnit.SECONDS);
        assertTrue(c.join(LONG));
        assertEquals(c, self.get(), "the task's own handle is the one go returned");
        m.await();
        assertEquals(GoroutineState.FINISHED, c.state());
        assertEquals(GoroutineManagerState.TERMINATED, m.state());
    }

    @Test
    void aGoWaitingForASlotIsWithdrawnByAnInterruptOrByCancellingItsFuture() throws Exception {
        GoroutineManager m = GoroutineManager.create(Context.background(), "m", 1);
        CountDownLatch release = new CountDownLatch(1);
        m.go("holder", g -> release.await());
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Throwable> interrupted = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                m.go("interrupted", g -> ran.set(true));
                interrupted.complete(null);
            } catch (Throwable e) {
                interrupted.complete(e);
            }
        });
        waiter.start();
        while (m.goroutines().size() < 2) Thread.onSpinWait(); // until it is queued for the slot
        waiter.interrupt();
        Throwable thrown = interrupted.get(30, TimeUnit.SECONDS);
        assertTrue(thrown instanceof InterruptedException, "go ended with " + thrown);
        CompletableFuture<ManagedGoroutine> cancelled = m.goAsync("cancelled", g -> ran.set(true));
        assertTrue(cancelled.cancel(true), "the wait for a slot was withdrawn");
        assertEquals(List.of("holder"), names(m.goroutines()), "neither is listed any more");
        release.countDown();
        m.await();
        assertFalse(ran.get(), "neither ever ran");
    }

    @Test
    void awaitJoinsEveryErrorWithItsGoroutineAndErrorsStreamsThemInOrder() throws Exception {
        GoroutineManager m = GoroutineManager.create(Context.background(), "m", 4);
        IOException disk = new IOException("disk full");
        IllegalStateException state = new IllegalStateException("bad state");
        CountDownLatch second = new CountDownLatch(1);
        m.go("writer", g -> {
            throw disk;
        });
        m.go("checker", g -> {
            second.await();
            throw state;
        });
        ManagedGoroutineFailure first = m.errors().receive();
        assertEquals("writer", first.getGoroutine());
        assertSame(disk, first.getError());
        second.countDown();
        assertEquals("checker", m.errors().receive().getGoroutine());
        GoroutineManagerException e = assertThrows(GoroutineManagerException.class, m::await);
        assertEquals(List.of("writer", "checker"), e.getFailures().stream().map(ManagedGoroutineFailure::getGoroutine).collect(Collectors.toList()));
        assertSame(disk, e.getCause());
        assertEquals(List.of(disk, state), Arrays.asList(e.getSuppressed()));
        assertFalse(m.errors().receiveOk().isOk(), "closed once the manager ended");
    }

    @Test
    void cleanupsRunLastInFirstOutAndAFailingOneIsReportedWhileTheOthersRun() throws Exception {
        GoroutineManager m = GoroutineManager.create(4);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        IOException closeFailed = new IOException("close failed");
        m.defer(() -> ran.add("manager"));
        m.go("g", g -> {
            g.defer(() -> ran.add("c1"));
            g.defer(() -> {
                throw closeFailed;
            });
            g.defer(() -> ran.add("c3"));
            throw new IllegalArgumentException("task failed");
        });
        GoroutineManagerException e = assertThrows(GoroutineManagerException.class, m::await);
        assertEquals(List.of("c3", "c1", "manager"), ran);
        assertEquals(2, e.getFailures().size());
        assertFalse(e.getFailures().get(0).isInCleanup());
        assertTrue(e.getFailures().get(1).isInCleanup());
        assertSame(closeFailed, e.getFailures().get(1).getError());
    }

    @Test
    void shutdownSignalsThenInterruptsABlockedTaskAndReportsOneThatIgnoresInterrupts() throws Exception {
        GoroutineManager m = GoroutineManager.create(Context.background(), "svc", 4);
        List<GoroutineManagerPhase> phases = new CopyOnWriteArrayList<>();
        m.addListener(event -> phases.add(event.getPhase()));
        CountDownLatch running = new CountDownLatch(3);
        CountDownLatch freeStubborn = new CountDownLatch(1);
        AtomicBoolean blockedSawInterrupt = new AtomicBoolean();
        AtomicBoolean stubbornSawInterrupt = new AtomicBoolean();
        List<String> cleanups = Collections.synchronizedList(new ArrayList<>());
        m.go("polite", g -> {
            running.countDown();
            Channel.<Integer>create().receive(g.ctx()); // ends with the context's error once signalled
        });
        m.go("blocked", g -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(); // ignores the context: only an interrupt ends it
            } catch (InterruptedException e) {
                blockedSawInterrupt.set(true);
                throw e;
            }
        });
        ManagedGoroutine stubborn = m.go("stubborn", g -> {
            g.defer(() -> cleanups.add("stubborn"));
            running.countDown();
            while (true) {
                try {
                    if (freeStubborn.await(30, TimeUnit.SECONDS)) return;
                } catch (InterruptedException e) {
                    stubbornSawInterrupt.set(true); // and carries on regardless
                }
            }
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));

        GoroutineManagerReport report = m.shutdown(Duration.ofSeconds(1), Duration.ofMillis(1500));

        assertEquals(List.of("polite"), names(report.getEnded()));
        assertEquals(List.of("blocked"), names(report.getForceCancelled()));
        assertEquals(GoroutineState.CANCELLED, report.getForceCancelled().get(0).getState());
        assertTrue(blockedSawInterrupt.get(), "the force-cancel interrupted its thread");
        assertEquals(List.of("stubborn"), names(report.getNeverEnded()));
        assertTrue(stubbornSawInterrupt.get());
        assertEquals(List.of(GoroutineManagerPhase.STOP_ACCEPTING, GoroutineManagerPhase.SIGNAL, GoroutineManagerPhase.FORCE_CANCEL,
                GoroutineManagerPhase.DEADLINE, GoroutineManagerPhase.CLEANUP, GoroutineManagerPhase.TERMINATED), phases);
        GoroutineManagerClosedException refused = assertThrows(GoroutineManagerClosedException.class, () -> m.go("late", g -> {}));
        assertEquals(GoroutineManagerState.TERMINATED, refused.getState());
        assertEquals("manager 'svc' is TERMINATED: it starts no more goroutines", refused.getMessage());

        freeStubborn.countDown();
        assertTrue(stubborn.join(LONG));
        assertEquals(List.of("stubborn"), cleanups, "its cleanups ran when it ended at last");
    }

    @Test
    void shutdownReturnsOnceEverythingEndedByItself() throws Exception {
        GoroutineManager m = GoroutineManager.create(2);
        CountDownLatch running = new CountDownLatch(1);
        m.go("polite", g -> {
            running.countDown();
            Channel.<Integer>create().receive(g.ctx());
        });
        assertTrue(running.await(30, TimeUnit.SECONDS));
        GoroutineManagerReport report = m.shutdownAsync(LONG, LONG).get(30, TimeUnit.SECONDS);
        assertEquals(List.of("polite"), names(report.getEnded()));
        assertTrue(report.isClean());
    }

    @Test
    void aChildManagerEndsAndRunsItsCleanupsBeforeItsParent() throws Exception {
        GoroutineManager parent = GoroutineManager.create(Context.background(), "app", 2);
        GoroutineManager child = parent.child("db", 2);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        parent.defer(() -> order.add("app"));
        child.defer(() -> order.add("db"));
        CountDownLatch cleaning = new CountDownLatch(1);
        CountDownLatch finishCleanup = new CountDownLatch(1);
        child.go("query", g -> g.defer(() -> {
            cleaning.countDown();
            assertTrue(finishCleanup.await(30, TimeUnit.SECONDS));
            order.add("query");
        }));
        assertEquals("app/db", child.name());
        CompletableFuture<?> parentDone = parent.awaitAsync();
        assertTrue(cleaning.await(30, TimeUnit.SECONDS));
        assertFalse(parentDone.isDone(), "the parent waits while its child's goroutine cleans up");
        finishCleanup.countDown();
        parentDone.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("query", "db", "app"), order);
        assertEquals(GoroutineManagerState.TERMINATED, child.state());
    }

    @Test
    void cancelInterruptsEveryTaskAndTheManagerEnds() throws Exception {
        GoroutineManager m = GoroutineManager.create(2);
        CountDownLatch running = new CountDownLatch(2);
        for (String name : List.of("a", "b")) {
            m.go(name, g -> {
                running.countDown();
                new CountDownLatch(1).await(); // until interrupted
            });
        }
        assertTrue(running.await(30, TimeUnit.SECONDS));
        m.cancel();
        m.awaitAsync().get(30, TimeUnit.SECONDS);
        for (GoroutineInfo g : m.goroutines()) assertEquals(GoroutineState.CANCELLED, g.getState(), g.toString());
        assertThrows(GoroutineManagerClosedException.class, () -> m.tryGo("late", g -> {}));
    }

    @Test
    void badInputsAreRefusedAtTheCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoroutineManager.create(0));
        assertEquals("maxGoroutines must be >= 1, but was 0", e.getMessage());
        GoroutineManager m = GoroutineManager.create(1);
        assertEquals("grace must be >= 0, but was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> m.shutdown(Duration.ofSeconds(-1), LONG)).getMessage());
        m.cancel();
    }

    @Test
    void nullsAreRefusedAtTheCall() throws Exception {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Context.class, Context.background())
                .setDefault(Duration.class, Duration.ZERO)
                .setDefault(String.class, "name")
                .setDefault(GoroutineManager.Task.class, g -> {})
                .setDefault(Cleanup.class, () -> {});
        tester.testAllPublicStaticMethods(GoroutineManager.class);
        tester.testAllPublicStaticMethods(ManagedGoroutine.class);
        GoroutineManager m = GoroutineManager.create(1);
        tester.testAllPublicInstanceMethods(m);
        ManagedGoroutine g = m.go("g", self -> {});
        g.join();
        tester.testAllPublicInstanceMethods(g);
        m.cancel();
    }

    @Test
    void waitingIsNamedAwaitSoItNeverMeetsObjectWait() {
        for (Method method : GoroutineManager.class.getDeclaredMethods()) assertFalse(method.getName().equals("wait"), method.toString());
    }
}
