package dev.conduit.bench;

import com.softwaremill.jox.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
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
 * Blocking hand-off between two virtual threads, items per second: the Conduit Java facade,
 * jox (Go-style channels built for virtual threads), and a JDK queue ({@link SynchronousQueue}
 * for capacity 0, {@link ArrayBlockingQueue} otherwise). JDK 21+ only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VirtualThreadHandoffBenchmark {
    static final int ITEMS = 100_000;
    static final ThreadFactory VIRTUAL = Thread.ofVirtual().factory();

    /** 0: rendezvous; 64: buffered. */
    @Param({"0", "64"})
    int capacity;

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitFacade() throws Exception {
        dev.conduit.java.chan.Channel<Integer> ch = dev.conduit.java.chan.Channel.create(capacity);
        return Handoff.transfer(VIRTUAL, ITEMS, ch::send, ch::receive);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jox() throws Exception {
        Channel<Integer> ch = capacity == 0 ? Channel.newRendezvousChannel() : Channel.newBufferedChannel(capacity);
        return Handoff.transfer(VIRTUAL, ITEMS, ch::send, ch::receive);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jdkQueue() throws Exception {
        BlockingQueue<Integer> q = capacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(capacity);
        return Handoff.transfer(VIRTUAL, ITEMS, q::put, q::take);
    }
}
