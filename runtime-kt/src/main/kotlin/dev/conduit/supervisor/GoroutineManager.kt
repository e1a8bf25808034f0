package dev.conduit.supervisor

import dev.conduit.GoLeaks
import dev.conduit.Clock
import dev.conduit.GoRuntime
import dev.conduit.chan.Chan
import dev.conduit.chan.ReceiveChan
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.ContextException
import dev.conduit.context.runWithContext
import dev.conduit.context.withTimeout
import dev.conduit.sync.Semaphore
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.util.Collections
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.time.Duration

/**
 * Runs named goroutines under one context, at most [maxGoroutines] at a time, tracks each of
 * them ([goroutines]), reports every error with the name of the goroutine that raised it
 * ([wait], [errors]), and ends them all in order: a graceful [shutdown] (stop accepting, signal,
 * grace period, force-cancel, deadline, cleanups), or at once ([cancel]).
 *
 * ```
 * val manager = GoroutineManager(ctx, maxGoroutines = 8, name = "crawler")
 * for (url in urls) manager.go("fetch", mapOf("url" to url)) { ctx -> fetch(url, ctx) }
 * manager.wait()          // throws GoroutineManagerException listing each failure with its goroutine
 * ```
 *
 * ## Starting goroutines
 * [go] suspends while every slot is taken, first come first served (a Conduit [Semaphore]
 * holds the slots); [tryGo] never waits and returns `null` when none is free. A goroutine holds
 * its slot until its cleanups have run. Its code gets its own context, a child of [ctx]: watch
 * it (pass it to Conduit calls, or select on its `done`) to stop when asked to. The code runs
 * in [scope]'s dispatcher.
 *
 * ## Errors
 * Any exception a goroutine's code throws is an error, except when it stops because it was
 * asked to (its context is done, or its coroutine was cancelled): that is
 * [GoroutineState.CANCELLED], not an error. A cleanup's exception is an error too. Each error
 * goes, as it happens, to [errors] (unbounded, so a failing goroutine never waits for a reader
 * and no error is dropped; closed once the manager has ended, after its last error) and is kept
 * for [wait], which throws them all in one [GoroutineManagerException]. A child manager's
 * errors are also its parent's.
 *
 * ## Ending
 * The manager ends when it no longer accepts goroutines ([wait] was called, or [shutdown] or
 * [cancel]) and all its goroutines and child managers have ended (or a shutdown deadline gave up
 * on them): then its own cleanups run, last registered first, [errors] is closed, and [wait]
 * returns. A [go] after that, or during a shutdown or after a cancel, throws
 * [GoroutineManagerClosedException].
 *
 * ## Nesting
 * [child] makes a manager whose context is a child of this one's: this manager's [shutdown],
 * [cancel] and [wait] reach it, its goroutines are listed and reported with this one's, and this
 * manager ends only after the child has ended and its cleanups have run.
 *
 * Thread-safe.
 *
 * @param ctx the parent of the manager's [ctx]: cancelling it signals every goroutine (as the
 *   shutdown's signal does, without the rest of the sequence).
 * @param maxGoroutines how many of its goroutines may run at once.
 * @param name how it is named in goroutine listings, errors and events.
 * @param scope where the goroutines run: their coroutines are children of a supervisor job
 *   under the scope's job, on its dispatcher (a test scope's, for virtual time).
 * @param clock the time of start times, state changes and events, and of [shutdown]'s
 *   grace period and timeout (a virtual clock in tests); by default [ctx]'s.
 * @throws IllegalArgumentException if [maxGoroutines] is not positive.
 */
