package dev.conduit.context

import dev.conduit.ManualClock
import dev.conduit.lincheckTests
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Validate
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

/** How far one `timePasses` moves the clock: exactly the context's timeout. */
private val STEP = 1.seconds

/**
 * A deadline context on a [ManualClock] under concurrent cancel (with and without a cause), its
 * deadline passing (its timer and `cancel` race: the first wins, err and cause say which), waits
 * on `done`, child creation, deadline children and done-callback registration: linearizable
 * observations of the context (err, cause, done, whether a child was born cancelled) and, after
 * every run, the invariants Go's context promises: every child of a cancelled context is
 * cancelled, the context is done once its deadline has passed, a done deadline context has no
 * timer left, and each registered callback either ran exactly once or was stopped, never both
 * and never neither. Lincheck cancels suspended waits on `done`.
 *
 * A child's state is checked after the run, not as an operation: cancellation reaches children
 * after the parent's own `done` is closed (as in Go, where a goroutine woken by the parent's
 * `Done()` may still find a child's `Err()` nil), so a read of a child in the middle of the
 * parent's `cancel` sees a half-done operation.
 *
 * `afterFunc` and `doneFuture` start a goroutine on GoRuntime's dispatcher, whose threads
 * Lincheck does not control; they are the callback registration checked here (`onDone`) plus
 * that launch, and ContextTest ("afterFunc runs once the context is done; stop before that
 * prevents it") covers them.
 */
class ContextOps {
    private val clock = ManualClock()
    private val ctx = Context.background(clock).withTimeout(STEP)
    private val children = ConcurrentLinkedQueue<Context>()
    private val deadlineChildren = ConcurrentLinkedQueue<Context>()
    private val callbacks = ConcurrentLinkedQueue<Pair<AtomicInteger, Boolean>>()

    @Operation
    fun cancel() = ctx.cancel()

    @Operation
    fun cancelWithCause() = ctx.cancel(IllegalStateException("shutting down"))

    @Operation
    fun err(): String? = ctx.err?.message

    @Operation
    fun cause(): String? = ctx.cause?.message

    @Operation
    suspend fun awaitDone(): String = ctx.done.receiveOk().toString()

    @Operation
    fun timePasses() = clock.advance(STEP.inWholeNanoseconds)

    /** Whether the new child was already cancelled when made. */
    @Operation
    fun child(): Boolean {
        val c = ctx.withCancel()
        children.add(c)
        return c.err != null
    }

    /**
     * A child with a deadline half a step away (its own timer while that is before the
     * context's deadline, a plain child after), checked after the run only: making one reads the
     * clock twice (for the deadline, then for the timer's delay, as Go's `WithTimeout` does), so
     * time that passes in between makes a child done at once, or one whose timer comes a little
     * after its deadline; no sequential run, which reads the clock once, shows either. The
     * context itself, a deadline context, is the deadline checked for linearizability.
     */
    @Operation
    fun deadlineChild() {
        deadlineChildren.add(ctx.withTimeout(STEP / 2))
    }

    /** Registers a callback and then stops it: returns whether the stop came first. */
    @Operation
    fun registerAndStop(): Boolean {
        val ran = AtomicInteger()
        val registration = ctx.onDone { _, _, _ -> ran.incrementAndGet() }
        val stopped = registration.stop()
        callbacks.add(ran to stopped)
        return stopped
    }

    @Validate
    fun invariants() {
        if (ctx.err != null) {
            check((children + deadlineChildren).all { it.err != null }) { "a child of a cancelled context is not cancelled" }
        }
        if (!clock.now().isBefore(ctx.deadline)) check(ctx.err != null) { "the context is not done after its deadline" }
        val live = (deadlineChildren + ctx).count { it is TimerCtx && it.err == null }
        check(clock.pending() == live) { "${clock.pending()} timers pending for $live deadline contexts not done" }
        for ((ran, stopped) in callbacks) {
            check(ran.get() <= 1) { "a callback ran ${ran.get()} times" }
            check((ran.get() == 1) != stopped) { "callback ran=${ran.get()} but stop returned $stopped" }
        }
    }
}

class ContextLincheckTest : FunSpec({
    lincheckTests(ContextOps::class, suspendingModelChecking(), name = "cancel, causes, deadlines, waits, children and callbacks")
})
