package dev.conduit.java.sync;

import dev.conduit.java.internal.SuspendCalls;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Go's {@code sync.Once} for Java: runs an action exactly once, however many threads call
 * {@link #run} and however concurrently; callers that arrive while it runs wait until it has
 * finished. The Java view of the core {@link dev.conduit.sync.Once}: {@link #wrap} and
 * {@link #unwrap} share one {@code Once} between Java and Kotlin code. For a value computed
 * once, see {@link OnceValue}.
 *
 * <p>If the action throws, the exception reaches the caller that ran it, and the action still
 * counts as done: later calls return at once without running theirs (Go's rule). If the caller
 * running it is interrupted (or its future cancelled), the action's thread is interrupted, it
 * does not count as done, and the next caller runs its action. The action runs on a goroutine
 * thread while its caller waits.
 *
 * <pre>{@code
 * Once init = Once.create();
 * init.run(() -> connectToDatabase());      // later calls return at once
 * }</pre>
 *
 * <p>Thread-safe. {@link #run} blocks; {@link #runAsync} and {@link #isDone()} never block.
 */
public final class Once {
    private final dev.conduit.sync.Once core;

    private Once(dev.conduit.sync.Once core) {
        this.core = core;
    }

    /**
     * A new {@code Once} that has run nothing. Never blocks.
     *
     * @return a new {@code Once}, not done
     */
    public static Once create() {
        return new Once(new dev.conduit.sync.Once());
    }

    /**
     * The Java view of {@code core}: the same {@code Once}, not a copy. Never blocks.
     *
     * @param core the core {@code Once} to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static Once wrap(dev.conduit.sync.Once core) {
        return new Once(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core {@code Once} behind this one, for Kotlin code. Never blocks.
     *
     * @return the core {@code Once} behind this one
     */
    public dev.conduit.sync.Once unwrap() {
        return core;
    }

    /**
     * Whether an action has run (or failed). Never blocks.
     *
     * @return true once an action has run, or failed
     */
    public boolean isDone() {
        return core.isDone();
    }

    /**
     * Runs {@code action} if no call has run an action yet, blocking until it has finished;
     * otherwise returns at once, or once the call running an action has finished.
     *
     * @param <X> the checked exception {@code action} may throw
     * @param action the action to run if none has run yet
     * @throws NullPointerException if {@code action} is null
     * @throws X what {@code action} throws, to this caller only (it ran it)
     * @throws InterruptedException if interrupted while waiting; an action this call was running
     *     is interrupted and does not count as done
     */
    @SuppressWarnings("unchecked") // only the action's own checked exceptions (X) reach the cast
    public <X extends Exception> void run(Action<X> action) throws X, InterruptedException {
        Objects.requireNonNull(action, "action");
        try {
            SuspendCalls.run(core, action);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw (X) e;
        }
    }

    /**
     * Runs {@code action} as {@link #run} does, without blocking: the future completes once an
     * action has run (this one or another caller's), or exceptionally with what
     * {@code action} threw. Cancelling the future stops waiting; an action it was running is
     * interrupted and does not count as done. Never blocks.
     *
     * @param action the action to run if none has run yet
     * @return a future that completes once an action has run, or exceptionally with what {@code
     *     action} threw
     * @throws NullPointerException if {@code action} is null
     */
    public CompletableFuture<@Nullable Void> runAsync(Action<?> action) {
        Objects.requireNonNull(action, "action");
        return SuspendCalls.runAsync(core, action);
    }

    /** A description that says whether an action has run. Never blocks. */
    @Override
    public String toString() {
        return "Once(done=" + isDone() + ")";
    }
}
