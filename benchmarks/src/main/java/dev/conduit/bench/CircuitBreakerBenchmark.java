package dev.conduit.bench;

import dev.conduit.resilience.CircuitBreaker;
import dev.conduit.resilience.CircuitBreakerConfig;
import dev.conduit.resilience.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Overhead per call of a closed circuit breaker around a trivial call (a counter increment), one
 * thread and two threads sharing one breaker: Conduit's {@code tryAcquirePermission} /
 * {@code onSuccess} pair against Resilience4j's {@code acquirePermission} / {@code onSuccess}
 * pair (what its {@code decorateSupplier} runs) and its {@code executeSupplier}, both breakers
 * with a count window of 100 calls and a 50% failure-rate threshold. {@code baseline} is the
 * call alone; {@code baselineTimed} is the call timed with the two {@code System.nanoTime()}
 * reads that both pair forms make around it (a caller times its call for the slow-call rule,
 * with or without a breaker; Resilience4j's {@code getCurrentTimestamp()} is that same read). A
 * pair form's breaker overhead is its score minus {@code baselineTimed}'s. Run with
 * {@code -prof gc} for the allocation rate (the target is 0 B/op for Conduit).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class CircuitBreakerBenchmark {
    static final int WINDOW = 100;
    static final float FAILURE_RATE = 50;

    final CircuitBreaker conduit = new CircuitBreaker("bench", CircuitBreakerConfig.builder()
            .slidingWindowType(SlidingWindowType.COUNT_BASED).slidingWindowSize(WINDOW).failureRateThreshold(FAILURE_RATE).build());
    final io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
            "bench", io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                    .slidingWindowType(io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(WINDOW).failureRateThreshold(FAILURE_RATE).build());

    /** The trivial call, one per thread so that the threads share only the breaker. */
    @State(Scope.Thread)
    public static class Work {
        long count;
        final Supplier<Work> call = () -> {
            count++;
            return this;
        };

        long call() {
            return ++count;
        }
    }

    private long conduitCall(Work work) {
        if (!conduit.tryAcquirePermission()) throw new IllegalStateException("the breaker opened");
        long start = System.nanoTime();
        long result = work.call();
        conduit.onSuccess(System.nanoTime() - start);
        return result;
    }

    /** The call timed as the pair forms time it, with no breaker: their common part. */
    private static long timedCall(Work work) {
        long start = System.nanoTime();
        long result = work.call();
        return result + (System.nanoTime() - start);
    }

    private long resilience4jCall(Work work) {
        resilience4j.acquirePermission();
        long start = resilience4j.getCurrentTimestamp();
        long result = work.call();
        resilience4j.onSuccess(resilience4j.getCurrentTimestamp() - start, resilience4j.getTimestampUnit());
        return result;
    }

    @Benchmark
    @Threads(1)
    public long baseline(Work work) {
        return work.call();
    }

    @Benchmark
    @Threads(1)
    public long baselineTimed(Work work) {
        return timedCall(work);
    }

    @Benchmark
    @Threads(1)
    public long conduit(Work work) {
        return conduitCall(work);
    }

    @Benchmark
    @Threads(1)
    public long resilience4j(Work work) {
        return resilience4jCall(work);
    }

    @Benchmark
    @Threads(1)
    public Work resilience4jExecuteSupplier(Work work) throws CallNotPermittedException {
        return resilience4j.executeSupplier(work.call);
    }

    @Benchmark
    @Threads(2)
    public long baselineContended(Work work) {
        return work.call();
    }

    @Benchmark
    @Threads(2)
    public long baselineTimedContended(Work work) {
        return timedCall(work);
    }

    @Benchmark
    @Threads(2)
    public long conduitContended(Work work) {
        return conduitCall(work);
    }

    @Benchmark
    @Threads(2)
    public long resilience4jContended(Work work) {
        return resilience4jCall(work);
    }

    @Benchmark
    @Threads(2)
    public Work resilience4jExecuteSupplierContended(Work work) throws CallNotPermittedException {
        return resilience4j.executeSupplier(work.call);
    }
}
