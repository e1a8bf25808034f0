package dev.conduit.java.context;

import dev.conduit.Stoppable;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Go's {@code context} package for Java. The contexts are the runtime's own {@link Context}
 * objects, so one context cancels Java and Kotlin work alike. A {@link CancelContext} is
 * {@link AutoCloseable}: {@code try (var ctx = Contexts.withTimeout(parent, d)) { ... }}
 * cancels it, releasing its timer, when the block ends.
 *
 * <p>None of these methods blocks.
 */
public final class Contexts {
    private Contexts() {}

    /** The root context: never cancelled, no deadline, no values. */
    public static Context background() {
        return Context.background();
    }

    /** Like {@link #background()}, for code that has not decided which context to use. */
    public static Context todo() {
        return Context.todo();
    }

    /**
     * A child that is cancelled by {@link CancelContext#cancel()} or when {@code parent} is.
     *
     * @throws NullPointerException if {@code parent} is null
     */
    public static CancelContext withCancel(Context parent) {
        return dev.conduit.context.Contexts.withCancel(checked(parent));
    }

    /**
     * A child that is also cancelled, with {@code DeadlineExceededException}, after
     * {@code timeout} on the parent's clock. A zero or negative timeout gives a context that is
     * already done.
     *
     * @throws NullPointerException if an argument is null
     */
    public static CancelContext withTimeout(Context parent, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        return withDeadline(parent, checked(parent).getClock().now().plus(timeout));
    }

    /**
     * A child that is also cancelled at {@code deadline}; the parent's earlier deadline wins.
     *
     * @throws NullPointerException if an argument is null
     */
    public static CancelContext withDeadline(Context parent, Instant deadline) {
        Objects.requireNonNull(deadline, "deadline must not be null");
        return dev.conduit.context.Contexts.withDeadline(checked(parent), deadline);
    }

    /**
     * A child that carries {@code value} under {@code key}.
     *
     * @throws NullPointerException if {@code parent} or {@code key} is null
     */
    public static Context withValue(Context parent, Object key, @Nullable Object value) {
        Objects.requireNonNull(key, "key must not be null");
        return dev.conduit.context.Contexts.withValue(checked(parent), key, value);
    }

    /**
     * A context with the parent's values but none of its cancellation or deadline.
     *
     * @throws NullPointerException if {@code parent} is null
     */
    public static Context withoutCancel(Context parent) {
        return dev.conduit.context.Contexts.withoutCancel(checked(parent));
    }

    /**
     * Runs {@code action} in its own goroutine once {@code ctx} is done; {@code stop()} on the
     * result keeps it from starting.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Stoppable afterFunc(Context ctx, Runnable action) {
        Objects.requireNonNull(action, "action must not be null");
        return dev.conduit.context.Contexts.afterFunc(checked(ctx), action);
    }

    /**
     * A future that completes (with null) when {@code ctx} is done. Cancelling the future only
     * stops watching; it does not cancel the context.
     *
     * @throws NullPointerException if {@code ctx} is null
     */
    public static CompletableFuture<@Nullable Void> done(Context ctx) {
        CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
        Stoppable watch = afterFunc(ctx, () -> done.complete(null));
        done.whenComplete((v, e) -> watch.stop());
        return done;
    }

    /**
     * {@code null} while {@code ctx} is not done, then why it is: {@code ContextCanceledException}
     * or {@code DeadlineExceededException}.
     *
     * @throws NullPointerException if {@code ctx} is null
     */
    public static @Nullable ContextException err(Context ctx) {
        return checked(ctx).getErr();
    }

    private static Context checked(Context ctx) {
        return Objects.requireNonNull(ctx, "context must not be null");
    }
}
