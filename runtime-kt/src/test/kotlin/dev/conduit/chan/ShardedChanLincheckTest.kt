package dev.conduit.chan

import dev.conduit.stressChecking
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/**
 * A sharded channel with every producer on one key behaves as one FIFO channel: checked against
 * itself run sequentially, suspending sends and receives (a select over all lanes) included, and
 * the atomic close of every lane. (Across keys there is no order to check.)
 */
@Param(name = "value", gen = IntGen::class, conf = "1:5")
class ShardedChanOps {
    private val ch = ShardedChan<Int>(lanes = 2, capacityPerLane = 1)

    @Operation
    suspend fun send(@Param(name = "value") v: Int): String =
        try {
            ch.send(v, key = "k")
            "sent"
        } catch (e: ClosedChannelException) {
            "closed"
        }

    @Operation
    suspend fun receive(): String = ch.receiveOk().toString()

    @Operation
    fun close(): String = try { ch.close(); "closed it" } catch (e: IllegalStateException) { e.message!! }

    @Operation
    fun tryReceive(): String = ch.tryReceive().toString()
}

class ShardedChanLincheckTest : FunSpec({
    test("one key of a sharded channel is a linearizable FIFO channel under model checking") {
        suspendingModelChecking().check(ShardedChanOps::class)
    }

    test("one key of a sharded channel is a linearizable FIFO channel under stress") {
        stressChecking().check(ShardedChanOps::class)
    }
})
