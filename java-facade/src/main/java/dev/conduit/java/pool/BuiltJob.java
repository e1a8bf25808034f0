package dev.conduit.java.pool;

import dev.conduit.context.Context;
import dev.conduit.java.internal.PoolCalls;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A job made by {@link Job.Builder}: immutable, so it converts itself to the core pool's job
 * once, here, and every submit of it reuses that (a lambda job is converted at each submit,
 * since its settings methods may answer differently each time).
 */
final class BuiltJob<T extends @Nullable Object> implements Job<T> {
    private final Job<T> body;
    private final int priority;
    private final @Nullable Duration timeout;
    private final int maxRetries;
    private final Set<String> requires;
    private final boolean blocking;
    /** This job as the core pool runs it. */
    final dev.conduit.pool.Job<T> core;

    BuiltJob(Job<T> body, int priority, @Nullable Duration timeout, int maxRetries, Set<String> requires, boolean blocking) {
        this.body = body;
        this.priority = priority;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.requires = requires;
        this.blocking = blocking;
        this.core = PoolCalls.coreJob(this);
    }

    /** The core pool's job for {@code job}: the cached one of a built job, else a new conversion. */
    static <T extends @Nullable Object> dev.conduit.pool.Job<T> coreOf(Job<T> job) {
        return job instanceof BuiltJob<T> b ? b.core : PoolCalls.coreJob(job);
    }

    @Override
    public T execute(Context ctx) throws Exception {
        return body.execute(ctx);
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public @Nullable Duration timeout() {
        return timeout;
    }

    @Override
    public int maxRetries() {
        return maxRetries;
    }

    @Override
    public Set<String> requires() {
        return requires;
    }

    @Override
    public boolean blocking() {
        return blocking;
    }

    @Override
    public String toString() {
        return "Job(priority=" + priority + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", requires=" + requires + ")";
    }
}
