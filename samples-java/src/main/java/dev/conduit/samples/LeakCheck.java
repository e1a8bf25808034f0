package dev.conduit.samples;

import dev.conduit.GoLeaks;
import dev.conduit.LiveGoroutine;
import dev.conduit.java.Go;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Go's goleak on the JVM: a snapshot of the running goroutines, a goroutine left blocked, and
 * the check that names it and where it was started (what {@code GoLeakExtension} does after each
 * JUnit test).
 */
public final class LeakCheck implements Sample {
    @Override
    public String title() {
        return "goleak: a goroutine left running is found, with where it started";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        GoLeaks.recordCreationSites(true);
        try {
            List<LiveGoroutine> before = GoLeaks.running();
            CountDownLatch neverSent = new CountDownLatch(1);
            Go.go(() -> neverSent.await()); // the forgotten receiver
            List<LiveGoroutine> leaked = GoLeaks.startedSince(before, Duration.ofMillis(100));
            for (LiveGoroutine g : leaked) {
                out.println("leaked: " + g.getKind() + ", started in " + g.toString().contains("LeakCheck.run"));
            }
            neverSent.countDown();
            out.println("after releasing it: " + GoLeaks.startedSince(before, Duration.ofSeconds(5)).size() + " leaked");
        } finally {
            GoLeaks.recordCreationSites(false);
        }
    }

    public static void main(String[] args) throws Exception {
        new LeakCheck().run(System.out);
    }
}
