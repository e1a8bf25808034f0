package dev.conduit.bench;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.Select;
import com.softwaremill.jox.SelectClause;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The {@link SelectBenchmark} workload between two virtual threads: the Java facade's blocking
 * {@code Select} against jox's {@code Select.select}. The channels and the two threads are made
 * once per trial, so an invocation times the sends and selects alone. JDK 21+ only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class VirtualThreadSelectBenchmark {
    static final int ITEMS = 50_000;
    static final ThreadFactory VIRTUAL = Thread.ofVirtual().factory();

    @Param({"2", "4"})
    int cases;

    /**
     * The channels under test and two virtual threads, for the trial: a producer sending
     * {@code 0..ITEMS-1} round-robin on them, and a consumer taking each value with one select.
     */
    abstract static class Threads {
        long sum;
        private Crew crew;

        /** Makes {@code cases} channels of 16 and whatever the select needs. */
        abstract void open(int cases);

        /** Sends {@code i} on channel {@code i % cases}. */
        abstract void send(int i) throws Exception;

        /** One select over all the channels, adding the value taken to {@link #sum}. */
        abstract void select() throws Exception;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            open(Integer.parseInt(params.getParam("cases")));
            crew = new Crew(VIRTUAL, 2, member -> {
                if (member == 0) {
                    for (int i = 0; i < ITEMS; i++) send(i);
                } else {
                    for (int i = 0; i < ITEMS; i++) select();
                }
            });
        }

        /** One round of {@code ITEMS} selects; returns the sum of the values taken. */
        final long run() {
            sum = 0;
            crew.run();
            return sum;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            crew.close();
        }
    }

    /** Facade channels and one facade {@code Select}, built once and run per value. */
    @State(Scope.Benchmark)
    public static class ConduitThreads extends Threads {
        private final List<dev.conduit.java.chan.Channel<Integer>> chs = new ArrayList<>();
        private final dev.conduit.java.chan.Select select = dev.conduit.java.chan.Select.create();

        @Override
        void open(int cases) {
            for (int i = 0; i < cases; i++) chs.add(dev.conduit.java.chan.Channel.create(16));
            for (var c : chs) select.onReceive(c, v -> sum += v);
        }

        @Override
        void send(int i) throws Exception {
            chs.get(i % chs.size()).send(i);
        }

        @Override
        void select() throws Exception {
            select.run();
        }
    }

    /** jox channels; a {@code Select.select} over new receive clauses per value, as jox's API has it. */
    @State(Scope.Benchmark)
    public static class JoxThreads extends Threads {
        private final List<Channel<Integer>> chs = new ArrayList<>();

        @Override
        void open(int cases) {
            for (int i = 0; i < cases; i++) chs.add(Channel.newBufferedChannel(16));
        }

        @Override
        void send(int i) throws Exception {
            chs.get(i % chs.size()).send(i);
        }

        @Override
        void select() throws Exception {
            SelectClause<?>[] clauses = new SelectClause<?>[chs.size()];
            for (int k = 0; k < clauses.length; k++) clauses[k] = chs.get(k).receiveClause(v -> sum += v);
            Select.select(clauses);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitFacade(ConduitThreads threads) {
        return threads.run();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jox(JoxThreads threads) {
        return threads.run();
    }
}
