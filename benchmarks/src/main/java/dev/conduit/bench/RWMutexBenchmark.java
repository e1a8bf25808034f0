package dev.conduit.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * Lock/unlock pairs per second on one read-write lock, 9 reads to 1 write: Conduit's
 * channel-built {@code RWMutex} by 4 coroutines on the default dispatcher, and
 * {@link ReentrantReadWriteLock} by 4 platform threads (made once per trial, {@link Crew}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RWMutexBenchmark {
    static final int WORKERS = 4;
    static final int PER_WORKER = 20_000;
    static final int WRITE_EVERY = 10;

    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long conduitRWMutex() {
        return CoroutineWorkloads.conduitRWMutexMix(WORKERS, PER_WORKER, WRITE_EVERY);
    }

    /** The lock, what it guards and the 4 platform threads, for the trial. */
    @State(Scope.Benchmark)
    public static class LockThreads {
        final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        long counter;
        final long[] seen = new long[WORKERS];
        Crew crew;

        @Setup(Level.Trial)
        public void setUp() {
            crew = new Crew(Crew.PLATFORM, WORKERS, member -> {
                long local = 0;
                for (int i = 0; i < PER_WORKER; i++) {
                    if (i % WRITE_EVERY == 0) {
                        rw.writeLock().lock();
                        try {
                            counter++;
                        } finally {
                            rw.writeLock().unlock();
                        }
                    } else {
                        rw.readLock().lock();
                        try {
                            local += counter;
                        } finally {
                            rw.readLock().unlock();
                        }
                    }
                }
                seen[member] = local;
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            crew.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long reentrantReadWriteLock(LockThreads threads) {
        threads.counter = 0;
        threads.crew.run();
        long sum = threads.counter;
        for (long s : threads.seen) sum += s;
        return sum;
    }
}
