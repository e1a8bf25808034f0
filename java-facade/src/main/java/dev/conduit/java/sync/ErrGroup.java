package dev.conduit.java.sync;

import dev.conduit.context.Context;
import dev.conduit.java.Go;
import dev.conduit.java.internal.SuspendCalls;
import dev.conduit.sync.ErrGroupException;
import dev.conduit.sync.Subtask;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Go's {@code golang.org/x/sync/errgroup.Group} for Java: runs tasks as goroutines under a
 * shared {@link #ctx() context} and waits for all of them, reporting what failed. The Java
 * view of the core {@link dev.conduit.sync.ErrGroup}: {@link #wrap} and {@link #unwrap} share
 * one group between Java and Kotlin code.
 *
 * <p>A group made by {@link #create()} is fail-fast: the first failure cancels its context,
 * which interrupts the other tasks' threads, and {@link #await()} throws that failure. One made
 * by {@link #collectAll()} lets every task run to its end and reports every failure, each with
 * its task's name, in an {@link ErrGroupException}. Any exception a task throws is a failure; a
 * task that stops because the group's context was cancelled (an {@link InterruptedException} or
 * the context's error) has not failed. {@link #setLimit(int)} bounds how many tasks run at once.
 * After {@code await} returns or throws, no task is left running and the context is cancelled.
 * The group can be used again: the first task after an {@code await} starts a new round, with a
 * fresh context ({@link #ctx()} then returns it) and failures of its own, as the core group's
 * "Using a group again" describes.
 *
 * <p>Each task runs on its own goroutine thread ({@link Go#executor()}: virtual on JDK 21+), so
 * it may block freely. A failure is reported as the very exception the task threw (with or
 * without kotlinx.coroutines' debug mode, whose stack-trace recovery copies exceptions elsewhere).
 *
 * <pre>{@code
 * ErrGroup group = ErrGroup.create(parentCtx);
 * for (String url : urls) group.go("fetch " + url, ctx -> fetch(ctx, url));
 * group.await();                         // throws the first failure
 * }</pre>
 *
 * <h2>A scope with values</h2>
 * {@link #fork(String, ValueTask)} starts a task that returns a value and hands back its
 * {@link Subtask}; once {@code await} has returned, each subtask holds its value, and
 * {@link #close()} makes the group a try-with-resources scope, as the JDK's
 * {@code StructuredTaskScope} is (on Java 17, and without preview flags):
 *
 * <pre>{@code
 * try (ErrGroup scope = ErrGroup.create(ctx)) {
 *     Subtask<User> user = scope.fork("user", c -> loadUser(c, id));
 *     Subtask<List<Order>> orders = scope.fork("orders", c -> loadOrders(c, id));
 *     scope.await();                     // throws the first failure; the other task is cancelled
 *     return render(user.get(), orders.get());
 * }                                      // leaving early (an exception) cancels and waits for both
 * }</pre>
 *
 * <p>Thread-safe. {@code go} and {@code fork} (while the limit is reached), {@code await} and
 * {@code close} block; {@code tryGo}, {@code tryFork}, {@code setLimit}, {@code awaitAsync} and
 * the state queries never block.
 */
public final class ErrGroup implements AutoCloseable {
    private final dev.conduit.sync.ErrGroup core;

    private ErrGroup(dev.conduit.sync.ErrGroup core) {
        this.core = core;
    }

    /** The body of a task: gets the group's context, may throw to fail. */
    @FunctionalInterface
    public interface Task {
        /**
         * Does the task's work; blocking calls in it should take {@code ctx} (or end with
         * {@link InterruptedException} when its thread is interrupted).
         *
         * @param ctx the group's context
         * @throws Exception a failure of this task
         */
        void run(Context ctx) throws Exception;
    }

    /**
     * The body of a task that returns a value (see {@link #fork(String, ValueTask)}): gets the
     * group's context, may throw to fail.
     *
     * @param <T> the type of the value
     */
    @FunctionalInterface
    public interface ValueTask<T extends @Nullable Object> {
        /**
         * Does the task's work and returns its value (null is a value); blocking calls in it
         * should take {@code ctx} (or end with {@link InterruptedException} when its thread is
         * interrupted).
         *
         * @param ctx the group's context
         * @return the task's value
         * @throws Exception a failure of this task
         */
        T call(Context ctx) throws Exception;
    }

    /**
     * A new fail-fast group under {@link Context#background()}. Never blocks.
     *
     * @return a new fail-fast group with no tasks
     */
    public static ErrGroup create() {
        return new ErrGroup(new dev.conduit.sync.ErrGroup(Context.background(), false));
    }

    /**
     * A new fail-fast group whose context is a child of {@code parent}. Never blocks.
     *
     * @param parent the context the group's context is a child of
     * @return a new fail-fast group with no tasks
     * @throws NullPointerException if {@code parent} is null
     */
    public static ErrGroup create(Context parent) {
        Objects.requireNonNull(parent, "parent");
        return new ErrGroup(new dev.conduit.sync.ErrGroup(parent, false));
    }

    /**
     * A new collect-all group under {@link Context#background()}: failures cancel nothing, and
     * {@link #await()} reports every one in an {@link ErrGroupException}. Never blocks.
     *
     * @return a new collect-all group with no tasks
     */
    public static ErrGroup collectAll() {
        return new ErrGroup(new dev.conduit.sync.ErrGroup(Context.background(), true));
    }

    /**
     * A new collect-all group whose context is a child of {@code parent}; see
     * {@link #collectAll()}. Never blocks.
     *
     * @param parent the context the group's context is a child of
     * @return a new collect-all group with no tasks
     * @throws NullPointerException if {@code parent} is null
     */
    public static ErrGroup collectAll(Context parent) {
        Objects.requireNonNull(parent, "parent");
        return new ErrGroup(new dev.conduit.sync.ErrGroup(parent, true));
    }

    /**
     * The Java view of {@code core}: the same group, not a copy. Never blocks.
     *
     * @param core the core group to share
     * @return a Java view of {@code core}
     * @throws NullPointerException if {@code core} is null
     */
    public static ErrGroup wrap(dev.conduit.sync.ErrGroup core) {
        return new ErrGroup(Objects.requireNonNull(core, "core"));
    }

    /**
     * The core group behind this one, for Kotlin code. Never blocks.
     *
     * @return the core group behind this one
     */
    public dev.conduit.sync.ErrGroup unwrap() {
        return core;
    }

    /**
     * The group's context: cancelled by the first failure (fail-fast), and when {@code await}
     * ends. Never blocks.
     *
     * @return the context of the current round, which its tasks get; the first task after an
     *     {@code await} starts a new round, with a new context
     */
    public Context ctx() {
        return core.getCtx();
    }

    /**
     * Bounds the number of tasks running at once to {@code limit}; a negative {@code limit}
     * removes the bound. Never blocks.
     *
     * @param limit the most tasks that run at once; negative for no bound
     * @throws IllegalArgumentException if {@code limit} is 0
     * @throws IllegalStateException if tasks are running
     */
    public void setLimit(int limit) {
        core.setLimit(limit);
    }

    /**
     * Starts {@code task}, numbered in failure reports (from 0), blocking first while the limit
     * is reached.
     *
     * @param task what to run
     * @throws NullPointerException if {@code task} is null
     * @throws dev.conduit.context.ContextException the group context's error if it is done
     *     while waiting for a slot; the task is then not started
     * @throws InterruptedException if interrupted while waiting for a slot; the task is then not
     *     started
     */
    public void go(Task task) throws InterruptedException {
        SuspendCalls.fork(core, null, valued(task));
    }

    /**
     * Starts {@code task}, reported as {@code name} if it fails, blocking first while the limit
     * is reached.
     *
     * @param name how the task is reported if it fails
     * @param task what to run
     * @throws NullPointerException if an argument is null
     * @throws dev.conduit.context.ContextException the group context's error if it is done
     *     while waiting for a slot; the task is then not started
     * @throws InterruptedException if interrupted while waiting for a slot; the task is then not
     *     started
     */
    public void go(String name, Task task) throws InterruptedException {
        Objects.requireNonNull(name, "name");
        SuspendCalls.fork(core, name, valued(task));
    }

    /**
     * Starts {@code task}, numbered in failure reports, if a slot is free now; otherwise starts
     * nothing. Never blocks.
     *
     * @param task what to run
     * @return whether the task was started
     * @throws NullPointerException if {@code task} is null
     */
    public boolean tryGo(Task task) {
        return SuspendCalls.tryFork(core, null, valued(task)) != null;
    }

    /**
     * Starts {@code task}, reported as {@code name} if it fails, if a slot is free now;
     * otherwise starts nothing. Never blocks.
     *
     * @param name how the task is reported if it fails
     * @param task what to run
     * @return whether the task was started
     * @throws NullPointerException if an argument is null
     */
    public boolean tryGo(String name, Task task) {
        Objects.requireNonNull(name, "name");
        return SuspendCalls.tryFork(core, name, valued(task)) != null;
    }

    /** {@code task} as a task whose value is null. */
    private static ValueTask<@Nullable Void> valued(Task task) {
        Objects.requireNonNull(task, "task");
        return ctx -> {
            task.run(ctx);
            return null;
        };
    }

    /**
     * Starts {@code task}, numbered in failure reports (from 0) and named so in its subtask,
     * blocking first while the limit is reached; see {@link #fork(String, ValueTask)}.
     *
     * @param <T> the type of the task's value
     * @param task what to run
     * @return the task's subtask: its value, or what it threw, once {@link #await()} has returned
     * @throws NullPointerException if {@code task} is null
     * @throws dev.conduit.context.ContextException the group context's error if it is done
     *     while waiting for a slot; the task is then not started
     * @throws InterruptedException if interrupted while waiting for a slot; the task is then not
     *     started
     */
    public <T extends @Nullable Object> Subtask<T> fork(ValueTask<T> task) throws InterruptedException {
        Objects.requireNonNull(task, "task");
        return SuspendCalls.fork(core, null, task);
    }

    /**
     * Starts {@code task}, reported as {@code name} if it fails, blocking first while the limit
     * is reached, and returns its {@link Subtask}. A failure is the group's as with
     * {@link #go(String, Task)}; once {@link #await()} has returned (or thrown), the subtask is
     * {@link Subtask.State#SUCCEEDED} with its value, {@link Subtask.State#FAILED} with what it
     * threw, or {@link Subtask.State#CANCELLED} if the group's context ended it first.
     *
     * @param <T> the type of the task's value
     * @param name how the task is reported, and its subtask's name
     * @param task what to run
     * @return the task's subtask
     * @throws NullPointerException if an argument is null
     * @throws dev.conduit.context.ContextException the group context's error if it is done
     *     while waiting for a slot; the task is then not started
     * @throws InterruptedException if interrupted while waiting for a slot; the task is then not
     *     started
     */
    public <T extends @Nullable Object> Subtask<T> fork(String name, ValueTask<T> task) throws InterruptedException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        return SuspendCalls.fork(core, name, task);
    }

    /**
     * Starts {@code task} like {@link #fork(ValueTask)} if a slot is free now; otherwise starts
     * nothing. Never blocks.
     *
     * @param <T> the type of the task's value
     * @param task what to run
     * @return the task's subtask, or empty if no slot was free
     * @throws NullPointerException if {@code task} is null
     */
    public <T extends @Nullable Object> Optional<Subtask<T>> tryFork(ValueTask<T> task) {
        Objects.requireNonNull(task, "task");
        return Optional.ofNullable(SuspendCalls.tryFork(core, null, task));
    }

    /**
     * Starts {@code task} like {@link #fork(String, ValueTask)} if a slot is free now; otherwise
     * starts nothing. Never blocks.
     *
     * @param <T> the type of the task's value
     * @param name how the task is reported, and its subtask's name
     * @param task what to run
     * @return the task's subtask, or empty if no slot was free
     * @throws NullPointerException if an argument is null
     */
    public <T extends @Nullable Object> Optional<Subtask<T>> tryFork(String name, ValueTask<T> task) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        return Optional.ofNullable(SuspendCalls.tryFork(core, name, task));
    }

    /**
     * Blocks until every task has ended, then cancels the group's context.
     *
     * @throws ErrGroupException collect-all: every failure, each with its task's name (a
     *     fail-fast group never throws it, except as a task's own failure, wrapped)
     * @throws TaskFailedException fail-fast: the first failure, if it is a checked exception
     *     (its cause; later failures are attached to that as suppressed)
     * @throws RuntimeException fail-fast: the first failure itself, if it is unchecked
     * @throws dev.conduit.context.ContextException if no task failed but the parent context was
     *     cancelled, so the tasks may not have finished their work
     * @throws InterruptedException if interrupted; the group's tasks are then cancelled, and
     *     none is left running when this returns
     */
    public void await() throws InterruptedException, ErrGroupException {
        try {
            SuspendCalls.await(core);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            String task = taskOf(e);
            if (task != null) throw new TaskFailedException("task '" + task + "'", e);
            if (e instanceof InterruptedException) throw (InterruptedException) e;
            throw (ErrGroupException) e; // the only other checked exception the core's wait throws
        }
    }

    /** The name of the task whose failure {@code e} is, or null if it is none's. */
    private @Nullable String taskOf(Throwable e) {
        for (dev.conduit.sync.ErrGroup.TaskFailure f : core.failures()) {
            if (f.getError() == e) return f.getTask();
        }
        return null;
    }

    /**
     * Waits for every task without blocking: the future completes once all have ended, or
     * exceptionally with what {@link #await()} would throw, not wrapped (a fail-fast group's
     * first failure as it is). Cancelling the future cancels the group's tasks. Never blocks.
     *
     * @return a future that completes once every task has ended, or exceptionally with what {@link
     *     #await()} would throw
     */
    public CompletableFuture<@Nullable Void> awaitAsync() {
        return SuspendCalls.awaitAsync(core);
    }

    /**
     * Ends the group as a scope: cancels its context, so the tasks still running stop (their
     * threads are interrupted; they end {@link Subtask.State#CANCELLED}), and blocks until every
     * task has ended, so none outlives the try-with-resources block. After {@link #await()} there
     * is nothing left to stop and this returns at once. An interrupt does not cut the wait short
     * (the tasks are already told to stop); it is kept as the thread's interrupt status. The
     * group can be used again afterwards, as after {@code await}: a new task starts a new round.
     *
     * @throws IllegalStateException if tasks were started since the last {@code await} (or
     *     since the group was made, if it never awaited): they were cancelled and their outcome was never reported, as when a
     *     {@code StructuredTaskScope} is closed without {@code join}. The failures among them, if
     *     any, are attached as suppressed, so none is lost. Inside a try-with-resources block that
     *     throws, this is attached to that exception.
     */
    @Override
    public void close() {
        if (!SuspendCalls.cancelAndWait(core)) return;
        IllegalStateException e = new IllegalStateException(
                "ErrGroup closed before await(): its tasks were cancelled and their outcome was never reported");
        for (dev.conduit.sync.ErrGroup.TaskFailure f : core.failures()) e.addSuppressed(f.getError());
        throw e;
    }

    /**
     * What failed so far, in the order the failures happened: each task's name (or number)
     * and what it threw. Never blocks.
     *
     * @return the failures so far, oldest first
     */
    public List<dev.conduit.sync.ErrGroup.TaskFailure> failures() {
        return core.failures();
    }

    /** A description with how many tasks failed so far. Never blocks. */
    @Override
    public String toString() {
        return "ErrGroup(failures=" + core.failures().size() + ")";
    }
}
