package dev.conduit.samples;

import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.java.supervisor.ChildSpec;
import dev.conduit.java.supervisor.SupervisedChild;
import dev.conduit.java.supervisor.Supervisor;
import dev.conduit.java.supervisor.SupervisorConfig;
import dev.conduit.supervisor.ChildInfo;
import dev.conduit.supervisor.RestartStrategy;
import dev.conduit.supervisor.RestartType;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A small supervisor tree, Erlang/OTP style: a one-for-one root ("services") with a cache, a
 * flaky fetcher that crashes on its first two runs and is restarted after a jittered exponential
 * backoff, and a rest-for-one subtree ("pipeline") of a reader and the writer that depends on
 * it. The reader crashes once: the writer after it is stopped and both start again, in order.
 * Then the tree shuts down, each supervisor stopping its children in reverse order. Every event
 * is printed, phase by phase, one supervisor after the other (their loops run concurrently, each
 * in its own order).
 */
public final class SupervisedServices implements Sample {
    private static final long WAIT_SECONDS = 10;

    /** The events of each supervisor, in its order, printed at the end of each phase. */
    private static final class EventLog {
        private final Map<String, List<String>> bySupervisor = new LinkedHashMap<>();

        /** A log printing the events of {@code supervisors} in this order. */
        EventLog(String... supervisors) {
            for (String s : supervisors) bySupervisor.put(s, new ArrayList<>());
        }

        synchronized void add(String supervisor, String line) {
            bySupervisor.get(supervisor).add(line);
            notifyAll();
        }

        /** Blocks, at most 10 s, until {@code supervisor} has logged {@code line}. */
        synchronized void await(String supervisor, String line) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!bySupervisor.get(supervisor).contains(line)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("no '" + line + "' from " + supervisor);
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** Prints what each supervisor logged since the last call, in the constructor's order, and forgets it. */
        synchronized void print(PrintStream out, String heading) {
            out.println(heading);
            bySupervisor.values().forEach(lines -> lines.forEach(l -> out.println("  " + l)));
            bySupervisor.values().forEach(List::clear);
        }
    }

    /** Blocks until {@code ctx} is done: a service that serves until it is stopped. */
    private static void serve(Context ctx) throws Exception {
        ctx.doneFuture().get();
    }

    @Override
    public String title() {
        return "a supervisor tree: restarts with backoff, rest-for-one, reverse-order shutdown";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        EventLog log = new EventLog("services", "pipeline");
        SupervisedChild cache = new SupervisedChild() {
            @Override
            public void run(Context ctx) throws Exception {
                serve(ctx);
            }

            @Override
            public void shutdown(Context ctx) {
                log.add("services", "  (cache flushed its entries)");
            }
        };
        AtomicInteger fetches = new AtomicInteger();
        SupervisedChild fetcher = ctx -> {
            int attempt = fetches.incrementAndGet();
            if (attempt <= 2) throw new IOException("upstream refused attempt " + attempt);
            serve(ctx);
        };
        CompletableFuture<Void> readerCrash = new CompletableFuture<>();
        AtomicInteger reads = new AtomicInteger();
        SupervisedChild reader = ctx -> {
            if (reads.incrementAndGet() == 1) {
                CompletableFuture.anyOf(readerCrash, ctx.doneFuture()).get();
                if (ctx.getErr() == null) throw new IllegalStateException("lost its connection");
            }
            serve(ctx);
        };
        Supervisor pipeline = Supervisor.create(SupervisorConfig.builder()
                .name("pipeline").strategy(RestartStrategy.REST_FOR_ONE)
                .child(ChildSpec.create("reader", reader))
                .child(ChildSpec.create("writer", SupervisedServices::serve))
                .maxRestarts(3).period(Duration.ofSeconds(10)).fixedBackoff(Duration.ofMillis(10))
                .build());
        Supervisor services = Supervisor.create(SupervisorConfig.builder()
                .name("services").strategy(RestartStrategy.ONE_FOR_ONE)
                .child(ChildSpec.create("cache", cache))
                .child(ChildSpec.builder("fetcher", fetcher).restart(RestartType.TRANSIENT).build())
                .child(ChildSpec.builder("pipeline", pipeline).shutdownTimeout(Duration.ofSeconds(5)).build())
                .maxRestarts(5).period(Duration.ofSeconds(10))
                .fullJitterBackoff(Duration.ofMillis(40), 2.0, Duration.ofMillis(400), new Random(7))
                .build());
        for (Supervisor s : List.of(services, pipeline)) s.addListener(e -> log.add(e.getSupervisor(), e.toString()));
        out.println("supervisor tree: services (one-for-one) > cache, fetcher (transient), pipeline (rest-for-one) > reader, writer");

        try (CancelContext ctx = Context.background().withCancel()) {
            CompletableFuture<Void> running = services.runAsync(ctx);
            log.await("services", "services: child fetcher started (restart 2)");
            log.await("pipeline", "pipeline: child writer started");
            log.print(out, "start: the fetcher crashes twice and is restarted after a jittered, growing backoff");

            readerCrash.complete(null);
            log.await("pipeline", "pipeline: child writer started (restart 1)");
            log.print(out, "the reader crashes: the writer after it is stopped, then both start again in order");

            ctx.cancel();
            running.get(WAIT_SECONDS, TimeUnit.SECONDS);
            log.print(out, "shutdown: each supervisor stops its children in reverse order");
        }
        out.println("services children: " + describe(services.children()));
        out.println("pipeline children: " + describe(pipeline.children()));
    }

    private static String describe(List<ChildInfo> children) {
        return children.stream().map(c -> c.getId() + " " + c.getState() + " restarts=" + c.getRestarts()).collect(Collectors.joining(", "));
    }

    public static void main(String[] args) throws Exception {
        new SupervisedServices().run(System.out);
    }
}
