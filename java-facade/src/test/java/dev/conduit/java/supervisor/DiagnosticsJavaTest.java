package dev.conduit.java.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.Go;
import dev.conduit.java.Goroutine;
import dev.conduit.java.Goroutines;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.sync.Mutex;
import dev.conduit.supervisor.DeadlockKind;
import dev.conduit.supervisor.DeadlockReport;
import dev.conduit.supervisor.Diagnostics;
import dev.conduit.supervisor.GoroutineDump;
import dev.conduit.supervisor.GoroutineInfo;
import dev.conduit.supervisor.GoroutineState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link Diagnostics} from Java: Go.go goroutines deadlocked on channels and on mutexes, and the dump. */
class DiagnosticsJavaTest {
    private static final Duration CONFIRM = Duration.ofMillis(150);

    @Test
    void detectionIsOnInThisSuite() {
        assertTrue(Diagnostics.isEnabled(), "run with -Dconduit.diagnostics=true, as the pom does");
    }

    @Test
    void twoGoroutinesWaitingOnEachOtherAreAllAsleepAndNamed() throws Exception {
        Channel<Integer> left = Channel.create();
        Channel<Integer> right = Channel.create();
        Goroutine a = Goroutines.builder().name("left").build().go(() -> left.receiveOk());
        Goroutine b = Goroutines.builder().name("right").build().go(() -> right.receiveOk());
        awaitBlocked(Set.of(a.name(), b.name()));

        List<DeadlockReport> reports = Diagnostics.findDeadlocks(CONFIRM);
        DeadlockReport asleep = reports.stream().filter(r -> r.getKind() == DeadlockKind.ALL_ASLEEP).findFirst()
                .orElseThrow(() -> new AssertionError("no report: " + reports + "\n" + Diagnostics.dump() + "\nthreads: " + nonDaemonThreads()));
        Set<String> names = asleep.getGoroutines().stream().map(GoroutineInfo::getName).collect(Collectors.toSet());
        assertEquals(Set.of(a.name(), b.name()), names);
        GoroutineInfo l = asleep.getGoroutines().stream().filter(g -> g.getName().equals(a.name())).findFirst().orElseThrow();
        assertEquals("java", l.getOwner());
        assertTrue(l.getBlockedOn().startsWith("receive from Chan@"), l.getBlockedOn());
        assertTrue(l.getCreationSite().stream().anyMatch(f -> f.getClassName().equals(DiagnosticsJavaTest.class.getName())), "creation site");
        assertTrue(asleep.toString().contains("all goroutines are asleep - deadlock!"));

        left.close();
        right.close();
        assertTrue(a.join(Duration.ofSeconds(30)));
        assertTrue(b.join(Duration.ofSeconds(30)));
    }

    @Test
    void twoThreadsLockingInOppositeOrderAreALockCycle() throws Exception {
        Mutex first = Mutex.create("first");
        Mutex second = Mutex.create("second");
        Channel<Boolean> firstHeld = Channel.create(1);
        Channel<Boolean> secondHeld = Channel.create(1);
        Goroutine a = Go.go(() -> {
            first.lock();
            firstHeld.send(true);
            secondHeld.receive();
            second.lock();
        });
        Goroutine b = Go.go(() -> {
            second.lock();
            secondHeld.send(true);
            firstHeld.receive();
            first.lock();
        });
        awaitUntil(() -> Diagnostics.dump().getGoroutines().stream().filter(g -> g.getBlockedOn() != null && g.getBlockedOn().startsWith("lock of")).count() == 2);
        DeadlockReport cycle = Diagnostics.findDeadlocks(CONFIRM).stream()
                .filter(r -> r.getKind() == DeadlockKind.LOCK_CYCLE).findFirst().orElseThrow();
        assertEquals(2, cycle.getGoroutines().size());
        assertTrue(cycle.getCycle().stream().anyMatch(s -> s.contains("holds Mutex 'first' and waits for Mutex 'second'")), cycle.getCycle().toString());
        a.cancel();
        b.cancel();
        assertTrue(a.join(Duration.ofSeconds(30)));
        assertTrue(b.join(Duration.ofSeconds(30)));
    }

    @Test
    void theDumpListsABlockedGoroutineInTextAndJson() throws Exception {
        Channel<Integer> never = Channel.create();
        Goroutine g = Goroutines.builder().name("waiter").build().go(() -> never.receiveOk());
        awaitBlocked(Set.of(g.name()));
        GoroutineDump dump = Diagnostics.dump();
        GoroutineInfo info = dump.getGoroutines().stream().filter(x -> x.getName().equals(g.name())).findFirst().orElseThrow();
        assertEquals(GoroutineState.BLOCKED, info.getState());
        assertNotNull(info.getSince());
        assertTrue(dump.toString().contains("goroutine " + info.getId() + " \"" + g.name() + "\" [BLOCKED on receive from Chan@"), dump.toString());
        assertTrue(dump.toJson().contains("\"name\":\"" + g.name() + "\""), dump.toJson());
        never.close();
        assertTrue(g.join(Duration.ofSeconds(30)));
    }

    private static String nonDaemonThreads() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, st) -> {
            if (!t.isDaemon()) b.append("\n  ").append(t.getName()).append(' ').append(t.getState()).append(' ').append(st.length > 2 ? st[2] : "");
        });
        return b.toString();
    }

    private static void awaitBlocked(Set<String> names) {
        awaitUntil(() -> Diagnostics.dump().getGoroutines().stream()
                .filter(g -> g.getState() == GoroutineState.BLOCKED && g.getBlockedOn() != null)
                .map(GoroutineInfo::getName).collect(Collectors.toSet()).containsAll(names));
    }

    /** Polls {@code done} for at most 30 s. */
    private static void awaitUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("not reached within 30 s");
            LockSupport.parkNanos(1_000_000L); // a poll's pause, bounded by the deadline above
        }
    }
}
