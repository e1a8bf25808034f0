package dev.conduit.java.pool;

import dev.conduit.GoRuntime;
import dev.conduit.Clock;
import dev.conduit.context.Context;
import dev.conduit.java.internal.PoolCalls;
import dev.conduit.pool.JobHandle;
import dev.conduit.pool.JobRejectedException;
import dev.conduit.pool.PoolMetrics;
import dev.conduit.pool.WorkerInfo;
import dev.conduit.pool.WorkerPoolConfig;
import dev.conduit.pool.WorkerPoolListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A self-scaling priority worker pool for Java: the Java view of the core {@link
 * dev.conduit.pool.WorkerPool} ({@link #wrap} and {@link #unwrap} share one pool between Java and
 * Kotlin code), whose documentation states each guarantee: strict priority with aging, a
 * sheddable class refused under overload, reserved slots for the higher classes, scaling between
 * {@code minWorkers} and {@code maxWorkers}, timeouts, replacement of hung and crashed workers
 * with retries, capability routing, and graceful shutdown.
 *
 * <pre>{@code
 * WorkerPool pool = WorkerPool.create(WorkerPoolConfig.builder().minWorkers(2).maxWorkers(8).build());
 * CompletableFuture<String> page = pool.submit(ctx -> fetch(url));
 * CompletableFuture<Void> report = pool.submit(Job.builder().priority(2).timeout(Duration.ofSeconds(5))
 *         .build(ctx -> { send(); return null; }));
 * List<Job<?>> unrun = pool.shutdown(Context.background().withTimeout(Duration.ofSeconds(10)));
 * }</pre>
 *
 * <p>Each job's result is a {@code CompletableFuture}: it completes with the job's value or
 * fails with what the job threw (as thrown), {@link dev.conduit.pool.JobTimeoutException},
 * {@link dev.conduit.pool.WorkerLostException} or {@link JobRejectedException} (the job never
 * ran). Cancelling it (or completing it, or {@code orTimeout}) cancels the job: a queued one is
 * taken out of the queue, a running one is interrupted.
 *
 * <p>Thread-safe. {@code submit}, {@code submitAll} and {@code shutdown} block; everything else
 * never blocks.
 */
public final class WorkerPool {
    private final dev.conduit.pool.WorkerPool core;

    private WorkerPool(dev.conduit.pool.WorkerPool core) {
        this.core = core;
    }

    /**
     * A pool with the default settings ({@link WorkerPoolConfig#defaults()}). Never blocks.
     *
     * @return a new pool, its minimum workers started
     */
    public static WorkerPool create() {
        return create(WorkerPoolConfig.defaults());
    }

    /**
     * A pool with {@code config}'s settings, its workers in the runtime's scope on the system
     * clock. Never blocks.
     *
     * @param config the settings
     * @return a new pool, its minimum workers started
     * @throws NullPointerException if {@code config} is null
     */
    public static WorkerPool create(WorkerPoolConfig config) {
        Objects.requireNonNull(config, "config");
        return new WorkerPool(new dev.conduit.pool.WorkerPool(config, GoRuntime.getScope(), Clock.system()));
    }

    /**
     * A pool with {@code config}'s settings whose workers run on {@code executor}'s threads
     * instead of the runtime's shared dispatcher, on the system clock. A pool of tiny jobs on
     * threads of its own (for example {@code Executors.newFixedThreadPool(maxWorkers)}) wakes
     * its workers faster than on the shared dispatcher (see the benchmarks' README). Jobs
     * marked blocking still run on goroutine threads. The pool never shuts {@code executor}
     * down; shut it down after the pool. Never blocks.
     *
     * @param config the settings
     * @param executor runs the workers; it must not refuse tasks while the pool runs
     * @return a new pool, its minimum workers started
     * @throws NullPointerException if {@code config} or {@code executor} is null
     */
    public static WorkerPool create(WorkerPoolConfig config, Executor executor) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(executor, "executor");
        return new WorkerPool(new dev.conduit.pool.WorkerPool(config, PoolCalls.scopeOn(executor), Clock.system()));
    }

    /**
     * The Java view of {@code core}: the same pool, not a copy. Never blocks.
     *
     * @param core the core pool to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static WorkerPool wrap(dev.conduit.pool.WorkerPool core) {
        return new WorkerPool(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core pool behind this one, for Kotlin code. Never blocks.
     *
     * @return the core pool
     */
    public dev.conduit.pool.WorkerPool unwrap() {
        return core;
    }

    /**
     * Submits {@code job}, blocking while the queue is full (backpressure).
     *
     * @param <T> the type of the job's value
     * @param job what to run
     * @return the job's result
     * @throws NullPointerException if {@code job} is null
     * @throws IllegalArgumentException if its priority is not in the pool's range, or its timeout
     *     or retry budget is bad
     * @throws JobRejectedException if it is shed, no worker profile can run it, or the pool is
     *     shutting down
     * @throws InterruptedException if interrupted while waiting for room; nothing was submitted
     */
    public <T extends @Nullable Object> CompletableFuture<T> submit(Job<T> job) throws InterruptedException {
        Objects.requireNonNull(job, "job");
        return PoolCalls.submit(core, BuiltJob.coreOf(job)).asCompletableFuture();
    }

    /**
     * Submits {@code job} if there is room now. Never blocks.
     *
     * @param <T> the type of the job's value
     * @param job what to run
     * @return the job's result, or empty if the queue is full
     * @throws NullPointerException if {@code job} is null
     * @throws IllegalArgumentException as {@link #submit}
     * @throws JobRejectedException as {@link #submit}
     */
    public <T extends @Nullable Object> Optional<CompletableFuture<T>> trySubmit(Job<T> job) {
        Objects.requireNonNull(job, "job");
        JobHandle<T> h = core.trySubmit(BuiltJob.coreOf(job));
        return h == null ? Optional.empty() : Optional.of(h.asCompletableFuture());
    }

    /**
     * Submits every job of {@code jobs}, handing them over in one batch (and the rest as room
     * appears), blocking while the queue is full. A sheddable job shed on the way is not thrown:
     * its future fails with {@link JobRejectedException}.
     *
     * @param <T> the type of the jobs' values
     * @param jobs what to run, in order
     * @return the results, in the order of {@code jobs}
     * @throws NullPointerException if {@code jobs} or one of them is null
     * @throws IllegalArgumentException as {@link #submit}; nothing is submitted then
     * @throws JobRejectedException if a job needs a capability no profile has (nothing is
     *     submitted) or the pool shuts down
     * @throws InterruptedException if interrupted while waiting for room; the jobs handed over
     *     until then are cancelled (a queued one taken out, a running one interrupted), since the
     *     caller gets none of their futures
     */
    public <T extends @Nullable Object> List<CompletableFuture<T>> submitAll(List<? extends Job<T>> jobs) throws InterruptedException {
        Objects.requireNonNull(jobs, "jobs");
        List<dev.conduit.pool.Job<T>> coreJobs = new ArrayList<>(jobs.size());
        for (Job<T> j : jobs) coreJobs.add(BuiltJob.coreOf(Objects.requireNonNull(j, "jobs[i]")));
        List<CompletableFuture<T>> futures = new ArrayList<>(jobs.size());
        for (JobHandle<T> h : PoolCalls.submitAll(core, coreJobs)) futures.add(h.asCompletableFuture());
        return futures;
    }

    /**
     * Sets the number of live workers to {@code target} now. Never blocks.
     *
     * @param target the number of workers
     * @throws IllegalArgumentException if {@code target} is not in {@code minWorkers..maxWorkers}
     * @throws IllegalStateException if the pool is shut down
     */
    public void scale(int target) {
        core.scale(target);
    }

    /**
     * Shuts the pool down gracefully: refuses new jobs, lets queued and running jobs finish until
     * {@code ctx} is done, then cancels what still runs. Blocks until then. When it returns because
     * every job finished (not because {@code ctx} ended), all their futures are done.
     *
     * @param ctx how long to let the jobs finish
     * @return the jobs that never ran (their futures failed with {@link JobRejectedException}),
     *     those submitted from Kotlin on {@link #unwrap()} as Java views that run them
     * @throws NullPointerException if {@code ctx} is null
     * @throws InterruptedException if interrupted while waiting: the pool is then shut down at
     *     once, as by {@link #shutdownNow()}
     */
    public List<Job<?>> shutdown(Context ctx) throws InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        return javaJobs(PoolCalls.shutdown(core, ctx));
    }

    /**
     * Shuts the pool down now: refuses new jobs, takes the queued ones out (their futures fail
     * with {@link JobRejectedException}) and cancels the running ones. Never blocks.
     *
     * @return the jobs that never ran, those submitted from Kotlin on {@link #unwrap()} as Java
     *     views that run them; empty on a second call
     */
    public List<Job<?>> shutdownNow() {
        return javaJobs(core.shutdownNow());
    }

    private static List<Job<?>> javaJobs(List<? extends dev.conduit.pool.Job<?>> jobs) {
        List<Job<?>> out = new ArrayList<>(jobs.size());
        for (dev.conduit.pool.Job<?> j : jobs) out.add(PoolCalls.javaJob(j));
        return out;
    }

    /**
     * Whether the pool was shut down. Never blocks.
     *
     * @return true once {@code shutdown} or {@code shutdownNow} was called
     */
    public boolean isShutdown() {
        return core.isShutdown();
    }

    /**
     * The number of live workers. Never blocks.
     *
     * @return the live (not stuck, not retiring) workers
     */
    public int workerCount() {
        return core.getWorkerCount();
    }

    /**
     * The workers now, with their health. Never blocks.
     *
     * @return a snapshot of the workers
     */
    public List<WorkerInfo> workers() {
        return core.workers();
    }

    /**
     * A snapshot of the pool's counters. Never blocks.
     *
     * @return the metrics now
     */
    public PoolMetrics metrics() {
        return core.metrics();
    }

    /**
     * Registers {@code listener} for scaling and health events. Never blocks.
     *
     * @param listener what to tell; it must not block
     * @throws NullPointerException if {@code listener} is null
     */
    public void addListener(WorkerPoolListener listener) {
        core.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unregisters {@code listener}. Never blocks.
     *
     * @param listener what to stop telling
     * @return whether it was registered
     * @throws NullPointerException if {@code listener} is null
     */
    public boolean removeListener(WorkerPoolListener listener) {
        return core.removeListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String toString() {
        return core.toString();
    }
}
