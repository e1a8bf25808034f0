package dev.conduit.bench;

import dev.conduit.sync.LockOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * Lock/unlock pairs per second on one lock: Conduit's channel-built {@code Mutex} and kotlinx's
 * {@code Mutex}, each by 4 coroutines on the default dispatcher, and {@link ReentrantLock} by 4
 * platform threads (made once per trial, {@link Crew}); and Conduit's with the {@link LockOrder}
 * checker on, beside the same run off.
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

    /** {@link LockOrder} on (a handler that records nothing: this workload never nests locks) for the trial. */
    @State(Scope.Benchmark)
    public static class LockOrderOn {
        @Setup(Level.Trial)
        public void on() {
            LockOrder.enable(v -> {});
        }

        @TearDown(Level.Trial)
        public void off() {
            LockOrder.disable();
        }
    }

    /** {@link #conduitMutex} with the lock-order checker on: its cost per lock and unlock. */
    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long conduitMutexLockOrderOn(LockOrderOn on) {
        return CoroutineWorkloads.conduitMutexCounter(WORKERS, PER_WORKER);
    }

    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long kotlinxMutex() {
        return CoroutineWorkloads.kotlinxMutexCounter(WORKERS, PER_WORKER);
    }

    /** The lock, its counter and the 4 platform threads, for the trial. */
    @State(Scope.Benchmark)
    public static class LockThreads {
        final ReentrantLock lock = new ReentrantLock();
        long counter;
        Crew crew;

        @Setup(Level.Trial)
        public void setUp() {
            crew = new Crew(Crew.PLATFORM, WORKERS, member -> {
                for (int i = 0; i < PER_WORKER; i++) {
                    lock.lock();
                    try {
                        counter++;
                    } finally {
                        lock.unlock();
                    }
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            crew.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(WORKERS * PER_WORKER)
    public long reentrantLock(LockThreads threads) {
        threads.counter = 0;
        threads.crew.run();
        return threads.counter;
    }
}
