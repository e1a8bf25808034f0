package dev.conduit.java;

import dev.conduit.context.Context;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A launcher of goroutines with its own thread names and, optionally, its own threads:
 * {@code Goroutines.builder().name("crawler").build().go(ctx, task)} runs each task on a thread
 * named {@code crawler-1}, {@code crawler-2}, …; with {@link Builder#threadFactory} each task
 * gets a new thread from that factory. {@link Go#go} is the default launcher: goroutine threads
 * ({@link Go#executor()}: virtual on JDK 21+), named by the JVM. Immutable and thread-safe.
 */
public final class Goroutines {
    private static final Goroutines STANDARD = new Goroutines("goroutine", null, false);

    private final String prefix;
    private final @Nullable ThreadFactory factory;
    private final boolean nameThreads;
    private final AtomicLong count = new AtomicLong();

    private Goroutines(String prefix, @Nullable ThreadFactory factory, boolean nameThreads) {
        this.prefix = prefix;
        this.factory = factory;
        this.nameThreads = nameThreads;
    }

    /** The launcher {@link Go#go} uses. Never blocks. */
    static Goroutines standard() {
        return STANDARD;
    }

    /**
     * A builder of a launcher; see {@link Builder}. Never blocks.
     *
     * @return a new builder, every setting at its default
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code task} concurrently as a new goroutine. Never blocks.
     *
     * @param task the work to run
     * @return its handle (it may be ignored)
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if the thread factory gave no thread
     */
    public Goroutine go(Go.Task task) {
        return start(null, Objects.requireNonNull(task, "task"));
    }

    /**
     * Runs {@code task} concurrently under {@code ctx}: when {@code ctx} is done while the task
     * runs, its thread is interrupted, so its blocking calls end with
     * {@link InterruptedException}; a task whose {@code ctx} is done before it starts never
     * runs. Pass {@code ctx} on to blocking calls too ({@code ch.receive(ctx)}) to learn why.
     * Never blocks.
     *
     * @param ctx the context whose end interrupts the task
     * @param task the work to run
     * @return its handle (it may be ignored)
     * @throws NullPointerException if an argument is null
     * @throws RejectedExecutionException if the thread factory gave no thread
     */
    public Goroutine go(Context ctx, Go.Task task) {
        return start(Objects.requireNonNull(ctx, "ctx"), Objects.requireNonNull(task, "task"));
    }

    private Goroutine start(@Nullable Context ctx, Go.Task task) {
        String name = prefix + "-" + count.incrementAndGet();
        Goroutine g = new Goroutine(name);
        Runnable body = () -> g.run(ctx, task);
        try {
            executor(name).execute(body);
        } catch (RuntimeException | Error e) {
            g.cancel(); // it never runs: its handle ends, and it is no running goroutine
            throw e;
        }
        return g;
    }

    private Executor executor(String name) {
        if (factory == null && !nameThreads) return Go.executor();
        return body -> {
            Thread t = factory == null ? Go.threadFactory().newThread(body) : factory.newThread(body);
            if (t == null) throw new RejectedExecutionException("the thread factory gave no thread for " + name);
            t.setName(name);
            t.start();
        };
    }

    /** The launcher's name prefix and whether it has its own thread factory. Never blocks. */
    @Override
    public String toString() {
        return "Goroutines(" + prefix + (factory == null ? ")" : ", own threads)");
    }

    /** Builds a {@link Goroutines} launcher; every setting is optional. */
    public static final class Builder {
        private String prefix = "goroutine";
        private @Nullable ThreadFactory factory;
        private boolean named;

        private Builder() {}

        /**
         * Names its goroutines (and their threads) {@code prefix-1}, {@code prefix-2}, ….
         * Never blocks.
         *
         * @param prefix the names' prefix
         * @return this builder
         * @throws NullPointerException if {@code prefix} is null
         * @throws IllegalArgumentException if {@code prefix} is blank
         */
        public Builder name(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank()) throw new IllegalArgumentException("prefix must not be blank, but was \"" + prefix + "\"");
            this.prefix = prefix;
            this.named = true;
            return this;
        }

        /**
         * Runs each goroutine on a new thread from {@code factory} (instead of the goroutine
         * threads), for threads of a given kind, group or priority. Never blocks.
         *
         * @param factory makes each goroutine's thread
         * @return this builder
         * @throws NullPointerException if {@code factory} is null
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The launcher. Never blocks.
         *
         * @return a launcher with this builder's settings
         */
        public Goroutines build() {
            return new Goroutines(prefix, factory, named);
        }
    }
}
