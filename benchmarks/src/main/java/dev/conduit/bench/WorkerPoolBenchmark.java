package dev.conduit.bench;

import dev.conduit.java.pool.Job;
import dev.conduit.java.pool.WorkerPool;
import dev.conduit.pool.WorkerPoolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * "Millions of jobs per second": tiny jobs (a counter increment) run by Conduit's
 * {@link WorkerPool} (jobs marked non-blocking, so they run on the worker's own thread, as an
 * executor's tasks do), submitted one by one ({@code trySubmit}, retried while the queue is
 * full) and as one {@code submitAll} batch, against {@link ThreadPoolExecutor} with the same
 * number of threads, {@link ForkJoinPool} of that parallelism and, on JDK 21+, a
 * virtual-thread-per-task executor (made by reflection, so this compiles for 17; on 17 that
 * benchmark reports the skip by throwing). Each invocation submits {@link #BATCH} jobs and waits
 * until all have run, so the score is jobs per microsecond.
 *
 * <p>Targets (issue 11): {@code poolOneByOne} at least {@code threadPoolExecutor} at the same
 * worker count, {@code poolSubmitAll} at least 2 jobs/us on 2 cores. {@link Latency} records the
 * submit-to-start latency at a fixed rate (set {@code rate} to half the measured peak).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class WorkerPoolBenchmark {
    static final int BATCH = 1_000;

    @Param({"2", "4"})
    int workers;

    final AtomicLong counter = new AtomicLong();
    final Job<Long> job = Job.builder().blocking(false).build(ctx -> counter.incrementAndGet());
    final Runnable task = counter::incrementAndGet;
    final List<Job<Long>> batch = new ArrayList<>();

    WorkerPool pool;
    ExecutorService ownThreads;
    WorkerPool poolOnOwnThreads;
    ThreadPoolExecutor threadPool;
    ForkJoinPool forkJoin;
    ExecutorService virtualThreads;

    @Setup
    public void setUp() {
        pool = WorkerPool.create(WorkerPoolConfig.builder().name("bench").minWorkers(workers).maxWorkers(workers)
                .priorities(1).queueCapacity(4 * BATCH).build());
        ownThreads = java.util.concurrent.Executors.newFixedThreadPool(workers);
        poolOnOwnThreads = WorkerPool.create(WorkerPoolConfig.builder().name("own").minWorkers(workers).maxWorkers(workers)
                .priorities(1).queueCapacity(4 * BATCH).build(), ownThreads);
        threadPool = new ThreadPoolExecutor(workers, workers, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        forkJoin = new ForkJoinPool(workers);
        virtualThreads = virtualThreadPerTaskExecutor();
        for (int i = 0; i < BATCH; i++) batch.add(job);
    }

    @TearDown
    public void tearDown() {
        pool.shutdownNow();
        poolOnOwnThreads.shutdownNow();
        ownThreads.shutdownNow();
        threadPool.shutdownNow();
        forkJoin.shutdownNow();
        if (virtualThreads != null) virtualThreads.shutdownNow();
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+, null before. */
    static ExecutorService virtualThreadPerTaskExecutor() {
        try {
            return (ExecutorService) java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** Spins until {@code BATCH} more jobs than {@code before} have run. */
    private void awaitBatch(long before) {
        long target = before + BATCH;
        while (counter.get() < target) Thread.onSpinWait();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void poolOneByOne() {
        oneByOne(pool);
    }

    /** {@link #poolOneByOne} on a pool whose workers run on a fixed thread pool of its own, not the shared dispatcher. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void poolOwnThreads() {
        oneByOne(poolOnOwnThreads);
    }

    /** Submits {@code BATCH} jobs to {@code p} one by one, retrying while its queue is full, and waits until they ran. */
    private void oneByOne(WorkerPool p) {
        long before = counter.get();
        for (int i = 0; i < BATCH; i++) {
            while (p.trySubmit(job).isEmpty()) Thread.onSpinWait();
        }
        awaitBatch(before);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void poolSubmitAll() throws InterruptedException {
        long before = counter.get();
        pool.submitAll(batch);
        awaitBatch(before);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void threadPoolExecutor() {
        long before = counter.get();
        for (int i = 0; i < BATCH; i++) threadPool.execute(task);
        awaitBatch(before);
    }

    /** {@link #threadPoolExecutor} with a result handle per task, as the pool makes one: {@code submit}, a {@code FutureTask} each. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void threadPoolExecutorSubmit() {
        long before = counter.get();
        for (int i = 0; i < BATCH; i++) threadPool.submit(task);
        awaitBatch(before);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void forkJoinPool() {
        long before = counter.get();
        for (int i = 0; i < BATCH; i++) forkJoin.execute(task);
        awaitBatch(before);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void virtualThreadPerTask() {
        if (virtualThreads == null) throw new UnsupportedOperationException("virtual threads need JDK 21+");
        long before = counter.get();
        for (int i = 0; i < BATCH; i++) virtualThreads.execute(task);
        awaitBatch(before);
    }

    /**
     * Submit-to-start latency at a fixed rate: one job per {@code 1e9 / rate} ns (paced outside
     * the measurement), each measured from just before {@code trySubmit} until it starts running
     * on a worker. Read the p99 of the sample distribution.
     */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    @Fork(3)
    public static class Latency {
        @Param({"2"})
        int workers;

        /** Jobs per second. */
        @Param({"200000"})
        long rate;

        volatile long started;
        final Job<Long> job = Job.builder().blocking(false).build(ctx -> started = System.nanoTime());
        WorkerPool pool;
        long next;

        @Setup
        public void setUp() {
            pool = WorkerPool.create(WorkerPoolConfig.builder().name("latency").minWorkers(workers).maxWorkers(workers).priorities(1).build());
            next = System.nanoTime();
        }

        @TearDown
        public void tearDown() {
            pool.shutdownNow();
        }

        /** Waits for the next slot of the fixed rate; not measured. */
        @Setup(Level.Invocation)
        public void pace() {
            next += 1_000_000_000L / rate;
            while (System.nanoTime() < next) Thread.onSpinWait();
        }

        @Benchmark
        public long submitToStart() {
            long t0 = System.nanoTime();
            started = 0;
            while (pool.trySubmit(job).isEmpty()) Thread.onSpinWait();
            long s;
            while ((s = started) == 0) Thread.onSpinWait();
            return s - t0;
        }
    }
}
