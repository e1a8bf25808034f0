package dev.conduit.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * Lock/unlock pairs per second on one read-write lock, 9 reads to 1 write: Conduit's
 * channel-built {@code RWMutex} by 4 coroutines on the default dispatcher, and
 * {@link ReentrantReadWriteLock} by 4 platform threads.
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

    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long reentrantReadWriteLock() throws Exception {
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        long[] counter = {0};
        long[] seen = new long[WORKERS];
        Thread[] threads = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            int me = w;
            threads[w] = new Thread(() -> {
                long local = 0;
                for (int i = 0; i < PER_WORKER; i++) {
                    if (i % WRITE_EVERY == 0) {
                        rw.writeLock().lock();
                        try {
                            counter[0]++;
                        } finally {
                            rw.writeLock().unlock();
                        }
                    } else {
                        rw.readLock().lock();
                        try {
                            local += counter[0];
                        } finally {
                            rw.readLock().unlock();
                        }
                    }
                }
                seen[me] = local;
            });
            threads[w].start();
        }
        for (Thread t : threads) t.join();
        long sum = counter[0];
        for (long s : seen) sum += s;
        return sum;
    }
}
