package dev.conduit.java;

import dev.conduit.GoRuntime;
import dev.conduit.Stoppable;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import java.lang.reflect.Method;
import java.util.Objects;
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
     * @throws NullPointerException if {@code task} is null
     */
    public static void go(Task task) {
        Objects.requireNonNull(task, "task");
        EXECUTOR.execute(() -> run(task));
    }

    /**
     * Runs {@code task} concurrently under {@code ctx}: when {@code ctx} is done while the task
     * runs, its thread is interrupted, so blocking calls in it end with
     * {@link InterruptedException}. Pass {@code ctx} on to blocking calls too
     * ({@code ch.receive(ctx)}) to learn why. Never blocks.
     *
     * @throws NullPointerException if an argument is null
     */
    public static void go(Context ctx, Task task) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(task, "task");
        EXECUTOR.execute(() -> {
            Thread self = Thread.currentThread();
            Object lock = new Object();
            boolean[] running = {true};
            Stoppable interrupt = ctx.afterFunc(() -> {
                synchronized (lock) {
                    if (running[0]) self.interrupt();
                }
            });
            try {
                run(task);
            } finally {
                synchronized (lock) {
                    running[0] = false;
                }
                interrupt.stop();
                // A pool thread must not carry this task's interrupt into the next task.
                Thread.interrupted();
            }
        });
    }

    /**
     * The executor goroutines run on: a thread per task, virtual on JDK 21+, or the shared pool
     * on 17. For code that needs an {@link Executor} with the same threads. Never null.
     */
    public static Executor executor() {
        return EXECUTOR;
    }

    /** Whether goroutines run on virtual threads (JDK 21+). */
    public static boolean usesVirtualThreads() {
        return !(EXECUTOR instanceof java.util.concurrent.ThreadPoolExecutor);
    }

    private static void run(Task task) {
        try {
            task.run();
        } catch (InterruptedException | ContextException cancelled) {
            // Cancellation, not failure: the goroutine was asked to stop and did.
        } catch (Throwable e) {
            GoRuntime.report(e);
        }
    }

    private static ExecutorService makeExecutor() {
        try {
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory daemons = r -> {
                Thread t = new Thread(r, "conduit-go-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            return Executors.newCachedThreadPool(daemons);
        }
    }
}
