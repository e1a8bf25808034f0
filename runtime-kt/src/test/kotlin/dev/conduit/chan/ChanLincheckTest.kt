package dev.conduit.chan

import dev.conduit.stressRun
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.StressOptions

/**
 * The non-suspending operations of a `Chan`, checked for linearizability against their own
 * sequential behaviour. Every outcome is returned as a string so that "closed" is checked too.
 */
@Param(name = "value", gen = IntGen::class, conf = "1:4")
open class NonSuspendingChanOps(capacity: Int) {
    protected val ch: Chan<Int> = chan(capacity)

    @Operation(nonParallelGroup = "senders")
    fun trySend(@Param(name = "value") v: Int): String = closedAs { ch.trySend(v).toString() }

    @Operation
    fun tryReceive(): String = ch.tryReceive().toString()

    @Operation
    fun close(): String = closedAs { ch.close(); "closed it" }

    /** The outcome as a string, a closed channel's exception by its message. */
    protected inline fun closedAs(op: () -> String): String =
        try {
            op()
        } catch (e: IllegalStateException) {
            e.message!!
        }
}

/** All operations, suspending ones included. */
open class ChanOps(capacity: Int) : NonSuspendingChanOps(capacity) {
    @Operation
    suspend fun send(@Param(name = "value") v: Int): String = closedAs { ch.send(v); "sent" }

    @Operation
    suspend fun receiveOk(): String = ch.receiveOk().toString()
}

class BufferedNonSuspendingChanOps : NonSuspendingChanOps(2)

class RendezvousChanOps : ChanOps(0)

class BufferedChanOps : ChanOps(2)

/**
 * Every operation, suspending ones included, under both model checking and stress.
 *
 * `trySend` runs on one thread at a time ("senders" group). With two concurrent `trySend`s the
 * model checker finds, in kotlinx's `BufferedChannel` itself, a history that is not
 * linearizable: a send that has reserved a cell but not yet stored its value makes a second
 * `trySend` see the buffer full while a `tryReceive` sees it empty. That relaxation is
 * documented on [SendChan.trySend] and [ReceiveChan.tryReceive].
 */
class ChanLincheckTest : FunSpec({
    val stress = stressRun
    val iterations = if (stress) 100 else 20
    val invocations = if (stress) 5_000 else 500

    test("try operations and close are linearizable under model checking") {
        ModelCheckingOptions()
            .iterations(iterations)
            .invocationsPerIteration(invocations)
            .threads(3)
            .actorsPerThread(3)
            .minimizeFailedScenario(false).check(BufferedNonSuspendingChanOps::class)
    }

    for (ops in listOf(RendezvousChanOps::class, BufferedChanOps::class)) {
        test("${ops.simpleName}: all operations are linearizable under model checking") {
            suspendingModelChecking().check(ops)
        }

        test("${ops.simpleName}: all operations are linearizable under stress") {
            StressOptions()
                .iterations(iterations)
                .invocationsPerIteration(invocations)
                .threads(3)
                .actorsPerThread(3)
                .minimizeFailedScenario(false).check(ops)
        }
    }
})
