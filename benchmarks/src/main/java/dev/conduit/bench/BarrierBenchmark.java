package dev.conduit.bench;

import java.util.concurrent.CyclicBarrier;
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
 * Barrier rounds per second, 4 parties: Conduit's channel-built cyclic {@code Barrier} with 4
 * coroutines on the default dispatcher, and {@link CyclicBarrier} with 4 platform threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BarrierBenchmark {
    static final int PARTIES = 4;
    static final int ROUNDS = 5_000;

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int conduitBarrier() {
        return CoroutineWorkloads.conduitBarrierRounds(PARTIES, ROUNDS);
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int cyclicBarrier() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(PARTIES);
        Thread[] threads = new Thread[PARTIES];
        for (int p = 0; p < PARTIES; p++) {
            threads[p] = new Thread(() -> {
                try {
                    for (int r = 0; r < ROUNDS; r++) barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads[p].start();
        }
        for (Thread t : threads) t.join();
        return ROUNDS;
    }
}
