package dev.conduit.supervisor

import dev.conduit.context.Context

/**
 * What a [Supervisor] starts, watches and restarts: a long-running service (Erlang's worker, Go
 * suture's `Service`). The supervisor calls [run] in a coroutine of its own, polls [health] if
 * the child's [ChildSpec.healthInterval] is finite, and calls [shutdown] when it stops the child.
 *
 * ## How a child ends
 * - [run] returning is a normal exit; throwing anything else is a failure. Which of the two
 *   restart the child is its [RestartType].
 * - When the supervisor stops the child (a restart of its group, [Supervisor.terminateChild],
 *   or the supervisor's own shutdown), it first cancels [run]'s context and calls [shutdown];
 *   [run] should then return (a Conduit operation given that context throws its error, which is
 *   fine). After [ChildSpec.shutdownTimeout] its coroutine is cancelled; if it ignores that too
 *   for another [ChildSpec.shutdownTimeout], it is abandoned and reported
 *   ([SupervisorEvent.ChildAbandoned]).
 *
 * A run whose child is a plain block is `SupervisedChild { ctx -> ... }`.
 */
public interface SupervisedChild {
    /**
     * Does the child's work, until [ctx] is done or the work ends. Suspends. Runs again, from
     * the start, on each restart.
     *
     * @param ctx cancelled when the supervisor stops this child; carries the values and the
     *   clock of the supervisor's context, but not its cancellation (children stop one by one,
     *   in reverse start order). Pass this one on, not [dev.conduit.context.currentContext]'s,
     *   which follows the coroutine that called [Supervisor.run].
     * @throws Throwable anything: a throw is a failure, restarted unless the child is
     *   [RestartType.TEMPORARY].
     */
    public suspend fun run(ctx: Context)

    /**
     * Whether the child is healthy, polled every [ChildSpec.healthInterval] while it runs: `false`,
     * a throw, or no answer within that interval (the check is then cancelled, and the failure is
     * a `java.util.concurrent.TimeoutException`) stops it and counts as a failure
     * ([SupervisorEvent.ChildUnhealthy]). The default is always healthy. Suspends.
     */
    public suspend fun health(): Boolean = true

    /**
     * Asked to stop, when the supervisor stops this child: release what [run] holds (close a
     * listener, flush a buffer). Runs concurrently with [run], whose context is cancelled at the
     * same moment; [ctx] ends at the child's [ChildSpec.shutdownTimeout]. The default does
     * nothing. Suspends. A throw is reported in [SupervisorEvent.ChildStopped.shutdownError].
     */
    public suspend fun shutdown(ctx: Context) {}
}

/**
 * A [SupervisedChild] whose [SupervisedChild.run] is [run], healthy always, with nothing to do
 * on shutdown beyond the cancellation of its context. Never blocks.
 */
public fun SupervisedChild(run: suspend (ctx: Context) -> Unit): SupervisedChild = object : SupervisedChild {
    override suspend fun run(ctx: Context) = run(ctx)

    override fun toString(): String = "SupervisedChild($run)"
}
