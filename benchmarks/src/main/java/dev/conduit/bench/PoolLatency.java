package dev.conduit.bench;

import dev.conduit.java.pool.Job;
import dev.conduit.java.pool.WorkerPool;
import dev.conduit.pool.WorkerPoolConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop submit-to-start latency of tiny jobs at a fixed rate, the load the issue asks for
 * ("a p99 submit-to-start latency at half of the measured peak load"): job {@code i} is due at
 * {@code t0 + i / rate}; the submitting thread waits for that moment (never for the previous
 * job), submits, and the job records {@code start - due}. Measuring from the due time, not the
 * submit call, keeps a stalled submitter's delay in the figures (no coordinated omission).
 * Not JMH: JMH's sample mode measures one call at a time, which is closed-loop.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.conduit.bench.PoolLatency RATE [pool|pool-own|tpe] [WORKERS] [SECONDS]</pre>
 *
 * Prints one line: the rate reached, p50, p90, p99, p99.9 and the maximum, in microseconds,
 * after a warm-up of the same length that is not counted. {@code pool-own} runs the pool's
 * workers on a fixed thread pool of their own; {@code tpe} runs the same load on a
 * {@link ThreadPoolExecutor} of as many threads.
 */
public final class PoolLatency {
    private PoolLatency() {}

    /** Where the jobs go: the pool or the executor. */
    private interface Target extends AutoCloseable {
        boolean offer(Runnable job);

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        long rate = Long.parseLong(args[0]);
        String peer = args.length > 1 ? args[1] : "pool";
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        try (Target target = target(peer, workers)) {
            run(target, rate, seconds); // warm-up, not counted
            long[] lat = run(target, rate, seconds);
            long elapsed = lat[lat.length - 1];
            long[] sorted = Arrays.copyOf(lat, lat.length - 1);
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%s workers=%d rate=%d reached=%.0f/s p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f us%n",
                    peer, workers, rate, sorted.length * 1e9 / elapsed, us(sorted, 0.5), us(sorted, 0.9), us(sorted, 0.99),
                    us(sorted, 0.999), sorted[sorted.length - 1] / 1e3);
        }
    }

    private static double us(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e3;
    }

    /** Runs {@code rate * seconds} jobs; returns their latencies, then the run's length, in ns. */
    private static long[] run(Target target, long rate, int seconds) throws InterruptedException {
        int n = Math.toIntExact(rate * seconds);
        long[] lat = new long[n + 1];
        CountDownLatch done = new CountDownLatch(n);
        long t0 = System.nanoTime() + 1_000_000;
        for (int i = 0; i < n; i++) {
            long due = t0 + i * 1_000_000_000L / rate;
            while (System.nanoTime() < due) Thread.onSpinWait();
            int k = i;
            Runnable job = () -> {
                lat[k] = System.nanoTime() - due;
                done.countDown();
            };
            while (!target.offer(job)) Thread.onSpinWait();
        }
        if (!done.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("jobs did not finish within 60 s");
        lat[n] = System.nanoTime() - t0;
        return lat;
    }

    private static Target target(String peer, int workers) {
        switch (peer) {
            case "pool":
            case "pool-own": {
                WorkerPoolConfig config = WorkerPoolConfig.builder().name("latency").minWorkers(workers).maxWorkers(workers)
                        .priorities(1).queueCapacity(1 << 16).build();
                ExecutorService own = peer.equals("pool-own") ? Executors.newFixedThreadPool(workers) : null;
                WorkerPool pool = own == null ? WorkerPool.create(config) : WorkerPool.create(config, own);
                Job.Builder nonBlocking = Job.builder().blocking(false);
                return new Target() {
                    @Override
                    public boolean offer(Runnable job) {
                        return pool.trySubmit(nonBlocking.build(ctx -> {
                            job.run();
                            return null;
                        })).isPresent();
                    }

                    @Override
                    public void close() {
                        pool.shutdownNow();
                        if (own != null) own.shutdownNow();
                    }
                };
            }
            case "tpe": {
                ThreadPoolExecutor tpe = new ThreadPoolExecutor(workers, workers, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
                return new Target() {
                    @Override
                    public boolean offer(Runnable job) {
                        tpe.execute(job);
                        return true;
                    }

                    @Override
                    public void close() {
                        tpe.shutdownNow();
                    }
                };
            }
            default:
                throw new IllegalArgumentException("peer must be pool, pool-own or tpe, but was " + peer);
        }
    }
}
