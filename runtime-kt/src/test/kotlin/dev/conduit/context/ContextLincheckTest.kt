package dev.conduit.context

import dev.conduit.lincheckSize
import dev.conduit.plainModelChecking
import dev.conduit.stressChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Validate
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger

/**
 * A cancel context under concurrent cancel, child creation and done-callback registration:
 * linearizable observations (err, done) and, after every run, the invariants Go's context
 * promises: every child of a cancelled context is cancelled, and each registered callback
 * either ran exactly once or was stopped, never both and never neither.
 */
class ContextOps {
    private val root = Context.background().withCancel()
    private val children = ConcurrentLinkedQueue<Context>()
    private val callbacks = ConcurrentLinkedQueue<Pair<AtomicInteger, Boolean>>()

    @Operation
    fun cancel() = root.cancel()

    @Operation
    fun isDone(): Boolean = root.err != null

    @Operation
    fun doneClosed(): Boolean = root.done.tryReceive() != null

    /** Whether the new child was already cancelled when made. */
    @Operation
    fun child(): Boolean {
        val c = root.withCancel()
        children.add(c)
        return c.err != null
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
            check(children.all { it.err != null }) { "a child of a cancelled context is not cancelled" }
        }
        for ((ran, stopped) in callbacks) {
            check(ran.get() <= 1) { "a callback ran ${ran.get()} times" }
            check((ran.get() == 1) != stopped) { "callback ran=${ran.get()} but stop returned $stopped" }
        }
    }
}

class ContextLincheckTest : FunSpec({
    // Model checking walks the channel code behind `done` too, so it runs fewer scenarios.
    test("cancel, children and callbacks are linearizable and keep Go's invariants (model checking)") {
        plainModelChecking()
            .iterations(lincheckSize(12, 50))
            .invocationsPerIteration(lincheckSize(280, 2_500))
            .check(ContextOps::class)
    }

    test("the same under stress") {
        stressChecking().check(ContextOps::class)
    }
})
