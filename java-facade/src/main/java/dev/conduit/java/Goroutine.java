package dev.conduit.java;

import dev.conduit.GoLeaks;
import dev.conduit.GoRuntime;
import dev.conduit.LiveGoroutine;
import dev.conduit.Stoppable;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A running goroutine, as {@link Go#go} and {@link Goroutines#go} return it: wait for it to end
 * ({@link #join()}, {@link #join(Duration)}, {@link #completion()}) or ask it to stop
 * ({@link #cancel()}). Go gives a goroutine no handle; Java code that must know when one ended
 * (a shutdown, a test) needs one, and it costs nothing to ignore.
 *
 * <p>How a task ends: returning, or throwing {@link InterruptedException} or a
 * {@link ContextException} (it was cancelled), is a normal end; any other exception is a
 * failure, reported to {@link GoRuntime#setUncaughtExceptionHandler}'s handler as always (never
 * swallowed) and also given to {@link #completion()}. Thread-safe.
 */
public final class Goroutine {
    /** The goroutines started and not yet ended, as {@link GoLeaks#running()} lists them. */
    private static final Set<Goroutine> LIVE = ConcurrentHashMap.newKeySet();

    static {
        GoLeaks.addSource(Goroutine::liveNow);
    }

    private final String name;
    private final long id = GoLeaks.nextId();
    private final List<StackTraceElement> site = GoLeaks.creationSiteNow();
    private final CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
    /** Guards the interrupt against the task's end: no interrupt reaches a thread after its task. */
    private final Object lock = new Object();
    private @Nullable Thread thread;
    private boolean cancelled;
    private boolean ended;

    Goroutine(String name) {
        this.name = name;
        LIVE.add(this);
        done.whenComplete((v, e) -> LIVE.remove(this));
    }

    private static List<LiveGoroutine> liveNow() {
        List<LiveGoroutine> out = new ArrayList<>();
        for (Goroutine g : LIVE) out.add(new LiveGoroutine(g.name, "thread", g.site, g, g::isDone, g.id, g::runningThread));
        return out;
    }

    /**
     * Its name: the launcher's prefix and a number ({@code goroutine-17} by default). Never blocks.
     *
     * @return the goroutine's name
     */
    public String name() {
        return name;
    }

    /**
     * Whether its task has ended (or it was cancelled before it started). Never blocks.
     *
     * @return true once its task has ended or it was cancelled before starting
     */
    public boolean isDone() {
        return done.isDone();
    }

    /**
     * Blocks until its task has ended, however it ended.
     *
     * @throws InterruptedException if the waiting thread is interrupted first
     */
    public void join() throws InterruptedException {
        try {
            done.get();
        } catch (ExecutionException e) {
            // A failure is an end too; it was reported, and completion() carries it.
        }
    }

    /**
     * Blocks until its task has ended or {@code timeout} passes (zero or negative: only checks).
     *
     * @param timeout the longest to wait
     * @return true if it has ended, false if the timeout passed first
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the waiting thread is interrupted first
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException longerThanNanosCount) {
            join();
            return true;
        }
        try {
            done.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException failedButEnded) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /**
     * Asks it to stop: a task that has not started never runs; a running one has its thread
     * interrupted, so its blocking calls end with {@link InterruptedException}. Idempotent; does
     * nothing once it has ended. Never blocks.
     */
    public void cancel() {
        boolean started;
        synchronized (lock) {
            cancelled = true;
            started = thread != null;
            if (started && !ended) thread.interrupt();
        }
        if (!started) done.complete(null); // it will never run
    }

    /**
     * A stage that completes when its task ends: normally if it returned or was cancelled,
     * exceptionally with the failure it threw. Nobody else can complete it. Never blocks.
     *
     * @return a stage that completes when the task ends
     */
    public CompletionStage<@Nullable Void> completion() {
        return done.minimalCompletionStage();
    }

    /** The thread running its task now, or null before it starts and after it ends. */
    private @Nullable Thread runningThread() {
        synchronized (lock) {
            return ended ? null : thread;
        }
    }

    /** Runs {@code task} on this thread as this goroutine, interrupted when {@code ctx} (if any) is done. */
    void run(@Nullable Context ctx, Go.Task task) {
        synchronized (lock) {
            if (cancelled || (ctx != null && ctx.getErr() != null)) {
                cancelled = true;
                done.complete(null); // asked to stop before it started: it never runs
                return;
            }
            thread = Thread.currentThread();
        }
        Stoppable watch = ctx == null ? null : ctx.afterFunc(this::cancel);
        Throwable failure = null;
        try {
            task.run();
        } catch (InterruptedException | ContextException stopped) {
            // Cancellation, not failure: it was asked to stop and did.
        } catch (Throwable e) {
            failure = e;
        } finally {
            synchronized (lock) {
                ended = true;
            }
            if (watch != null) watch.stop();
            // A pool thread must not carry this task's interrupt into the next task.
            Thread.interrupted();
        }
        try {
            if (failure != null) GoRuntime.report(failure);
        } finally {
            // Last, so a joiner sees the failure reported and the thread's interrupt cleared.
            if (failure == null) done.complete(null);
            else done.completeExceptionally(failure);
        }
    }

    /** Its name and whether it is done. Never blocks. */
    @Override
    public String toString() {
        return "Goroutine(" + name + (isDone() ? ", done)" : ")");
    }
}
