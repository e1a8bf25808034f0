package dev.conduit.java;

import dev.conduit.Stoppable;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import dev.conduit.java.chan.Select;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Context} reaching code that blocks in the JDK rather than in Conduit
 * ({@code Thread.sleep}, a socket read, a {@code BlockingQueue}): such code knows nothing of
 * contexts, but it answers a thread interrupt. {@link Go#go(Context, Go.Task)} does this for a
 * goroutine; {@link #interruptOnDone} does it for any stretch of code on any thread:
 *
 * <pre>{@code
 * try (var scope = ContextThreads.interruptOnDone(ctx)) {
 *     legacyClient.fetchAll();      // a blocking JDK call ends with InterruptedException when ctx is done
 * }
 * }</pre>
 */
public final class ContextThreads {
    private ContextThreads() {}

    /**
     * Interrupts the calling thread when {@code ctx} is done, until the returned scope is closed
     * (at once, from another goroutine, if {@code ctx} is done already). Never blocks.
     *
     * @param ctx the context whose end interrupts this thread
     * @return the scope to close when the blocking calls are over
     * @throws NullPointerException if {@code ctx} is null
     */
    public static Interruption interruptOnDone(Context ctx) {
        return new Interruption(Objects.requireNonNull(ctx, "ctx"), Thread.currentThread());
    }

    /**
     * Blocks for {@code duration}, or until {@code ctx} is done: Go's {@code select} on
     * {@code time.After(d)} and {@code ctx.Done()}. Zero or negative: returns at once unless
     * {@code ctx} is done.
     *
     * @param ctx ends the sleep early
     * @param duration how long to sleep
     * @throws NullPointerException if an argument is null
     * @throws ContextException {@code ctx}'s error if it is (or becomes) done first
     * @throws InterruptedException if the thread is interrupted first
     */
    public static void sleep(Context ctx, Duration duration) throws InterruptedException {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(duration, "duration");
        ContextException early = ctx.getErr();
        if (early != null) throw early;
        if (duration.isNegative() || duration.isZero()) return;
        Select.create().onDone(ctx, () -> {}).onTimeout(duration, () -> {}).run();
        ContextException err = ctx.getErr();
        if (err != null) throw err;
    }

    /**
     * A context that is cancelled when the JVM begins to shut down (Ctrl-C, {@code SIGTERM},
     * {@code System.exit}), Go's {@code signal.NotifyContext}: the program sees its context done,
     * finishes what is in flight and closes the returned scope; the JVM's shutdown waits for that
     * close for at most {@code drain}, then goes on. So a program interrupted mid-work can still
     * print its summary or flush its output. Closing the scope (normally, when the work is done)
     * cancels the context and removes the shutdown hook. Never blocks.
     *
     * <pre>{@code
     * try (var shutdown = ContextThreads.untilShutdown(Duration.ofSeconds(5))) {
     *     crawl(shutdown.context());    // returns when the context is done
     *     printSummary();
     * }
     * }</pre>
     *
     * @param drain the longest the shutdown waits for the scope's close
     * @return the scope: its context, and the close that lets the shutdown go on
     * @throws NullPointerException if {@code drain} is null
     * @throws IllegalArgumentException if {@code drain} is negative
     * @throws IllegalStateException if the JVM is already shutting down
     */
    public static ShutdownScope untilShutdown(Duration drain) {
        Objects.requireNonNull(drain, "drain");
        if (drain.isNegative()) throw new IllegalArgumentException("drain must not be negative, but was " + drain);
        return new ShutdownScope(drain);
    }

    /**
     * The scope {@link #untilShutdown} returns: its {@link #context()} ends when the JVM begins
     * to shut down; {@link #close()} tells the shutdown that the program has drained. Thread-safe.
     */
    public static final class ShutdownScope implements AutoCloseable {
        private final CancelContext ctx = Context.background().withCancel();
        private final CountDownLatch drained = new CountDownLatch(1);
        private final Thread hook;

        private ShutdownScope(Duration drain) {
            hook = new Thread(() -> {
                ctx.cancel(new IllegalStateException("the JVM is shutting down"));
                try {
                    drained.await(drain.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "conduit-shutdown-drain");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        /**
         * The context the program runs under: done once the JVM begins to shut down. Never blocks.
         *
         * @return the context, cancelled when shutdown begins or the scope is closed
         */
        public Context context() {
            return ctx;
        }

        /**
         * The program has drained: a shutdown in progress goes on at once; otherwise the hook is
         * removed and the context cancelled. Idempotent. Never blocks.
         */
        @Override
        public void close() {
            drained.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: it has seen the count-down.
            }
            ctx.cancel();
        }
    }

    /**
     * The scope {@link #interruptOnDone} returns: while it is open, the thread that opened it is
     * interrupted when the context is done. Thread-safe; {@link #close()} never blocks.
     */
    public static final class Interruption implements AutoCloseable {
        private final Thread thread;
        private final Object lock = new Object();
        private final Stoppable watch;
        private boolean open = true;
        private boolean interrupted;

        private Interruption(Context ctx, Thread thread) {
            this.thread = thread;
            this.watch = ctx.afterFunc(this::interrupt);
        }

        /** Interrupts the thread unless the scope has been closed (under the lock, so never after). */
        private void interrupt() {
            synchronized (lock) {
                if (!open) return;
                interrupted = true;
                thread.interrupt();
            }
        }

        /**
         * Whether this scope has interrupted its thread (the context was done while it was open). Never blocks.
         *
         * @return true if the context's end interrupted the thread while the scope was open
         */
        public boolean hasInterrupted() {
            synchronized (lock) {
                return interrupted;
            }
        }

        /**
         * Stops interrupting. If this scope interrupted the thread and nothing consumed the
         * interrupt, closing it on that thread clears the interrupt status, so later blocking
         * calls are not cut short by a context that no longer applies. Idempotent. Never blocks.
         */
        @Override
        public void close() {
            boolean clear;
            synchronized (lock) {
                if (!open) return;
                open = false;
                clear = interrupted && Thread.currentThread() == thread;
            }
            watch.stop();
            if (clear) Thread.interrupted();
        }
    }
}
