package dev.conduit.bench;

import dev.conduit.ring.MpmcRing;
import dev.conduit.ring.MpscRing;
import dev.conduit.ring.SpscRing;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;
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

/**
 * Elements per second through a bounded queue of 1024: one producer and one consumer (spsc), two
 * producers and one consumer (mpsc), two and two (mpmc), all with the same spin-then-yield loop
 * ({@link QueueTransfer}). The queue and its threads are made once per trial, so an invocation
 * times the transfer alone. Conduit's rings against JCTools' array queues of the same guarantee
 * and {@link ArrayBlockingQueue}, same run, same capacity. Disruptor is in
 * {@link DisruptorBenchmark} (its API is not a {@code Queue}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingBenchmark {
    static final int CAPACITY = 1024;
    static final int ITEMS = 1 << 20;

    @Param({"spsc", "mpsc", "mpmc"})
    public String kind;

    @Param({"conduit", "jctools", "abq"})
    public String impl;

    private QueueTransfer transfer;

    @Setup(Level.Trial)
    public void setUp() {
        int producers = kind.equals("spsc") ? 1 : 2;
        int consumers = kind.equals("mpmc") ? 2 : 1;
        transfer = new QueueTransfer(queue(), producers, consumers, ITEMS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        transfer.close();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long transfer() {
        return transfer.run();
    }

    private Queue<Integer> queue() {
        switch (impl + "/" + kind) {
            case "conduit/spsc": return new SpscRing<>(CAPACITY);
            case "conduit/mpsc": return new MpscRing<>(CAPACITY);
            case "conduit/mpmc": return new MpmcRing<>(CAPACITY);
            case "jctools/spsc": return new SpscArrayQueue<>(CAPACITY);
            case "jctools/mpsc": return new MpscArrayQueue<>(CAPACITY);
            case "jctools/mpmc": return new MpmcArrayQueue<>(CAPACITY);
            default: return new ArrayBlockingQueue<>(CAPACITY);
        }
    }
}
