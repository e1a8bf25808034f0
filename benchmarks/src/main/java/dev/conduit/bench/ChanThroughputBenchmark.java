package dev.conduit.bench;

import java.util.concurrent.ArrayBlockingQueue;
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
 * Buffered producer-to-consumer throughput, items per second: a Conduit {@code Chan}, Conduit's
 * single-producer, single-consumer ring {@code spscChan}, and a raw
 * kotlinx {@code Channel} between two coroutines, and an {@link ArrayBlockingQueue} between two
 * platform threads (made once per trial, {@link Handoff.Transfer}), all with the same capacity.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChanThroughputBenchmark {
    static final int ITEMS = 100_000;

    @Param({"64"})
    int capacity;

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitChan() {
        return CoroutineWorkloads.conduitTransfer(capacity, ITEMS);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitSpscChan() {
        return CoroutineWorkloads.conduitSpscTransfer(capacity, ITEMS);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinxChannel() {
        return CoroutineWorkloads.kotlinxTransfer(capacity, ITEMS);
    }

    /** The queue and its two platform threads, for the trial. */
    @State(Scope.Benchmark)
    public static class QueueThreads {
        Handoff.Transfer transfer;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(Integer.parseInt(params.getParam("capacity")));
            transfer = new Handoff.Transfer(Crew.PLATFORM, ITEMS, q::put, q::take);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            transfer.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long arrayBlockingQueue(QueueThreads threads) {
        return threads.transfer.run();
    }
}
