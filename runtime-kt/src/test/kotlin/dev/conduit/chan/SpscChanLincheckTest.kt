package dev.conduit.chan

import dev.conduit.lincheckTests
import dev.conduit.outcome
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
    fun trySend(@Param(name = "value") v: Int): String = outcome { ch.trySend(v) }

    @Operation(nonParallelGroup = "producer")
    suspend fun send(@Param(name = "value") v: Int): String = outcome { ch.send(v) }

    @Operation(nonParallelGroup = "producer")
    fun close(): String = outcome { ch.close() }

    @Operation(nonParallelGroup = "consumer")
    fun tryReceive(): String = ch.tryReceive().toString()

    @Operation(nonParallelGroup = "consumer")
    suspend fun receiveOk(): String = ch.receiveOk().toString()
}

class SpscChanLincheckTest : FunSpec({
    lincheckTests(SpscChanOps::class, suspendingModelChecking(threads = 2, actorsPerThread = 3), stressChecking(threads = 2, actorsPerThread = 4))
})
