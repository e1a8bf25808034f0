package dev.conduit.java.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.conduit.java.Go;
import dev.conduit.java.Goroutine;
import dev.conduit.java.LockCycle;
import dev.conduit.java.sync.Mutex;
import dev.conduit.supervisor.DeadlockReport;
import dev.conduit.supervisor.Diagnostics;
import dev.conduit.testing.GoLeakExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** {@link GoLeakExtension} on real JUnit runs of the test classes below, through the launcher. */
class GoLeakExtensionTest {
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** Run only by the launcher here (surefire skips nested classes). */
    @ExtendWith(GoLeakExtension.class)
    static class Leaky {
        @Test
        void leavesAJavaGoroutineBlocked() {
            Go.go(() -> RELEASE.await());
        }

        @Test
        void joinsWhatItStarts() throws Exception {
            Goroutine g = Go.go(() -> {});
            g.join();
        }

        private final CountDownLatch afterTheTest = new CountDownLatch(1);

        @Test
        void startsOneThatEndsWithinTheGrace() {
            Go.go(() -> afterTheTest.await()); // still running when the test method returns
        }

        /** Runs before the extension's check: the goroutine above ends during the check's grace. */
        @AfterEach
        void release() {
            afterTheTest.countDown();
        }
    }

    /** Run only by the launcher here: the same deadlock, reported by the watchdog, in a test tagged as expecting it and in one not. */
    @ExtendWith(GoLeakExtension.class)
    static class Deadlocking {
        @Test
        @Tag(GoLeakExtension.EXPECTED_DEADLOCK)
        void deadlocksOnPurpose() throws Exception {
            lockCycle();
        }

        @Test
        void deadlocksByMistake() throws Exception {
            lockCycle();
        }

        private static void lockCycle() throws Exception {
            Duration before = Diagnostics.getReportAfter();
            Diagnostics.setReportAfter(Duration.ofMillis(100));
            try (LockCycle ignored = LockCycle.start(Mutex.create("first"), Mutex.create("second"))) {
                // A lock cycle, or the whole program asleep (nothing else runs): either is reported.
                DeadlockReport r = Diagnostics.awaitDeadlock(Duration.ofSeconds(30));
                assertTrue(r != null, "no report within 30 s");
            } finally {
                Diagnostics.setReportAfter(before);
            }
        }
    }

    /** Tagged itself: a report the runs above leave late (a check that looked before their goroutines ended) is this test's. */
    @Test
    @Tag(GoLeakExtension.EXPECTED_DEADLOCK)
    void aTestDuringWhichTheWatchdogReportedADeadlockFailsUnlessTaggedAsExpectingIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Diagnostics.isEnabled(), "the pom runs this suite with detection on");
        TestExecutionSummary s = run(Deadlocking.class);
        assertEquals(2, s.getTestsStartedCount());
        assertEquals(1, s.getTestsFailedCount(), "only the untagged test fails");
        TestExecutionSummary.Failure f = s.getFailures().get(0);
        assertEquals("deadlocksByMistake()", f.getTestIdentifier().getDisplayName());
        assertTrue(f.getException().getMessage().startsWith("the deadlock watchdog reported during this test:"), f.getException().getMessage());
        assertTrue(f.getException().getMessage().contains(" - deadlock!"), f.getException().getMessage());
    }

    private static TestExecutionSummary run(Class<?> tests) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(tests)).build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, summary);
        return summary.getSummary();
    }

    @Test
    void aTestThatLeavesAGoroutineRunningFailsNamingItAndWhereItStarted() throws Exception {
        try {
            TestExecutionSummary s = run(Leaky.class);
            assertEquals(3, s.getTestsStartedCount());
            assertEquals(1, s.getTestsFailedCount(), "only the leaking test fails");
            List<TestExecutionSummary.Failure> failures = s.getFailures();
            Throwable e = failures.get(0).getException();
            assertEquals("leavesAJavaGoroutineBlocked()", failures.get(0).getTestIdentifier().getDisplayName());
            assertTrue(e.getMessage().startsWith("1 goroutine(s) still running 2000 ms after the test:"), e.getMessage());
            assertTrue(e.getMessage().contains("thread 'goroutine-"), e.getMessage());
            assertTrue(e.getMessage().contains("started at dev.conduit.java.testing.GoLeakExtensionTest$Leaky.leavesAJavaGoroutineBlocked"), e.getMessage());
        } finally {
            RELEASE.countDown();
        }
    }
}
