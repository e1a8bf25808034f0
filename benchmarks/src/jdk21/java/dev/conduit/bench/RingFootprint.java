package dev.conduit.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The heap a parked ring of virtual threads keeps, per thread and link, for each
 * {@link RingPeer}: the footprint beside {@link VirtualThreadRingBenchmark}'s speed. A recorded
 * harness, not a JMH benchmark (JMH measures time and allocation, not what stays live):
 *
 * <pre>
 * java [flags] -cp benchmarks/target/benchmarks.jar dev.conduit.bench.RingFootprint [threads [runs [peer...]]]
 * </pre>
 *
 * {@code threads} defaults to 10,000, {@code runs} to 5 and the peers to all of them. Every run
 * of every peer is a JVM of its own, started with this JVM's flags and class path, so that no
 * peer's garbage, code or class loading is in another's figures; the runs take the peers in
 * turn. In that JVM a ring of {@value #WARM_UP_THREADS} threads first runs
 * {@value #WARM_UP_HOPS} hops and is closed, {@value #WARM_UP_ROUNDS} times, each followed by
 * {@value #COMPILE_MILLIS} ms idle for the JIT to finish what it queued, so that the code is
 * compiled when the measured threads park (a virtual thread's frames are copied to the heap when
 * it parks, and an interpreted or profiling frame is larger than an optimised one: without the
 * pauses, a busy machine measured its compiler's backlog); then the links alone are measured, then the whole ring (links and
 * threads) after {@value #LAPS} laps, every thread parked on its link. Each figure is the live
 * heap of a class histogram ({@code jcmd GC.class_histogram}, which collects first; repeated
 * until two agree) minus the one taken before the links were made.
 *
 * <p>The parked threads' stacks ({@code jdk.internal.vm.StackChunk}) are most of it, and their
 * size moves from JVM to JVM with what the JIT had compiled and inlined when each thread parked
 * (by a few hundred bytes per thread, for every peer alike), hence the runs: the report gives
 * each peer's median, least and greatest, the stacks and the rest (the links, the waiting nodes,
 * the thread objects) apart, and each median beside {@code SYNCHRONOUS_QUEUE}'s. The first run
 * of each peer also lists the classes that grew most, with their bytes per thread.
 */
public final class RingFootprint {
    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().factory();
    private static final int WARM_UP_THREADS = 1_000;
    private static final int WARM_UP_HOPS = 200_000;
    private static final int WARM_UP_ROUNDS = 2;
    private static final int COMPILE_MILLIS = 1_000;
    private static final int LAPS = 3;
    private static final int TOP_CLASSES = 8;
    private static final String STACK_CHUNK = "jdk.internal.vm.StackChunk";

    /** The first argument of a JVM that measures one peer: {@code --one threads peer}. */
    private static final String ONE = "--one";

    /** The line a measuring JVM ends with: the prefix, the peer, its bytes per thread in all and in stacks. */
    private static final String RESULT = "RESULT ";

    private RingFootprint() {}

    /**
     * Measures each peer {@code runs} times, each in a JVM of its own, and prints the first run's
     * report per peer, then the summary, on standard output. Blocks until they are done.
     *
     * @throws IllegalArgumentException if {@code threads} is below 2, {@code runs} below 1, or a
     *     peer is not a {@link RingPeer} name
     * @throws IllegalStateException if a measuring JVM fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals(ONE)) {
            measure(RingPeer.valueOf(args[2]), Integer.parseInt(args[1]));
            return;
        }
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (threads < 2) throw new IllegalArgumentException("threads must be >= 2, but was " + threads);
        if (runs < 1) throw new IllegalArgumentException("runs must be >= 1, but was " + runs);
        List<RingPeer> peers = new ArrayList<>();
        for (int i = 2; i < args.length; i++) peers.add(RingPeer.valueOf(args[i].toUpperCase(Locale.ROOT)));
        if (peers.isEmpty()) peers.addAll(List.of(RingPeer.values()));
        List<String> jvmFlags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        System.out.printf("RingFootprint: %,d virtual threads, %d runs per peer, JDK %s, flags %s, max heap %,d MiB%n",
                threads, runs, Runtime.version(), jvmFlags, Runtime.getRuntime().maxMemory() >> 20);

        Map<RingPeer, double[][]> results = new EnumMap<>(RingPeer.class); // [run][total, stacks]
        for (RingPeer peer : peers) results.put(peer, new double[runs][]);
        for (int run = 0; run < runs; run++) {
            for (RingPeer peer : peers) results.get(peer)[run] = inOwnJvm(jvmFlags, peer, threads, run == 0);
        }
        summarize(results);
    }

    /** Prints each peer's median, least and greatest bytes per thread, and the medians' ratios. */
    private static void summarize(Map<RingPeer, double[][]> results) {
        System.out.printf("%n%-18s %28s %28s %28s%n", "B per thread+link", "all: median [min, max]",
                "stacks: median [min, max]", "the rest: median [min, max]");
        Map<RingPeer, double[]> medians = new EnumMap<>(RingPeer.class);
        results.forEach((peer, runs) -> {
            double[] all = column(runs, r -> r[0]);
            double[] stacks = column(runs, r -> r[1]);
            double[] rest = column(runs, r -> r[0] - r[1]);
            medians.put(peer, new double[] {median(all), median(stacks), median(rest)});
            System.out.printf("%-18s %28s %28s %28s%n", peer, range(all), range(stacks), range(rest));
        });
        double[] base = medians.get(RingPeer.SYNCHRONOUS_QUEUE);
        if (base == null) return;
        System.out.printf("%nmedians beside SYNCHRONOUS_QUEUE's: %n");
        medians.forEach((peer, m) -> System.out.printf("%-18s all %.2fx   stacks %.2fx   the rest %.2fx%n",
                peer, m[0] / base[0], m[1] / base[1], m[2] / base[2]));
    }

    private static double[] column(double[][] runs, java.util.function.ToDoubleFunction<double[]> f) {
        double[] c = Arrays.stream(runs).mapToDouble(f).toArray();
        Arrays.sort(c);
        return c;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String range(double[] sorted) {
        return String.format("%,.0f [%,.0f, %,.0f]", median(sorted), sorted[0], sorted[sorted.length - 1]);
    }

    /**
     * Runs {@link #measure} for {@code peer} in a new JVM, echoing its report if {@code echo};
     * returns its bytes per thread, in all and in stacks.
     */
    private static double[] inOwnJvm(List<String> jvmFlags, RingPeer peer, int threads, boolean echo) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), RingFootprint.class.getName(),
                ONE, Integer.toString(threads), peer.name()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        double[] result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    String[] f = line.split(" ");
                    result = new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])};
                } else if (echo) {
                    System.out.println(line);
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) throw new IllegalStateException("measuring " + peer + " failed (exit " + exit + ")");
        return result;
    }

    /** In this JVM: warms up, then reports one peer's links and parked ring and prints its {@link #RESULT}. */
    private static void measure(RingPeer peer, int threads) throws Exception {
        warmUp(peer);
        Histogram before = Histogram.settled();
        List<TokenRing.Link> links = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) links.add(peer.link());
        Histogram linksOnly = Histogram.settled();

        var next = links.iterator();
        TokenRing ring = new TokenRing(VIRTUAL, threads, next::next);
        ring.awaitParked();
        ring.run(threads * LAPS);
        ring.awaitParked();
        Histogram parked = Histogram.settled();

        double perThread = parked.bytesOver(before) / (double) threads;
        double stacks = parked.bytesOver(before, STACK_CHUNK) / (double) threads;
        System.out.printf("%n%s: links alone %,.1f B per link; parked ring %,.1f B per thread and link, %,.1f B of it stacks%n",
                peer, linksOnly.bytesOver(before) / (double) threads, perThread, stacks);
        System.out.printf("  %-52s %12s %12s%n", "class (what grew most)", "objects/thr", "B/thread");
        for (Map.Entry<String, long[]> e : parked.topGrowth(before, TOP_CLASSES)) {
            System.out.printf("  %-52s %12.2f %12.1f%n",
                    e.getKey(), e.getValue()[0] / (double) threads, e.getValue()[1] / (double) threads);
        }
        System.out.println(RESULT + peer + " " + perThread + " " + stacks);
        ring.close();
    }

    /**
     * Runs and closes a smaller ring of {@code peer}, in a method of its own so that no local
     * variable of the caller's (interpreted) frame keeps it reachable.
     */
    private static void warmUp(RingPeer peer) throws InterruptedException {
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            try (TokenRing warm = new TokenRing(VIRTUAL, WARM_UP_THREADS, peer::link)) {
                warm.awaitParked();
                warm.run(WARM_UP_HOPS);
            }
            Thread.sleep(COMPILE_MILLIS);
        }
    }

    /** A live-object class histogram of the heap: instances and bytes per class. */
    private record Histogram(Map<String, long[]> classes, long totalBytes) {
        private static final int MAX_TRIES = 10;
        private static final int SETTLE_MILLIS = 100;

        /**
         * Histograms {@value #SETTLE_MILLIS} ms apart until two in a row have the same total (at
         * most {@value #MAX_TRIES}): ended threads stay reachable until a collection has cleared
         * weak references to them and the JDK's cleaner thread has run.
         */
        static Histogram settled() throws JMException, InterruptedException {
            Histogram h = take();
            for (int i = 1; i < MAX_TRIES; i++) {
                Thread.sleep(SETTLE_MILLIS);
                Histogram again = take();
                if (again.totalBytes == h.totalBytes) return again;
                h = again;
            }
            return h;
        }

        /** Collects, then counts every live object (the {@code GC.class_histogram} diagnostic command). */
        private static Histogram take() throws JMException {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Map<String, long[]> classes = new HashMap<>();
            long total = 0;
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    long[] v = {Long.parseLong(f[1]), Long.parseLong(f[2])};
                    classes.merge(f[3], v, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                } else if (f.length >= 3 && f[0].equals("Total")) {
                    total = Long.parseLong(f[2]);
                }
            }
            return new Histogram(classes, total);
        }

        long bytesOver(Histogram earlier) {
            return totalBytes - earlier.totalBytes;
        }

        long bytesOver(Histogram earlier, String className) {
            return classes.getOrDefault(className, new long[2])[1] - earlier.classes.getOrDefault(className, new long[2])[1];
        }

        /** The {@code n} classes whose bytes grew most since {@code earlier}: (instances, bytes) grown. */
        List<Map.Entry<String, long[]>> topGrowth(Histogram earlier, int n) {
            List<Map.Entry<String, long[]>> grown = new ArrayList<>();
            classes.forEach((name, v) -> {
                long[] e = earlier.classes.getOrDefault(name, new long[2]);
                grown.add(Map.entry(name, new long[] {v[0] - e[0], v[1] - e[1]}));
            });
            grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
            return grown.subList(0, Math.min(n, grown.size()));
        }
    }
}
