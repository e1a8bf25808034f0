package dev.conduit.bench;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * Cost of a non-blocking "may I?" on a token bucket, one thread and two threads sharing one
 * limiter: Conduit's {@code allow()}, Resilience4j's {@code acquirePermission()} (zero timeout),
 * Bucket4j's {@code tryConsume(1)} and Guava's {@code tryAcquire()}. Every limiter is set to
 * about 10^9 permits per second, so calls succeed and what is measured is the bookkeeping.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimiterBenchmark {
    static final double RATE = 1e9;

    final dev.conduit.resilience.RateLimiter conduit = new dev.conduit.resilience.RateLimiter(RATE, 1_000_000);
    final io.github.resilience4j.ratelimiter.RateLimiter resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.of(
            "bench", RateLimiterConfig.custom()
                    .limitForPeriod(1_000_000).limitRefreshPeriod(Duration.ofMillis(1)).timeoutDuration(Duration.ZERO).build());
    final Bucket bucket4j = Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(1_000_000).refillGreedy(1_000_000, Duration.ofMillis(1)).build())
            .build();
    @SuppressWarnings("UnstableApiUsage")
    final com.google.common.util.concurrent.RateLimiter guava = com.google.common.util.concurrent.RateLimiter.create(RATE);

    @Benchmark
    @Threads(1)
    public boolean conduit() {
        return conduit.allow();
    }

    @Benchmark
    @Threads(1)
    public boolean resilience4j() {
        return resilience4j.acquirePermission();
    }

    @Benchmark
    @Threads(1)
    public boolean bucket4j() {
        return bucket4j.tryConsume(1);
    }

    @Benchmark
    @Threads(1)
    public boolean guava() {
        return guava.tryAcquire();
    }

    @Benchmark
    @Threads(2)
    public boolean conduitContended() {
        return conduit.allow();
    }

    @Benchmark
    @Threads(2)
    public boolean resilience4jContended() {
        return resilience4j.acquirePermission();
    }

    @Benchmark
    @Threads(2)
    public boolean bucket4jContended() {
        return bucket4j.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean guavaContended() {
        return guava.tryAcquire();
    }
}
