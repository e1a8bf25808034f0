package dev.conduit.samples;

import dev.conduit.context.Context;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.supervisor.GoroutineManager;
import dev.conduit.java.supervisor.ManagedGoroutine;
import dev.conduit.supervisor.GoroutineInfo;
import dev.conduit.supervisor.GoroutineManagerReport;
import dev.conduit.supervisor.ManagedGoroutineFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A goroutine manager's graceful shutdown: named workers, one failing, one that only an
 * interrupt stops, one that ignores even that; each phase printed as it happens, then the report.
 */
public final class ManagedShutdown implements Sample {
    @Override
    public String title() {
        return "a goroutine manager shut down in phases";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        GoroutineManager manager = GoroutineManager.create(Context.background(), "ingest", 8);
        AtomicReference<Instant> shutdownAt = new AtomicReference<>();
        manager.addListener(e -> out.printf("  phase %s at +%.1fs%n", e.getPhase(),
                Duration.between(shutdownAt.get(), e.getAt()).toMillis() / 100 / 10.0));
        List<String> cleanedUp = Collections.synchronizedList(new ArrayList<>());
        manager.defer(() -> cleanedUp.add("ingest: shared connection closed"));

        Channel<String> records = Channel.create();
        for (String name : List.of("reader-1", "reader-2")) {
            manager.go(name, Map.of("source", "queue"), g -> {
                g.defer(() -> cleanedUp.add(g.name() + ": offsets committed"));
                while (true) records.receive(g.ctx()); // ends with the context's error once signalled
            });
        }
        manager.go("parser", g -> {
            throw new IOException("malformed record 3");
        });
        CountDownLatch legacyRunning = new CountDownLatch(1);
        CountDownLatch letLegacyFinish = new CountDownLatch(1);
        manager.go("uploader", g -> Thread.sleep(Long.MAX_VALUE)); // ignores the context: only an interrupt stops it
        ManagedGoroutine legacy = manager.go("legacy-sync", g -> {
            g.defer(() -> cleanedUp.add("legacy-sync: finally stopped"));
            legacyRunning.countDown();
            while (true) {
                try {
                    if (letLegacyFinish.await(30, TimeUnit.SECONDS)) return;
                } catch (InterruptedException ignored) {
                    // a worker that swallows interrupts: it will be reported, not waited for
                }
            }
        });

        ManagedGoroutineFailure failure = manager.errors().receive(); // streamed as it happens
        out.println("error streamed: " + failure.getGoroutine() + ": " + failure.getError().getMessage());
        legacyRunning.await();
        out.println("running: " + manager.goroutines().stream()
                .filter(g -> !g.getState().isEnded()).map(GoroutineInfo::getName).collect(Collectors.joining(", ")));

        out.println("shutdown with a 300 ms grace period and a 600 ms deadline:");
        shutdownAt.set(Instant.now());
        GoroutineManagerReport report = manager.shutdown(Duration.ofMillis(300), Duration.ofMillis(600));
        out.println("ended by themselves: " + names(report.getEnded()));
        out.println("force-cancelled (interrupted): " + names(report.getForceCancelled()));
        out.println("never ended by the deadline: " + names(report.getNeverEnded()));
        for (ManagedGoroutineFailure f : report.getFailures()) out.println("error: " + f.getGoroutine() + ": " + f.getError().getMessage());

        letLegacyFinish.countDown();
        legacy.join();
        List<String> cleanups = new ArrayList<>(cleanedUp);
        Collections.sort(cleanups);
        out.println("cleanups that ran: " + String.join("; ", cleanups));
    }

    private static String names(List<GoroutineInfo> goroutines) {
        return goroutines.stream().map(g -> g.getName() + " (" + g.getState() + ")").collect(Collectors.joining(", "));
    }

    public static void main(String[] args) throws Exception {
        new ManagedShutdown().run(System.out);
    }
}
