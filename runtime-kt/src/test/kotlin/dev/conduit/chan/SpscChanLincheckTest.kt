package dev.conduit.chan

import dev.conduit.stressChecking
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/**
 * The single-producer, single-consumer channel against itself run sequentially, suspending
 * sends and receives included, with its rule built in: producer operations (sends, close) in one
 * non-parallel group, consumer operations in another. Lincheck cancels suspended sends and
 * receives: a cancelled one must leave no trace (the waiter withdraws in kotlinx's cancellation
 * handler).
 */
@Param(name = "value", gen = IntGen::class, conf = "1:5")
class SpscChanOps {
    private val ch = SpscChan<Int>(2)

    @Operation(nonParallelGroup = "producer")
    fun trySend(@Param(name = "value") v: Int): String = closedAs { ch.trySend(v).toString() }

    @Operation(nonParallelGroup = "producer")
    suspend fun send(@Param(name = "value") v: Int): String = closedAs { ch.send(v); "sent" }

    @Operation(nonParallelGroup = "producer")
    fun close(): String = closedAs { ch.close(); "closed it" }

    @Operation(nonParallelGroup = "consumer")
    fun tryReceive(): String = ch.tryReceive().toString()

    @Operation(nonParallelGroup = "consumer")
    suspend fun receiveOk(): String = ch.receiveOk().toString()

    private inline fun closedAs(op: () -> String): String =
        try {
            op()
        } catch (e: ClosedChannelException) {
            "send on closed"
        } catch (e: IllegalStateException) {
            e.message!!
        }
}

class SpscChanLincheckTest : FunSpec({
    test("SpscChan is linearizable under model checking") {
        suspendingModelChecking(threads = 2, actorsPerThread = 3).check(SpscChanOps::class)
    }

    test("SpscChan is linearizable under stress") {
        stressChecking(threads = 2, actorsPerThread = 4).check(SpscChanOps::class)
    }
})
