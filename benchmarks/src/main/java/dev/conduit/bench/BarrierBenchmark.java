package dev.conduit.bench;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Barrier rounds per second, 4 parties: Conduit's channel-built cyclic {@code Barrier} with 4
 * coroutines on the default dispatcher, and {@link CyclicBarrier} with 4 platform threads (made
 * once per trial, {@link Crew}).
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

    /** The barrier and its 4 platform threads, for the trial. */
    @State(Scope.Benchmark)
    public static class BarrierThreads {
        final CyclicBarrier barrier = new CyclicBarrier(PARTIES);
        Crew crew;

        @Setup(Level.Trial)
        public void setUp() {
            crew = new Crew(Crew.PLATFORM, PARTIES, member -> {
                for (int r = 0; r < ROUNDS; r++) barrier.await();
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            crew.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int cyclicBarrier(BarrierThreads threads) {
        threads.crew.run();
        return ROUNDS;
    }
}
