package dev.conduit.chan

import dev.conduit.lincheckTests
import dev.conduit.outcome
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/**
 * A sharded channel with every producer on one key behaves as one FIFO channel: checked against
 * itself run sequentially, suspending sends and receives (a select over all lanes) included, the
 * keyed `trySend`, the atomic close of every lane and the one-snapshot `len`. (Across keys there
 * is no order to check.) The keyless `send`/`trySend` are not in the check: they send into the
 * calling thread's lane, and Lincheck's sequential run happens on another thread than the
 * concurrent one, so the two would use different lanes; they are the keyed forms with the
 * thread as the key (one `laneOf` lookup), which this check covers.
 */
@Param(name = "value", gen = IntGen::class, conf = "1:5")
class ShardedChanOps {
    private val ch = ShardedChan<Int>(lanes = 2, capacityPerLane = 1)

    @Operation
    suspend fun send(@Param(name = "value") v: Int): String = outcome { ch.send(v, key = KEY) }

    @Operation
    fun trySend(@Param(name = "value") v: Int): String = outcome { ch.trySend(v, key = KEY) }

    @Operation
    suspend fun receive(): String = ch.receiveOk().toString()

    @Operation
    fun close(): String = outcome { ch.close() }

    @Operation
    fun tryReceive(): String = ch.tryReceive().toString()

    @Operation
    fun len(): Int = ch.len

    private companion object {
        const val KEY = "k"
    }
}

class ShardedChanLincheckTest : FunSpec({
    lincheckTests(ShardedChanOps::class, suspendingModelChecking(), name = "one key of a sharded channel (a linearizable FIFO channel)")
})
