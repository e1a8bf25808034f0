package dev.conduit.java.sync

import dev.conduit.context.Context
import dev.conduit.java.Go
import dev.conduit.java.internal.Bridge
import dev.conduit.java.internal.GoThreads
import dev.conduit.sync.ErrGroup
import kotlinx.coroutines.runInterruptible

/**
 * Java tasks in an [ErrGroup]. The group is made and configured as it is:
 * `new ErrGroup(ctx, collectAll)`, `group.setLimit(4)`, `group.getCtx()`.
 *
 * Each task runs on its own goroutine thread ([Go.executor]: virtual on JDK 21+), never on a
 * coroutine dispatcher's thread, so it may block freely. When the group's context is cancelled
 * the task's thread is interrupted.
 */
public object ErrGroups {
    /** The body of a task: gets the group's context, may throw. */
    public fun interface ContextTask {
        /**
         * Does the work; throw to fail the task.
         *
         * @throws Exception a failure of this task
         */
        @Throws(Exception::class)
        public fun run(ctx: Context)
    }

    /**
     * Starts [task], named [name] in failure reports, blocking while the group's limit is
     * reached.
     *
     * @throws dev.conduit.context.ContextException if the group's context is done while waiting
     *   for a slot; the task is then not started
     * @throws InterruptedException if interrupted while waiting for a slot
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun go(group: ErrGroup, name: String, task: ContextTask) {
        Bridge.callBlocking { group.go(name) { ctx -> runInterruptible(GoThreads.dispatcher) { task.run(ctx) } } }
    }

    /** [go] with the task's number as its name. */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun go(group: ErrGroup, task: ContextTask) {
        Bridge.callBlocking { group.go { ctx -> runInterruptible(GoThreads.dispatcher) { task.run(ctx) } } }
    }

    /** Starts [task] if a slot is free now; never blocks. Returns whether it started. */
    @JvmStatic
    public fun tryGo(group: ErrGroup, name: String, task: ContextTask): Boolean =
        group.tryGo(name) { ctx -> runInterruptible(GoThreads.dispatcher) { task.run(ctx) } }

    /**
     * Blocks until every task has ended; see [ErrGroup.wait] for what is thrown.
     *
     * @throws Exception the first failure (fail-fast), an `ErrGroupException` listing all
     *   (collect-all), or the parent context's error
     * @throws InterruptedException if interrupted; the group's tasks are then cancelled
     */
    @JvmStatic
    @Throws(Exception::class)
    public fun await(group: ErrGroup) {
        Bridge.callBlocking { group.wait() }
    }
}
