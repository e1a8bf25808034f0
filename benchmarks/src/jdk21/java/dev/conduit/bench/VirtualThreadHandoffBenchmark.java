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
 * Blocking hand-off between two virtual threads, items per second: the Conduit Java facade,
 * jox (Go-style channels built for virtual threads), and a JDK queue ({@link SynchronousQueue}
 * for capacity 0, {@link ArrayBlockingQueue} otherwise). The channel and its two threads are made
 * once per trial ({@link Handoff.Transfer}), so an invocation times the hand-offs alone. JDK 21+
 * only.
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

    /** The channel or queue under test and its two virtual threads, for the trial. */
    abstract static class Threads {
        Handoff.Transfer transfer;

        /** The transfer over a new channel or queue of {@code capacity}. */
        abstract Handoff.Transfer transfer(int capacity);

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            transfer = transfer(Integer.parseInt(params.getParam("capacity")));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            transfer.close();
        }
    }

    /** The Conduit facade's {@code Channel}. */
    @State(Scope.Benchmark)
    public static class ConduitThreads extends Threads {
        @Override
        Handoff.Transfer transfer(int capacity) {
            dev.conduit.java.chan.Channel<Integer> ch = dev.conduit.java.chan.Channel.create(capacity);
            return new Handoff.Transfer(VIRTUAL, ITEMS, ch::send, ch::receive);
        }
    }

    /** A jox {@link Channel}. */
    @State(Scope.Benchmark)
    public static class JoxThreads extends Threads {
        @Override
        Handoff.Transfer transfer(int capacity) {
            Channel<Integer> ch = capacity == 0 ? Channel.newRendezvousChannel() : Channel.newBufferedChannel(capacity);
            return new Handoff.Transfer(VIRTUAL, ITEMS, ch::send, ch::receive);
        }
    }

    /** {@link SynchronousQueue} (capacity 0) or {@link ArrayBlockingQueue}. */
    @State(Scope.Benchmark)
    public static class QueueThreads extends Threads {
        @Override
        Handoff.Transfer transfer(int capacity) {
            BlockingQueue<Integer> q = capacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(capacity);
            return new Handoff.Transfer(VIRTUAL, ITEMS, q::put, q::take);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitFacade(ConduitThreads threads) {
        return threads.transfer.run();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jox(JoxThreads threads) {
        return threads.transfer.run();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long jdkQueue(QueueThreads threads) {
        return threads.transfer.run();
    }
}
