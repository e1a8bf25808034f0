package dev.conduit.bench;

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
 * Selects per second between two coroutines: one sends values round-robin on {@code cases}
 * buffered channels (16 each), the other takes each value with one select over all of them.
 * Conduit's {@code select} against kotlinx's {@code select} over kotlinx channels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class SelectBenchmark {
    static final int ITEMS = 50_000;

    @Param({"2", "4"})
    int cases;

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitSelect() {
        return CoroutineWorkloads.conduitSelectLoop(cases, ITEMS);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinxSelect() {
        return CoroutineWorkloads.kotlinxSelectLoop(cases, ITEMS);
    }
}
