package dev.conduit.bench;

import dev.conduit.java.chan.Channel;
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
 * The buffered fast path alone (a send and a receive that neither suspend nor block, on a
 * channel of 64), per send+receive pair: Conduit and kotlinx from a coroutine, and the Java
 * facade's blocking calls from a thread. Run with {@code -prof gc}: the channels' own bytes per
 * pair (one shared value is sent, so nothing is boxed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class ChanFastPathBenchmark {
    static final int ITEMS = 100_000;
    static final Object SHARED = new Object();

    private final Channel<Object> facade = Channel.create(64);

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitCoroutine() {
        return CoroutineWorkloads.conduitFastPath(ITEMS);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long kotlinxCoroutine() {
        return CoroutineWorkloads.kotlinxFastPath(ITEMS);
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long conduitFacadeThread() throws InterruptedException {
        long n = 0;
        for (int i = 0; i < ITEMS; i++) {
            facade.send(SHARED);
            if (facade.receive() == SHARED) n++;
        }
        return n;
    }
}
