package dev.conduit.sync

import dev.conduit.GoLeaks
import dev.conduit.GoRuntime
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.ContextException
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
 * was cancelled has not failed, and what cancelled it is what [wait] reports.
 *
 * [fork] starts a task that returns a value and hands back its [Subtask], which holds the value
 * (or the failure) once [wait] has returned: the group is then also Java's
 * `StructuredTaskScope`. [cancelAndWait] stops a round early, as leaving a scope does.
 *
 * [setLimit] bounds how many tasks run at once: [go] and [fork] then suspend until a slot
 * frees, and [tryGo] and [tryFork] decline. Every task is a child of the group: after [wait]
 * returns or throws, none is left running, and [ctx] is cancelled.
 *
 * ```
 * val group = ErrGroup(parentCtx)
 * for (url in urls) group.go("fetch $url") { ctx -> fetch(ctx, url) }
 * group.wait()                     // throws the first failure
 * ```
 *
 * ## Failures are reported as thrown
 * [wait] throws the failing task's exception itself, the very instance (so `===` checks against
 * a sentinel work, with or without kotlinx's stack-trace recovery, which copies exceptions that
 * cross coroutine boundaries when assertions are on), and it never changes it: the other
 * failures are not attached as suppressed but listed by [failures]. (A caller's own
 * `coroutineScope`, `withContext` or `withTimeout` around [wait] may still hand its caller a
 * recovered copy: that is kotlinx's doing at that boundary, with the original as its cause.)
 *
 * ## Using a group again: rounds
 * A [wait] ends a *round*: the tasks started since the group was made or since the previous
 * round ended. The group can be used again after it: the next [go] or [tryGo] starts a new round,
 * whose tasks run under a new [ctx] (a fresh child of the parent context) and whose failures
 * start empty; the ended round's [ctx] stays cancelled. So a task is never dropped: it runs in
 * the round it joins, or, if that round's [ctx] is already done (a failure, or a cancelled
 * parent), [wait] reports the failure or the parent's error that stopped it. Until a new round
 * starts, another [wait] reports the ended round's outcome again, as Go's `Wait` does.
 *
 * Go's group differs in two ways: the context of `errgroup.WithContext` is made once, so tasks
 * started after `Wait` run under a cancelled context; and its first error is kept for good, so
 * every later `Wait` returns it. In Conduit a task gets its context as a parameter, so each
 * round's tasks get a live one, and each round reports its own failures. As in Go, a [go]
 * concurrent with the [wait] that ends a round may land in either round.
 *
 * Thread-safe.
 */
