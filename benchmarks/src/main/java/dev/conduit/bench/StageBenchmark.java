package dev.conduit.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
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
 * Items per second through one parallel map stage of 4 workers doing a little arithmetic per
 * item, with 64-item buffers before and after every stage, unordered against unordered and
 * ordered against ordered:
 * <ul>
 *   <li>unordered: Conduit's {@code map(..., ordered = false)}; the kotlinx fan-out idiom (a
 *       {@code produce} channel read by 4 worker coroutines sending to one result channel); and
 *       kotlinx Flow's {@code flatMapMerge(4)}, the usual Flow way to map concurrently;
 *   <li>ordered: Conduit's {@code map(..., ordered = true)}; kotlinx has no order-preserving
 *       parallel map, so its peer is the idiom that does it with kotlinx parts: an {@code async}
 *       per item, a buffer of 4 bounding those in flight, awaited in order.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StageBenchmark {
    static final int ITEMS = 100_000;
    static final int WORKERS = 4;
    static final LongUnaryOperator WORK = x -> {
        long h = x;
        for (int i = 0; i < 16; i++) h = h * 6364136223846793005L + 1442695040888963407L;
        return h >>> 40;
    };

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitOrdered() {
        return CoroutineWorkloads.conduitMapStage(ITEMS, WORKERS, true, WORK);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitUnordered() {
        return CoroutineWorkloads.conduitMapStage(ITEMS, WORKERS, false, WORK);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinxFanOut() {
        return CoroutineWorkloads.kotlinxFanOut(ITEMS, WORKERS, WORK);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinxFlatMapMerge() {
        return CoroutineWorkloads.kotlinxFlowMerge(ITEMS, WORKERS, WORK);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinxOrderedAsync() {
        return CoroutineWorkloads.kotlinxOrderedAsync(ITEMS, WORKERS, WORK);
    }
}
