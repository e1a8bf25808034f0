package dev.conduit.sync

import dev.conduit.GoRuntime
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.runWithContext
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch
import java.util.concurrent.ConcurrentLinkedQueue

/**
 * Go's `golang.org/x/sync/errgroup.Group`: runs tasks as goroutines under a shared [ctx] and
 * waits for all of them, reporting what failed.
 *
 * By default the first failure cancels [ctx], so the other tasks stop early (fail-fast). With
 * `collectAll = true` the failures do not cancel anything: every task runs to its end and [wait]
 * reports every failure, each with the name it was given. Any exception a task throws is a
 * failure (Go's panics included: nothing crashes the process); a task that stops because [ctx]
 * was cancelled has not failed.
 *
 * [setLimit] bounds how many tasks run at once: [go] then suspends until a slot frees, and
 * [tryGo] declines. Every task is a child of the group: after [wait] returns or throws, none is
 * left running, and [ctx] is cancelled.
 *
 * ```
 * val group = ErrGroup(parentCtx)
 * for (url in urls) group.go("fetch $url") { ctx -> fetch(ctx, url) }
 * group.wait()                     // throws the first failure
 * ```
 *
 * Thread-safe.
 */
public class ErrGroup @JvmOverloads constructor(
    parent: Context = Context.background(),
    private val collectAll: Boolean = false,
) {
    private val scope: CancelContext = parent.withCancel()

    /** The group's context: cancelled by the first failure (fail-fast), and when [wait] ends. */
    public val ctx: Context get() = scope

    private val running = WaitGroup()
    private val failures = ConcurrentLinkedQueue<TaskFailure>()

    @Volatile
    private var slots: Semaphore? = null

    /** A failed task: its name (or its number, counting from 0) and what it threw. */
    public class TaskFailure(public val task: String, public val error: Throwable)

    private var started = 0L

    /**
     * Bounds the number of tasks running at once to [n]; a negative [n] removes the bound.
     * Never blocks.
     *
     * @throws IllegalArgumentException if [n] is 0.
     * @throws IllegalStateException if tasks are running (as Go, which panics then).
     */
    public fun setLimit(n: Int) {
        require(n != 0) { "limit must be positive, or negative for none, but was 0" }
        check(running.count == 0L) { "cannot change the limit while ${running.count} task(s) are running" }
        slots = if (n < 0) null else Semaphore(n.toLong())
    }

    /**
     * Starts [block] as a goroutine under [ctx], suspending first while the limit is reached.
     *
     * @param name how a failure of this task is reported; by default its number.
     * @throws dev.conduit.context.ContextException if [ctx] is done while waiting for a slot; the
     *   task is then not started.
     */
    public suspend fun go(name: String? = null, block: suspend CoroutineScope.(Context) -> Unit) {
        slots?.acquire(scope)
        start(name, block)
    }

    /**
     * Starts [block] like [go] if a slot is free now; otherwise starts nothing. Never blocks.
     *
     * @return whether the task was started.
     */
    public fun tryGo(name: String? = null, block: suspend CoroutineScope.(Context) -> Unit): Boolean {
        val s = slots
        if (s != null && !s.tryAcquire()) return false
        start(name, block)
        return true
    }

    private fun start(name: String?, block: suspend CoroutineScope.(Context) -> Unit) {
        val label = name ?: synchronized(this) { (started++).toString() }
        running.add(1)
        GoRuntime.scope.launch {
            try {
                runWithContext(scope) { block(scope) }
            } catch (e: Throwable) {
                // Stopped because the group is cancelled (by an earlier failure or its parent): not a failure of its own.
                val stoppedByGroup = scope.err != null && (e is kotlinx.coroutines.CancellationException || e is dev.conduit.context.ContextException)
                if (!stoppedByGroup) fail(label, e)
            } finally {
                slots?.release()
                running.done()
            }
        }
    }

    private fun fail(task: String, error: Throwable) {
        failures.add(TaskFailure(task, error))
        if (!collectAll) scope.cancel(error)
    }

    /**
     * Suspends until every task has ended, then cancels [ctx].
     *
     * @throws Throwable fail-fast: the first failure itself, later ones attached as suppressed;
     *   collect-all: an [ErrGroupException] listing every failure.
     * @throws dev.conduit.context.ContextException if no task failed but the parent context was
     *   cancelled, so the tasks may not have finished their work.
     * @throws kotlinx.coroutines.CancellationException if the waiting coroutine is cancelled;
     *   the group's tasks are cancelled too, and none is left running when it returns.
     */
    public suspend fun wait() {
        try {
            running.wait()
        } catch (e: kotlinx.coroutines.CancellationException) {
            scope.cancel(e)
            kotlinx.coroutines.withContext(kotlinx.coroutines.NonCancellable) { running.wait() }
            throw e
        }
        val cancelledFirst = scope.err
        scope.cancel()
        val all = failures.toList()
        if (all.isEmpty()) {
            if (cancelledFirst != null) throw cancelledFirst
            return
        }
        if (collectAll) throw ErrGroupException(all)
        val first = all.first().error
        all.drop(1).forEach { if (it.error !== first) first.addSuppressed(it.error) }
        throw first
    }

    /** What failed so far. Never blocks. */
    public fun failures(): List<TaskFailure> = failures.toList()
}

/** Every failure of an [ErrGroup] in collect-all mode, each with its task's name. */
public class ErrGroupException(public val failures: List<ErrGroup.TaskFailure>) :
    Exception(
        "${failures.size} task(s) failed: " + failures.joinToString("; ") { "${it.task}: ${it.error}" },
        failures.first().error,
    ) {
    init {
        failures.drop(1).forEach { addSuppressed(it.error) }
    }
}
