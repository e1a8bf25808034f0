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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link SelectBenchmark} workload between two virtual threads: the Java facade's blocking
 * {@code Select} against jox's {@code Select.select}. JDK 21+ only.
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

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitFacade() throws Exception {
        List<dev.conduit.java.chan.Channel<Integer>> chs = new ArrayList<>();
        for (int i = 0; i < cases; i++) chs.add(dev.conduit.java.chan.Channel.create(16));
        long[] sum = {0};
        dev.conduit.java.chan.Select select = dev.conduit.java.chan.Select.create();
        for (var c : chs) select.onReceive(c, v -> sum[0] += v);
        return run(i -> chs.get(i % cases).send(i), () -> select.run(), sum);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jox() throws Exception {
        List<Channel<Integer>> chs = new ArrayList<>();
        for (int i = 0; i < cases; i++) chs.add(Channel.newBufferedChannel(16));
        long[] sum = {0};
        return run(i -> chs.get(i % cases).send(i), () -> {
            SelectClause<?>[] clauses = new SelectClause<?>[cases];
            for (int k = 0; k < cases; k++) clauses[k] = chs.get(k).receiveClause(v -> sum[0] += v);
            Select.select(clauses);
        }, sum);
    }

    private interface Sender {
        void send(int i) throws Exception;
    }

    private interface Selector {
        void select() throws Exception;
    }

    private static long run(Sender send, Selector select, long[] sum) throws Exception {
        Throwable[] failure = {null};
        Thread producer = VIRTUAL.newThread(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) send.send(i);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        Thread consumer = VIRTUAL.newThread(() -> {
            try {
                for (int i = 0; i < ITEMS; i++) select.select();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
        if (failure[0] != null) throw new IllegalStateException("select loop failed", failure[0]);
        return sum[0];
    }
}
