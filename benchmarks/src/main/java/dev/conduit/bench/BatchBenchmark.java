package dev.conduit.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Items per second from one producer coroutine to one consumer coroutine: through a
 * {@code BatchChannel} of 64-item batches (pooled, recycled by the consumer) and through a plain
 * Conduit {@code Chan} of capacity 64, item by item. The items are one shared object, so
 * {@code -prof gc} shows what the channels themselves allocate per item.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchBenchmark {
    static final int ITEMS = 1 << 20;

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long batchChannel() {
        return CoroutineWorkloads.conduitBatchTransfer(ITEMS, 64);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long perItemChan() {
        return CoroutineWorkloads.conduitSharedItemTransfer(64, ITEMS);
    }
}