public class GoroutineManager private constructor(
    ctx: Context,
    /** How many of its goroutines may run at once. */
    public val maxGoroutines: Int,
    /** Its name, as listings, errors and events show it (`parent/child` for a child manager). */
    public val name: String,
    scope: CoroutineScope,
    /** The clock of its start times, state changes and events, and of [shutdown]'s grace period and timeout. */
    public val clock: Clock,
    private val parent: GoroutineManager?,
) {
    /** Makes a manager; see the class's parameters. Never blocks. */
    public constructor(
        ctx: Context = Context.background(),
        maxGoroutines: Int,
        name: String = "manager",
        scope: CoroutineScope = GoRuntime.scope,
        clock: Clock = ctx.clock,
    ) : this(ctx, maxGoroutines, name, scope, clock, null)

    init {
        require(maxGoroutines >= 1) { "maxGoroutines must be >= 1, but was $maxGoroutines" }
    }

    private val lock = Any()
    private val workerScope = CoroutineScope(scope.coroutineContext + SupervisorJob(scope.coroutineContext[Job]))
    private val managedCtx: CancelContext = ctx.withCancel()

    /** Done when the manager stops accepting (or [managedCtx] is): refuses the `go` calls waiting for a slot. */
    private val acceptCtx: CancelContext = managedCtx.withCancel()
    private val slots = Semaphore(maxGoroutines.toLong())
    private val cleanups = CleanupStack { "manager '$name'" }
    private val errorChan = Chan<ManagedGoroutineFailure>(Int.MAX_VALUE)
    private val terminated = CompletableDeferred<Unit>()

    /** Bumped each time a goroutine of this manager or of a child ends (or is withdrawn), for shutdown's waits. */
    private val endings = MutableStateFlow(0L)
    private val listeners = CopyOnWriteArrayList<GoroutineManagerListener>()

    // ---- under the lock ------------------------------------------------------------------
    private var phase = GoroutineManagerState.ACCEPTING
    private var waited = false
    private var abandoned = false
    private val live = LinkedHashMap<Long, ManagedGoroutine>()
    private val recentlyEnded = ArrayDeque<ManagedGoroutine>()
    private val children = LinkedHashSet<GoroutineManager>()
    private val failures = ArrayList<ManagedGoroutineFailure>()
    /** The latest phase told to the listeners: each is told once, and never one before it. */
    private var emitted: GoroutineManagerPhase? = null
    private var shutdownRun: CompletableDeferred<GoroutineManagerReport>? = null

    /**
     * The manager's context, the parent of each goroutine's: cancelled by [shutdown]'s signal,
     * by [cancel], by the context the manager was made with, and once the manager has ended.
     */
    public val ctx: Context get() = managedCtx

    /** Its state now. Never blocks. */
    public val state: GoroutineManagerState get() = synchronized(lock) { phase }

    /**
     * Every error as it happens (each goroutine's, each cleanup's, and its child managers'), in
     * the order they happened. Unbounded: recording an error never waits for a reader and never
     * drops one. Closed once the manager has ended, after its last error; the errors still
     * buffered can be received after that. An error of a goroutine that a shutdown gave up on,
     * raised after the manager ended, goes to [GoRuntime.report] instead.
     */
    public val errors: ReceiveChan<ManagedGoroutineFailure> get() = errorChan

    // ---- starting --------------------------------------------------------------------------

    /**
     * Starts [block] as a goroutine named [name] with [labels], suspending first while all
     * [maxGoroutines] slots are taken (in the meantime [goroutines] shows it BLOCKED on a slot).
     * The block gets the goroutine's context; its receiver offers `defer` and `blockedOn`.
     *
     * @return its handle.
     * @throws GoroutineManagerClosedException if the manager does not accept goroutines, or
     *   stops accepting while this waits for a slot; nothing is started then.
     * @throws ContextException if the manager's context is done while this waits for a slot;
     *   nothing is started then.
     * @throws CancellationException if the calling coroutine is cancelled while it waits;
     *   nothing is started then.
     */
    public suspend fun go(
        name: String,
        labels: Map<String, String> = emptyMap(),
        block: suspend ManagedGoroutineScope.(Context) -> Unit,
    ): ManagedGoroutine {
        checkAccepting()
        if (slots.tryAcquire()) return start(registerHoldingSlot(name, labels), block)
        val g = register(name, labels, waiting = true)
        try {
            slots.acquire(acceptCtx)
        } catch (e: Throwable) {
            withdraw(g)
            if (e is ContextException) {
                val now = state
                if (now != GoroutineManagerState.ACCEPTING) throw GoroutineManagerClosedException(this.name, now)
            }
            throw e
        }
        return start(g, block)
    }

    /**
     * Starts [block] like [go] if a slot is free now (and nobody is queued for one); otherwise
     * starts nothing. Never blocks.
     *
     * @return its handle, or `null` if no slot was free.
     * @throws GoroutineManagerClosedException if the manager does not accept goroutines.
     */
    public fun tryGo(
        name: String,
        labels: Map<String, String> = emptyMap(),
        block: suspend ManagedGoroutineScope.(Context) -> Unit,
    ): ManagedGoroutine? {
        checkAccepting()
        if (!slots.tryAcquire()) return null
        return start(registerHoldingSlot(name, labels), block)
    }

    /**
     * A manager under this one, named `this.name/name`, with [maxGoroutines] slots of its own,
     * its context a child of this one's, on the same scope and clock (see "Nesting"). Never
     * blocks. Make children before [wait] is called on this manager: one made while it is
     * waited for is waited for too, so it ends as soon as it has no goroutine, which may be
     * before its first [go].
     *
     * @throws IllegalArgumentException if [maxGoroutines] is not positive.
     * @throws GoroutineManagerClosedException if this manager does not accept goroutines.
     */
    public fun child(name: String, maxGoroutines: Int): GoroutineManager {
        val kid = synchronized(lock) {
            acceptingLocked()
            GoroutineManager(managedCtx, maxGoroutines, "${this.name}/$name", workerScope, clock, this).also { children.add(it) }
        }
        // A child made while this manager is being waited for ends with it.
        if (synchronized(lock) { waited }) kid.markWaited()
        return kid
    }

    private fun checkAccepting() {
        synchronized(lock) { acceptingLocked() }
    }

    private fun acceptingLocked() {
        if (phase != GoroutineManagerState.ACCEPTING) throw GoroutineManagerClosedException(name, phase)
    }

    /** A goroutine counted in: [waiting] for a slot, or holding one. */
    private fun register(name: String, labels: Map<String, String>, waiting: Boolean): ManagedGoroutine = synchronized(lock) {
        acceptingLocked()
        val slotWait = if (waiting) "a slot of manager '${this.name}'" else null
        val g = ManagedGoroutine(GoLeaks.nextId(), name, labels, this, clock.now(), managedCtx.withCancel(), slotWait)
        live[g.id] = g
        g
    }

    /** [register] for a caller that holds a slot already: gives it back if refused. */
    private fun registerHoldingSlot(name: String, labels: Map<String, String>): ManagedGoroutine =
        try {
            register(name, labels, waiting = false)
        } catch (e: GoroutineManagerClosedException) {
            slots.release()
            throw e
        }

    private fun start(g: ManagedGoroutine, block: suspend ManagedGoroutineScope.(Context) -> Unit): ManagedGoroutine {
        // Atomic: the coroutine runs (and so counts itself out) even if cancelled before it starts.
        g.attach(workerScope.launch(GoLeaks.goroutineElement(g.id, g::info) + CoroutineName(g.name), start = CoroutineStart.ATOMIC) { g.run(block) })
        return g
    }

    /** [g] got no slot and never ran. */
    private fun withdraw(g: ManagedGoroutine) {
        synchronized(lock) { live.remove(g.id) }
        g.withdrawn()
        counted()
    }

    /** [g] has ended and its cleanups have run. */
    internal fun ended(g: ManagedGoroutine) {
        synchronized(lock) {
            live.remove(g.id)
            recentlyEnded.addLast(g)
            if (recentlyEnded.size > KEPT_ENDED) recentlyEnded.removeFirst()
        }
        slots.release()
        counted()
    }

    /** After a goroutine left [live]: wakes shutdown's waits (here and above), and ends the manager if it is time. */
    private fun counted() {
        var m: GoroutineManager? = this
        while (m != null) {
            m.endings.update { it + 1 }
            m = m.parent
        }
        checkEnd()
    }

    internal fun failed(g: ManagedGoroutine, error: Throwable, inCleanup: Boolean) {
        record(ManagedGoroutineFailure(g.name, g.id, name, error, inCleanup))
    }

    /** Keeps [f] for [wait] and sends it to [errors], here and in every manager above; after the end, reports it. */
    private fun record(f: ManagedGoroutineFailure) {
        val kept = synchronized(lock) {
            if (phase == GoroutineManagerState.TERMINATED) {
                false
            } else {
                failures.add(f)
                errorChan.trySend(f)
                true
            }
        }
        // A manager ends after its children, so one that is still going has a parent still going.
        if (kept) parent?.record(f) else GoRuntime.report(f.error)
    }

    // ---- observing -------------------------------------------------------------------------

    /**
     * A snapshot of its goroutines and those of its child managers that have not ended yet:
     * the running and blocked ones, and the last [KEPT_ENDED] that ended in each, in start
     * order. Unmodifiable; never blocks.
     */
    public fun goroutines(): List<GoroutineInfo> {
        val all = ArrayList<ManagedGoroutine>()
        collect(all, includeEnded = true)
        all.sortBy { it.id }
        return Collections.unmodifiableList(all.map { it.info() })
    }

    /** This manager's goroutines and its children's into [into]: the live ones, and the kept ended ones if [includeEnded]. */
    private fun collect(into: MutableList<ManagedGoroutine>, includeEnded: Boolean) {
        val kids = synchronized(lock) {
            if (includeEnded) into.addAll(recentlyEnded)
            into.addAll(live.values)
            children.toList()
        }
        for (k in kids) k.collect(into, includeEnded)
    }

    private fun liveTree(): List<ManagedGoroutine> = ArrayList<ManagedGoroutine>().also { collect(it, includeEnded = false) }

    /** Registers [listener] for this manager's [GoroutineManagerEvent]s. Never blocks. */
    public fun addListener(listener: GoroutineManagerListener) {
        listeners.add(listener)
    }

    /**
     * Unregisters [listener]. Never blocks.
     *
     * @return whether it was registered.
     */
    public fun removeListener(listener: GoroutineManagerListener): Boolean = listeners.remove(listener)

    /** Tells the listeners that the manager entered [phase], unless it or a later phase was told already. */
    private fun emit(phase: GoroutineManagerPhase) {
        val first = synchronized(lock) {
            val last = emitted
            (last == null || last < phase).also { if (it) emitted = phase }
        }
        if (!first || listeners.isEmpty()) return
        val event = GoroutineManagerEvent(name, phase, clock.now(), liveTree().size)
        for (l in listeners) {
            try {
                l.onEvent(event)
            } catch (e: Throwable) {
                GoRuntime.report(e)
            }
        }
    }

    // ---- cleanups and ending -----------------------------------------------------------

    /**
     * Registers [cleanup] to run when the manager ends (see "Ending"), after every goroutine
     * and child manager, last registered first, non-cancellable; one that throws is an error
     * of the manager ([ManagedGoroutineFailure.goroutineId] 0) and the others still run. Never
     * blocks.
     *
     * @throws IllegalStateException if the manager's cleanups have already run.
     */
    public fun defer(cleanup: suspend () -> Unit) {
        cleanups.push(cleanup)
    }

    /**
     * Waits for the manager to end: from now it ends as soon as it has no goroutine and no
     * child manager left (goroutines may still start others meanwhile, in it or in a child;
     * once it has ended they are refused), and so do its children. Then its cleanups run, and
     * this returns, or throws every error it recorded. Suspends; cancelling the caller only
     * stops the wait. Called again, it reports the same again.
     *
     * @throws GoroutineManagerException with every error (its goroutines', their cleanups', its
     *   own cleanups', and its child managers'), each with its goroutine's name.
     */
    public suspend fun wait() {
        markWaited()
        terminated.await()
        val all = synchronized(lock) { failures.toList() }
        if (all.isNotEmpty()) throw GoroutineManagerException(name, all)
    }

    private fun markWaited() {
        val kids = synchronized(lock) {
            waited = true
            children.toList()
        }
        kids.forEach { it.markWaited() }
        checkEnd()
    }

    /**
     * Cancels everything now: stops accepting (refusing the `go` calls waiting for a slot),
     * cancels [ctx] and force-cancels every goroutine (its coroutine; for a Java task, its
     * thread is interrupted), in this manager and its children. Each phase is an event. Their
     * cleanups still run; the manager ends once they have ended. Never blocks.
     */
    public fun cancel() {
        stopAccepting(GoroutineManagerState.CANCELLED)
        signal()
        force()
    }

    /**
     * Shuts the manager (and its children) down gracefully within [timeout]: as
     * [shutdown]`(ctx, grace)` with a context whose deadline is [timeout] from now on [clock].
     *
     * @throws IllegalArgumentException if [grace] or [timeout] is negative.
     */
    public suspend fun shutdown(grace: Duration, timeout: Duration): GoroutineManagerReport {
        require(!timeout.isNegative()) { "timeout must be >= 0, but was $timeout" }
        return Context.background(clock).withTimeout(timeout).use { shutdown(it, grace) }
    }

    /**
     * Shuts the manager, and its children, down gracefully; each phase is a
     * [GoroutineManagerEvent] of each manager:
     * 1. [GoroutineManagerPhase.STOP_ACCEPTING]: later `go` calls throw
     *    [GoroutineManagerClosedException], and those waiting for a slot are refused;
     * 2. [GoroutineManagerPhase.SIGNAL]: [ctx] is cancelled, so goroutines that watch it stop;
     * 3. waits until every goroutine has ended, for at most [grace] (measured on [ctx]'s clock);
     * 4. [GoroutineManagerPhase.FORCE_CANCEL], if some still run: their coroutines are cancelled
     *    (Java tasks: their threads interrupted);
     * 5. waits until they have ended, until [ctx] (the deadline of the whole) is done;
     * 6. [GoroutineManagerPhase.DEADLINE], if some still run: they are given up on (reported, and
     *    no longer waited for: a goroutine that ignores cancellation cannot hang the shutdown);
     * 7. [GoroutineManagerPhase.CLEANUP] and [GoroutineManagerPhase.TERMINATED]: each manager's
     *    cleanups run once its goroutines and children have ended (or were given up on), a
     *    child's before its parent's; this returns after they have run. Cleanups are not cut
     *    short by the deadline: they release resources, so they are waited for.
     *
     * [ctx] done before [grace] is over force-cancels at that moment. Only the first call runs
     * the sequence; a later or concurrent one waits for its report (its own arguments unused).
     * Cancelling the call that runs it cuts the sequence short (force-cancel and give up at
     * once), and throws without waiting for the cleanups.
     *
     * @return what became of the goroutines that were running when it began.
     * @throws IllegalArgumentException if [grace] is negative.
     * @throws CancellationException if the calling coroutine is cancelled.
     */
    public suspend fun shutdown(ctx: Context, grace: Duration): GoroutineManagerReport {
        require(!grace.isNegative()) { "grace must be >= 0, but was $grace" }
        val (run, mine) = synchronized(lock) {
            shutdownRun?.let { return@synchronized it to false }
            CompletableDeferred<GoroutineManagerReport>().also { shutdownRun = it } to true
        }
        if (!mine) return run.await()
        val deadline = ctx.withCancel()
        workerScope.launch(start = CoroutineStart.ATOMIC) {
            try {
                run.complete(shutdownSequence(deadline, grace))
            } catch (e: Throwable) {
                run.completeExceptionally(e)
            } finally {
                deadline.cancel()
            }
        }
        try {
            return run.await()
        } catch (e: CancellationException) {
            deadline.cancel(e)
            throw e
        }
    }

    private suspend fun shutdownSequence(deadline: Context, grace: Duration): GoroutineManagerReport = withContext(NonCancellable) {
        val startedAt = clock.now()
        val atStart = liveTree()
        stopAccepting(GoroutineManagerState.SHUTTING_DOWN)
        signal()
        var forced = emptyList<ManagedGoroutine>()
        var never = emptyList<ManagedGoroutine>()
        val quietInGrace = deadline.withTimeout(grace).use { awaitQuiet(it) }
        if (!quietInGrace) {
            forced = liveTree()
            force()
            if (!awaitQuiet(deadline)) {
                never = liveTree()
                abandon()
            }
        }
        terminated.await()
        val late = (forced + never).mapTo(HashSet()) { it.id }
        val neverIds = never.mapTo(HashSet()) { it.id }
        GoroutineManagerReport(
            startedAt = startedAt,
            endedAt = clock.now(),
            ended = atStart.filter { it.started && it.id !in late }.map { it.info() },
            forceCancelled = forced.filter { it.id !in neverIds }.map { it.info() },
            neverEnded = never.map { it.info() },
            failures = synchronized(lock) { failures.toList() },
        )
    }

    /** Suspends until no goroutine of the tree is left running, or [limit] is done; returns whether none is left. */
    private suspend fun awaitQuiet(limit: Context): Boolean =
        try {
            runWithContext(limit) { endings.first { liveTree().isEmpty() } }
            true
        } catch (e: ContextException) {
            liveTree().isEmpty()
        }

    /** Phase 1 in this manager and its children: moves it to [to] (never back). */
    private fun stopAccepting(to: GoroutineManagerState) {
        val kids = synchronized(lock) {
            if (phase < to && phase < GoroutineManagerState.CLEANING_UP) phase = to
            children.toList()
        }
        acceptCtx.cancel()
        emit(GoroutineManagerPhase.STOP_ACCEPTING)
        kids.forEach { it.stopAccepting(to) }
        checkEnd()
    }

    /** Phase 2 in this manager and its children. */
    private fun signal() {
        managedCtx.cancel()
        emit(GoroutineManagerPhase.SIGNAL)
        synchronized(lock) { children.toList() }.forEach { it.signal() }
    }

    /** Phase 4 in this manager and its children. */
    private fun force() {
        val (gs, kids) = synchronized(lock) { live.values.toList() to children.toList() }
        emit(GoroutineManagerPhase.FORCE_CANCEL)
        gs.forEach { it.forceCancel() }
        kids.forEach { it.force() }
    }

    /** Phase 6 in this manager and its children: stops waiting for what still runs. */
    private fun abandon() {
        val kids = synchronized(lock) {
            abandoned = true
            children.toList()
        }
        emit(GoroutineManagerPhase.DEADLINE)
        kids.forEach { it.abandon() }
        checkEnd()
    }

    /** Starts the end (the cleanups) if the manager no longer accepts and nothing is left to wait for. */
    private fun checkEnd() {
        synchronized(lock) {
            if (phase >= GoroutineManagerState.CLEANING_UP) return
            val closing = waited || phase != GoroutineManagerState.ACCEPTING
            if (!closing || children.isNotEmpty() || (live.isNotEmpty() && !abandoned)) return
            phase = GoroutineManagerState.CLEANING_UP
        }
        acceptCtx.cancel()
        workerScope.launch(start = CoroutineStart.ATOMIC) { end() }
    }

    private suspend fun end() {
        emit(GoroutineManagerPhase.CLEANUP)
        withContext(NonCancellable) {
            cleanups.runAll { e -> record(ManagedGoroutineFailure(name, 0, name, e, inCleanup = true)) }
        }
        synchronized(lock) {
            phase = GoroutineManagerState.TERMINATED
            errorChan.close()
        }
        managedCtx.cancel()
        emit(GoroutineManagerPhase.TERMINATED)
        terminated.complete(Unit)
        parent?.childEnded(this)
    }

    private fun childEnded(kid: GoroutineManager) {
        synchronized(lock) { children.remove(kid) }
        checkEnd()
    }

    /** Its name, state and how many goroutines run. Never blocks. */
    override fun toString(): String = synchronized(lock) { "GoroutineManager($name, $phase, ${live.size} live)" }

    public companion object {
        /** How many ended goroutines each manager keeps listing in [goroutines] (the most recent). */
        public const val KEPT_ENDED: Int = 64
    }
}
