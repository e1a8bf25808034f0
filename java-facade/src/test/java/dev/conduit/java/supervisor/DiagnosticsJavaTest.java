package dev.conduit.java.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.Go;
import dev.conduit.java.Goroutine;
import dev.conduit.java.Goroutines;
import dev.conduit.java.LockCycle;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.sync.Mutex;
import dev.conduit.supervisor.DeadlockKind;
import dev.conduit.supervisor.DeadlockReport;
import dev.conduit.supervisor.Diagnostics;
import dev.conduit.supervisor.GoroutineDump;
import dev.conduit.supervisor.GoroutineInfo;
import dev.conduit.supervisor.GoroutineState;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link Diagnostics} from Java: Go.go goroutines deadlocked on channels and on mutexes, the dump, leaks and bad input. */
class DiagnosticsJavaTest {
    private static final Duration CONFIRM = Duration.ofMillis(150);

    @Test
    void detectionIsOnInThisSuite() {
        assertTrue(Diagnostics.isEnabled(), "run with -Dconduit.diagnostics=true, as the pom does");
    }

    /**
     * Go's "all goroutines are asleep" needs the whole program stuck, so it runs in a JVM of its
     * own ({@link DeadlockedProgram}), where nothing else (a test runner's timer thread, another
     * test's timers) can wake anyone: the watchdog reports the two goroutines and {@code main}.
     */
    @Test
    void aWholeProgramAsleepIsReportedByTheWatchdogNamingEveryGoroutine() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Dconduit.diagnostics=true", "-Dconduit.diagnostics.reportAfterMillis=300",
                        "-cp", System.getProperty("java.class.path"), DeadlockedProgram.class.getName())
                .redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the watchdog ended the program within 60 s");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("conduit: all goroutines are asleep - deadlock! (3 asleep"), out);
            assertTrue(out.contains("\"left-1\" [BLOCKED on receive from Chan@"), out);
            assertTrue(out.contains("\"right-1\" [BLOCKED on receive from Chan@"), out);
            assertTrue(out.contains("\"main\" [BLOCKED on receive from Chan@") && out.contains("owner=thread"), out);
            assertTrue(out.contains("at dev.conduit.java.supervisor.DeadlockedProgram.main(DeadlockedProgram.java"), out);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void twoThreadsLockingInOppositeOrderAreALockCycle() throws Exception {
        assertLockCycle(false);
    }

    /** A thread's tryLock records it as the holder, as lock does: the cycle through that mutex is seen. */
    @Test
    void aMutexTakenByTryLockOnAThreadIsPartOfTheCycle() throws Exception {
        assertLockCycle(true);
    }

    private static void assertLockCycle(boolean firstByTry) throws Exception {
        try (LockCycle ignored = LockCycle.start(Mutex.create("first"), Mutex.create("second"), firstByTry)) {
            awaitUntil(() -> Diagnostics.dump().getGoroutines().stream().filter(g -> g.getBlockedOn() != null && g.getBlockedOn().startsWith("lock of")).count() == 2);
            DeadlockReport cycle = Diagnostics.findDeadlocks(CONFIRM).stream()
                    .filter(r -> r.getKind() == DeadlockKind.LOCK_CYCLE).findFirst().orElseThrow();
            assertEquals(2, cycle.getGoroutines().size());
            assertTrue(cycle.getCycle().stream().anyMatch(s -> s.contains("holds Mutex 'first' and waits for Mutex 'second'")), cycle.getCycle().toString());
        }
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

    /**
     * A thread is never collected while it runs (the JDK keeps every thread it started
     * reachable, virtual ones included), so a Java goroutine blocked on a channel nobody else
     * holds is never reported as a leaked coroutine: the dump shows it stuck instead.
     */
    @Test
    void aThreadBlockedOnAChannelNobodyElseHoldsIsNotCollectedButShownByTheDump() throws Exception {
        java.util.Queue<dev.conduit.supervisor.LeakReport> leaks = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.List<java.lang.ref.WeakReference<Object>> channel = new java.util.ArrayList<>();
        Goroutine g = blockOnAChannelOfItsOwn(channel);
        try (AutoCloseable listening = Diagnostics.addLeakListener(leaks::add)) {
            awaitBlocked(Set.of(g.name()));
            for (int i = 0; i < 5; i++) System.gc();
            // Its channel (which only its stack refers to) survives the collections: nothing of it was collected, so nothing can be reported.
            assertNotNull(channel.get(0).get());
        }
        assertTrue(leaks.stream().noneMatch(r -> r.getGoroutine().getName().equals(g.name())), leaks.toString());
        assertTrue(Diagnostics.dump().getGoroutines().stream().anyMatch(x -> x.getName().equals(g.name()) && x.getState() == GoroutineState.BLOCKED));
        g.cancel();
        assertTrue(g.join(Duration.ofSeconds(30)));
    }

    private static Goroutine blockOnAChannelOfItsOwn(java.util.List<java.lang.ref.WeakReference<Object>> channel) {
        Channel<Integer> mine = Channel.create();
        channel.add(new java.lang.ref.WeakReference<>(mine));
        return Goroutines.builder().name("forgotten").build().go(() -> mine.receiveOk());
    }

    @Test
    void badInputIsRefusedNamingTheArgument() {
        assertNpeNaming("listener", () -> Diagnostics.addDeadlockListener(null));
        assertNpeNaming("listener", () -> Diagnostics.addLeakListener(null));
        assertNpeNaming("confirm", () -> Diagnostics.findDeadlocks(null));
        assertNpeNaming("timeout", () -> Diagnostics.awaitDeadlock(null));
        assertNpeNaming("timeout", () -> Diagnostics.awaitLeak(null));
        assertNpeNaming("value", () -> Diagnostics.setReportAfter(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diagnostics.awaitLeak(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
    }

    private static void assertNpeNaming(String name, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertTrue(String.valueOf(e.getMessage()).contains(name), e.getMessage());
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
