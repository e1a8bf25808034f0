package dev.conduit.supervisor

import dev.conduit.GoRuntime
import dev.conduit.context.Context
import kotlinx.coroutines.CompletableDeferred
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicReference

/**
 * An Erlang/OTP-style supervisor: runs its children ([ChildSpec]s, or children made at run time
 * from a [ChildTemplate]), restarts those that end as their [RestartType] and its
 * [RestartStrategy] say, with a backoff and within a restart intensity, and stops them in reverse
 * order when it stops. A supervisor is itself a [SupervisedChild], so supervisors nest into
 * trees: a supervisor that gives up fails, and its own supervisor decides what to do.
 *
 * ```
 * val app = Supervisor(SupervisorConfig(
 *     name = "app",
 *     strategy = RestartStrategy.ONE_FOR_ONE,
 *     children = listOf(
 *         ChildSpec("cache", SupervisedChild { ctx -> serveCache(ctx) }),
 *         ChildSpec("fetcher", SupervisedChild { ctx -> fetchForever(ctx) }, restart = RestartType.TRANSIENT),
 *     ),
 * ))
 * app.addListener { println(it) }
 * val ctx = Context.background().withCancel()
 * val running = launch { app.run(ctx) }
 * // ...
 * ctx.cancel()        // stops fetcher, then cache
 * running.join()
 * ```
 *
 * ## Start and stop
 * [run] starts the children one by one, in spec order; a child counts as started once its
 * [SupervisedChild.run] has begun (in its own coroutine, on the dispatcher of [run]'s caller).
 * Stopping a child cancels its context and calls [SupervisedChild.shutdown], waits up to its
 * [ChildSpec.shutdownTimeout], then cancels its coroutine and waits as long again; a child
 * still running then is abandoned and reported ([SupervisorEvent.ChildAbandoned]), so a child
 * that ignores cancellation cannot hang its supervisor. While it stops a child, the supervisor
 * handles nothing else (as OTP's).
 *
 * ## Restarts
 * See [RestartType] (whether a child that ended is restarted), [RestartStrategy] (which others
 * restart with it) and [SupervisorConfig] (intensity, backoff). A child whose health check
 * ([ChildSpec.healthInterval]) says unhealthy is stopped and counts as failed.
 *
 * ## Time
 * Backoffs, health polls, shutdown timeouts and the intensity window run on the clock of the
 * context given to [run] ([Context.clock]): virtual time in tests.
 *
 * ## Observing
 * [addListener] receives every start, exit, failure, restart, escalation and shutdown as a
 * [SupervisorEvent]; [children] is a snapshot of the children and their states.
 *
 * @param config the name, strategy, children and intensity.
 */
public class Supervisor(public val config: SupervisorConfig) : SupervisedChild {
    internal val listeners = CopyOnWriteArrayList<SupervisorListener>()
    private val current = AtomicReference<SupervisorRun?>(null)

    @Volatile
    private var last: SupervisorRun? = null

    /** The supervisor's name ([SupervisorConfig.name]). */
    public val name: String get() = config.name

    /**
     * Runs the supervisor: starts its children in order, then supervises them until [ctx] is done
     * (it then stops them in reverse order and returns) or it gives up (it then stops them and
     * throws). Cancelling the calling coroutine stops the children the same way before the
     * cancellation goes on. Suspends for as long as the supervisor runs. A supervisor may be run
     * again once a run has ended (as its own supervisor does when it restarts it); each run
     * starts afresh.
     *
     * @throws SupervisorFailedException if more than [SupervisorConfig.maxRestarts] restarts
     *   were needed in a [SupervisorConfig.period].
     * @throws IllegalStateException if this supervisor is already running.
     */
    override suspend fun run(ctx: Context) {
        val run = SupervisorRun(this, ctx)
        check(current.compareAndSet(null, run)) { "supervisor '$name' is already running" }
        last = run
        try {
            run.supervise()
        } finally {
            current.set(null)
        }
    }

    /** Healthy while it runs and is not stopping. Never suspends in practice. */
    override suspend fun health(): Boolean = current.get()?.isStopping == false

    /**
     * Starts a child of this dynamic ([RestartStrategy.SIMPLE_ONE_FOR_ONE]) supervisor from its
     * [ChildTemplate], with [args] for the template's factory. Suspends until the child's run has
     * begun (cancelling the caller does not withdraw the start).
     *
     * The template's factory makes the child here, on the caller.
     *
     * @return the new child's id, `"<template name>-N"`.
     * @throws IllegalStateException if the supervisor is not dynamic, or not running.
     * @throws Throwable what the template's factory throws (no child is started then).
     */
    public suspend fun startChild(args: Any? = null): String {
        val template = checkNotNull(config.template) {
            "startChild needs a SIMPLE_ONE_FOR_ONE supervisor, but '$name' is ${config.strategy}"
        }
        if (current.get() == null) throw IllegalStateException("supervisor '$name' is not running")
        val child = template.factory(args)
        return request { StartChild(child, it) }
    }

    /**
     * Stops child [id] as the supervisor stops any child (see "Start and stop") and does not
     * restart it: a static child stays in [children] as [ChildState.STOPPED], a dynamic one is
     * removed. Suspends until it has stopped (or been abandoned).
     *
     * @return `false` if there is no such child (or it had already stopped), `true` otherwise.
     * @throws IllegalStateException if the supervisor is not running.
     */
    public suspend fun terminateChild(id: String): Boolean = request { TerminateChild(id, it) }

    private suspend fun <T> request(make: (CompletableDeferred<T>) -> Request<T>): T {
        val run = current.get() ?: throw IllegalStateException("supervisor '$name' is not running")
        val reply = CompletableDeferred<T>()
        run.submit(make(reply))
        return reply.await()
    }

    /**
     * A snapshot of the children, in start order, with their states: of the current run, else
     * of the last one, else the configured children, all [ChildState.STOPPED]. Never blocks.
     */
    public fun children(): List<ChildInfo> =
        last?.snapshot() ?: config.children.map { ChildInfo(it.id, ChildState.STOPPED, it.restart, 0, null) }

    /** Whether a run is in progress. Never blocks. */
    public val isRunning: Boolean get() = current.get() != null

    /** Adds [listener] to receive this supervisor's events from now on. Never blocks. */
    public fun addListener(listener: SupervisorListener) {
        listeners += listener
    }

    /** Removes [listener]. Never blocks. @return whether it was registered. */
    public fun removeListener(listener: SupervisorListener): Boolean = listeners.remove(listener)

    /** Gives the event [make] makes to each listener; makes nothing when there is none. */
    internal inline fun emit(make: () -> SupervisorEvent) {
        if (listeners.isEmpty()) return
        val event = make()
        for (l in listeners) {
            try {
                l.onEvent(event)
            } catch (e: Throwable) {
                GoRuntime.report(e)
            }
        }
    }

    /** "Supervisor(name, strategy)". */
    override fun toString(): String = "Supervisor($name, ${config.strategy})"
}
