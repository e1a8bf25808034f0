package dev.conduit.java;

import dev.conduit.GoRuntime;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Goroutines for Java: {@code Go.go(() -> ch.send(v))} runs a task concurrently, Go's
 * {@code go f()}.
 *
 * <p>On JDK 21 and later each task runs on its own virtual thread, so blocking channel calls
 * cost little and thousands of goroutines are fine. On JDK 17 tasks run on a shared pool of
 * daemon platform threads that grows as needed.
 *
 * <p>A task may throw: blocking channel calls throw {@link InterruptedException}, and a
 * goroutine should not need a try block for it. An {@code InterruptedException} or a
 * {@link ContextException} that ends a task means it was cancelled and is not reported; any
 * other exception goes to {@link GoRuntime#setUncaughtExceptionHandler}'s handler, as for
 * Kotlin goroutines, and is never swallowed.
 */
public final class Go {
    private static final ThreadFactory THREADS = makeThreadFactory();
    private static final ExecutorService EXECUTOR = makeExecutor();

    private Go() {}

    /** The body of a goroutine: a {@link Runnable} that may throw. */
    @FunctionalInterface
    public interface Task {
        /**
         * Does the goroutine's work.
         *
         * @throws Exception anything; see {@link Go} for what is reported
         */
        void run() throws Exception;
    }

    /**
     * Runs {@code task} concurrently. Never blocks. A plain {@link Runnable} {@code r} is passed
     * as {@code Go.go(r::run)}.
     *
     * @param task the work to run
     * @return its handle, to {@link Goroutine#join()} or {@link Goroutine#cancel()} it (it may
     *     be ignored); {@link Goroutines} makes goroutines with named threads or a thread factory
     * @throws NullPointerException if {@code task} is null
     */
    public static Goroutine go(Task task) {
        return Goroutines.standard().go(task);
    }

    /**
     * Runs {@code task} concurrently under {@code ctx}: when {@code ctx} is done while the task
     * runs, its thread is interrupted, so blocking calls in it end with
     * {@link InterruptedException}. Pass {@code ctx} on to blocking calls too
     * ({@code ch.receive(ctx)}) to learn why. A task whose {@code ctx} is done before it starts
     * never runs. Never blocks.
     *
     * @param ctx the context whose end interrupts the task
     * @param task the work to run
     * @return its handle (it may be ignored)
     * @throws NullPointerException if an argument is null
     */
    public static Goroutine go(Context ctx, Task task) {
        return Goroutines.standard().go(ctx, task);
    }

    /**
     * The executor goroutines run on: a thread per task, virtual on JDK 21+, or the shared pool
     * on 17. For code that needs an {@link Executor} with the same threads. Never null.
     *
     * @return the goroutines' executor
     */
    public static Executor executor() {
        return EXECUTOR;
    }

    /**
     * Whether goroutines run on virtual threads (JDK 21+).
     *
     * @return true on JDK 21 and later
     */
    public static boolean usesVirtualThreads() {
        return !(EXECUTOR instanceof java.util.concurrent.ThreadPoolExecutor);
    }

    /** A factory of goroutine threads: virtual on JDK 21+, daemon platform threads on 17. */
    static ThreadFactory threadFactory() {
        return THREADS;
    }

    private static ThreadFactory makeThreadFactory() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return (ThreadFactory) builder.getClass().getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, "conduit-go-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }

    private static ExecutorService makeExecutor() {
        try {
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            return Executors.newCachedThreadPool(THREADS);
        }
    }
}
