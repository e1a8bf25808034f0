package dev.conduit.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * Lock/unlock pairs per second on one lock: Conduit's channel-built {@code Mutex} and kotlinx's
 * {@code Mutex}, each by 4 coroutines on the default dispatcher, and {@link ReentrantLock} by 4
 * platform threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MutexBenchmark {
    static final int WORKERS = 4;
    static final int PER_WORKER = 20_000;

    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long conduitMutex() {
        return CoroutineWorkloads.conduitMutexCounter(WORKERS, PER_WORKER);
    }

    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long kotlinxMutex() {
        return CoroutineWorkloads.kotlinxMutexCounter(WORKERS, PER_WORKER);
    }

    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long reentrantLock() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        long[] counter = {0};
        Thread[] threads = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            threads[w] = new Thread(() -> {
                for (int i = 0; i < PER_WORKER; i++) {
                    lock.lock();
                    try {
                        counter[0]++;
                    } finally {
                        lock.unlock();
                    }
                }
            });
            threads[w].start();
        }
        for (Thread t : threads) t.join();
        return counter[0];
    }
}