public class ErrGroup @JvmOverloads constructor(
    private val parent: Context = Context.background(),
    private val collectAll: Boolean = false,
) {
    private val lock = Any()

    /** The current round; replaced, under [lock], by the first task after a [wait] ended it. */
    @Volatile
    private var round = Round()

    /** The tasks running, and those in [go] waiting for a slot, of the current round. */
    private val running = WaitGroup()

    /**
     * The context of the current round (see "Using a group again"): cancelled by its first
     * failure (fail-fast), by the parent, and when [wait] ends the round.
     */
    public val ctx: Context get() = round.ctx

    @Volatile
    private var slots: Semaphore? = null

    /** A failed task: its name (or its number, counting from 0) and what it threw. */
    public class TaskFailure(public val task: String, public val error: Throwable)

    /** One use of the group, ended by a [wait]. */
    private inner class Round {
        val ctx: CancelContext = parent.withCancel()
        val failures = ConcurrentLinkedQueue<TaskFailure>()

        /** Set, under [lock], when a [wait] (or [cancelAndWait]) ends this round. */
        var ended = false

        /** How many tasks joined this round; under [lock]. */
        var tasks = 0

        /** Set, under [lock], once a [wait] has returned or thrown this round's outcome. */
        var awaited = false

        /** Why [ctx] was done before [wait] cancelled it, if it was; set when the round ends. */
        var cancelledFirst: ContextException? = null

        fun fail(task: String, error: Throwable) {
            failures.add(TaskFailure(task, error))
            if (!collectAll) ctx.cancel(error)
        }

        /** What [wait] throws for this ended round, or nothing if it succeeded. */
        fun report() {
            val all = failures.toList()
            if (all.isEmpty()) {
                cancelledFirst?.let { throw it }
                return
            }
            if (collectAll) throw ErrGroupException(all)
            throw all.first().error
        }
    }

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
     * After a [wait], it starts a new round (see "Using a group again").
     *
     * @param name how a failure of this task is reported; by default its number.
     * @throws dev.conduit.context.ContextException if [ctx] is done while waiting for a slot; the
     *   task is then not started.
     * @throws kotlinx.coroutines.CancellationException if the calling coroutine is cancelled
     *   while waiting for a slot; the task is then not started.
     */
    public suspend fun go(name: String? = null, block: suspend CoroutineScope.(Context) -> Unit) {
        fork(name, block)
    }

    /**
     * Starts [block] like [go], and returns its [Subtask]: once [wait] has returned or thrown,
     * the subtask holds the value [block] returned, or what it threw, or that it was cancelled.
     * A failure is the group's as with [go] (fail-fast: it cancels the others).
     *
     * ```
     * val group = ErrGroup(ctx)
     * val user = group.fork("user") { ctx -> loadUser(ctx, id) }
     * val orders = group.fork("orders") { ctx -> loadOrders(ctx, id) }
     * group.wait()                     // throws the first failure
     * render(user.get(), orders.get())
     * ```
     *
     * @param name how a failure of this task is reported, and the subtask's [Subtask.name]; by
     *   default its number.
     * @throws dev.conduit.context.ContextException if [ctx] is done while waiting for a slot; the
     *   task is then not started.
     * @throws kotlinx.coroutines.CancellationException if the calling coroutine is cancelled
     *   while waiting for a slot; the task is then not started.
     */
    public suspend fun <T> fork(name: String? = null, block: suspend CoroutineScope.(Context) -> T): Subtask<T> {
        val r = join()
        val s = slots
        try {
            s?.acquire(r.ctx)
        } catch (e: Throwable) {
            running.done()
            throw e
        }
        return start(r, s, name, block)
    }

    /**
     * Starts [block] like [go] if a slot is free now; otherwise starts nothing. Never blocks.
     *
     * @return whether the task was started.
     */
    public fun tryGo(name: String? = null, block: suspend CoroutineScope.(Context) -> Unit): Boolean =
        tryFork(name, block) != null

    /**
     * Starts [block] like [fork] if a slot is free now; otherwise starts nothing. Never blocks.
     *
     * @return the started task's [Subtask], or null if no slot was free.
     */
    public fun <T> tryFork(name: String? = null, block: suspend CoroutineScope.(Context) -> T): Subtask<T>? {
        val s = slots
        if (s != null && !s.tryAcquire()) return null
        return start(join(), s, name, block)
    }

    /** Counts a new task in, in the current round, or in a new one if [wait] ended it. */
    private fun join(): Round = synchronized(lock) {
        var r = round
        if (r.ended) {
            r = Round()
            round = r
        }
        r.tasks++
        running.add(1)
        r
    }

    /** Runs [block] in [r], already counted in, holding a slot of [s] if there is a limit. */
    private fun <T> start(r: Round, s: Semaphore?, name: String?, block: suspend CoroutineScope.(Context) -> T): Subtask<T> {
        val task = Subtask<T>(name ?: synchronized(lock) { (started++).toString() })
        GoRuntime.scope.launch(GoLeaks.goroutineElement()) {
            // What the block threw, as it threw it: runWithContext's scopes may hand on a copy.
            var thrown: Throwable? = null
            try {
                val value = runWithContext(r.ctx) {
                    try {
                        block(r.ctx)
                    } catch (e: Throwable) {
                        thrown = e
                        throw e
                    }
                }
                task.succeeded(value)
            } catch (e: Throwable) {
                val error = thrown ?: e
                // Stopped because the round is cancelled (by an earlier failure or its parent): not a failure of its own.
                val stoppedByGroup = r.ctx.err != null && (error is kotlinx.coroutines.CancellationException || error is ContextException)
                if (stoppedByGroup) {
                    task.cancelled()
                } else {
                    task.failed(error)
                    r.fail(task.name, error)
                }
            } finally {
                s?.release()
                running.done()
            }
        }
        return task
    }

    /**
     * Suspends until every task has ended, then ends the round: cancels [ctx] and reports.
     * Waiting again before a new round starts reports the same outcome again.
     *
     * @throws Throwable fail-fast: the first failure itself, unchanged (see "Failures are
     *   reported as thrown"); collect-all: an [ErrGroupException] listing every failure of the
     *   round.
     * @throws dev.conduit.context.ContextException if no task failed but the parent context was
     *   cancelled, so the tasks may not have finished their work (or not started it).
     * @throws kotlinx.coroutines.CancellationException if the waiting coroutine is cancelled;
     *   the round's tasks are cancelled too, none is left running when it returns, and the
     *   round ends.
     */
    public suspend fun wait() {
        val r = try {
            endRound(awaited = true)
        } catch (e: kotlinx.coroutines.CancellationException) {
            stopRound(e)
            throw e
        }
        r.report()
    }

    /**
     * Cancels the current round's [ctx], so its tasks stop (they end [cancelled][Subtask.State.CANCELLED],
     * which is no failure), suspends until every one has ended, and ends the round without
     * reporting its outcome; a [wait] after it reports the cancellation, or the failures that
     * came first. This is what leaving a scope early needs: the Java group's `close()` is built
     * on it. If the calling coroutine is cancelled meanwhile, it still waits for the tasks to end,
     * then throws that [kotlinx.coroutines.CancellationException].
     *
     * @return whether the round it ended had tasks whose outcome no [wait] had reported (so the
     *   caller forgot to wait, or left early); their failures, if any, are in [failures].
     */
    public suspend fun cancelAndWait(): Boolean {
        val r = try {
            round.ctx.cancel()
            endRound(awaited = false)
        } catch (e: kotlinx.coroutines.CancellationException) {
            stopRound(e)
            throw e
        }
        return synchronized(lock) { r.tasks > 0 && !r.awaited }
    }

    /** Cancels the current round for [cause], the waiter's own cancellation, and waits for it to end regardless. */
    private suspend fun stopRound(cause: kotlinx.coroutines.CancellationException) {
        round.ctx.cancel(cause)
        kotlinx.coroutines.withContext(dev.conduit.chan.spi.uncancellableFor(kotlinx.coroutines.currentCoroutineContext())) { endRound(awaited = false) }
    }

    /**
     * Suspends until no task runs, then ends the current round (once: a second wait finds it
     * ended), cancels its context, and returns it; [awaited]: the caller will report it.
     */
    private suspend fun endRound(awaited: Boolean): Round {
        while (true) {
            running.wait()
            val r = synchronized(lock) {
                if (running.count != 0L) return@synchronized null // a task joined meanwhile
                round.also {
                    if (!it.ended) {
                        it.cancelledFirst = it.ctx.err
                        it.ended = true
                    }
                    if (awaited) it.awaited = true
                }
            } ?: continue
            r.ctx.cancel()
            return r
        }
    }

    /**
     * What failed so far in the current round (after [wait], in the round it ended, until a new
     * round starts), in the order the failures happened. Never blocks.
     */
    public fun failures(): List<TaskFailure> = round.failures.toList()
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
