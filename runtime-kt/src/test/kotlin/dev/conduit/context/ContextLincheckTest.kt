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

/** How far one `timePasses` moves the clock: exactly the timeouts of the deadline contexts. */
private val STEP = 1.seconds

/**
 * A cancel context on a [ManualClock] under concurrent cancel (with and without a cause), waits
 * on `done`, child creation, deadline children, done-callback registration and the passing of
 * time: linearizable observations (err, cause, done, the deadline child's err) and, after every
 * run, the invariants Go's context promises: every child of a cancelled context is cancelled,
 * the deadline child is done once its deadline has passed, a done deadline child has no timer
 * left, and each registered callback either ran exactly once or was stopped, never both and
 * never neither. Lincheck cancels suspended waits on `done`.
 *
 * `afterFunc` and `doneFuture` start a goroutine on GoRuntime's dispatcher, whose threads
 * Lincheck does not control; they are the callback registration checked here (`onDone`) plus
 * that launch, and ContextTest ("afterFunc runs once the context is done; stop before that
 * prevents it") covers them.
 */
class ContextOps {
    private val clock = ManualClock()
    private val root = Context.background(clock).withCancel()

    /** A deadline child made before the run: its timer and `cancel` race. */
    private val timed = root.withTimeout(STEP)
    private val children = ConcurrentLinkedQueue<Context>()
    private val deadlineChildren = ConcurrentLinkedQueue<Context>()
    private val callbacks = ConcurrentLinkedQueue<Pair<AtomicInteger, Boolean>>()

    @Operation
    fun cancel() = root.cancel()

    @Operation
    fun cancelWithCause() = root.cancel(IllegalStateException("shutting down"))

    @Operation
    fun err(): String? = root.err?.message

    @Operation
    fun cause(): String? = root.cause?.message

    @Operation
    suspend fun awaitDone(): String = root.done.receiveOk().toString()

    @Operation
    fun timePasses() = clock.advance(STEP.inWholeNanoseconds)

    @Operation
    fun timedErr(): String? = timed.err?.message

    @Operation
    suspend fun awaitTimedDone(): String = timed.done.receiveOk().toString()

    /** Whether the new child was already cancelled when made. */
    @Operation
    fun child(): Boolean {
        val c = root.withCancel()
        children.add(c)
        return c.err != null
    }

    /**
     * A child with a deadline one step away, checked after the run only: making one reads the
     * clock twice (for the deadline, then for the timer's delay, as Go's `WithTimeout` does), so
     * time that passes in between makes a child done at once, or one whose timer comes a little
     * after its deadline; no sequential run, which reads the clock once, shows either. The child
     * made before the run ([timed]) is the deadline checked for linearizability.
     */
    @Operation
    fun deadlineChild() {
        deadlineChildren.add(root.withTimeout(STEP))
    }

    /** Registers a callback and then stops it: returns whether the stop came first. */
    @Operation
    fun registerAndStop(): Boolean {
        val ran = AtomicInteger()
        val registration = root.onDone { _, _, _ -> ran.incrementAndGet() }
        val stopped = registration.stop()
        callbacks.add(ran to stopped)
        return stopped
    }

    @Validate
    fun invariants() {
        if (root.err != null) {
            check((children + deadlineChildren + timed).all { it.err != null }) { "a child of a cancelled context is not cancelled" }
        }
        if (!clock.now().isBefore(timed.deadline)) check(timed.err != null) { "the deadline child is not done after its deadline" }
        val live = (deadlineChildren + timed).count { it.err == null }
        check(clock.pending() == live) { "${clock.pending()} timers pending for $live deadline children not done" }
        for ((ran, stopped) in callbacks) {
            check(ran.get() <= 1) { "a callback ran ${ran.get()} times" }
            check((ran.get() == 1) != stopped) { "callback ran=${ran.get()} but stop returned $stopped" }
        }
    }
}

class ContextLincheckTest : FunSpec({
    lincheckTests(ContextOps::class, suspendingModelChecking(), name = "cancel, causes, deadlines, waits, children and callbacks")
})
