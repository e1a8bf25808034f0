package dev.conduit.chan

import dev.conduit.ManualClock
import dev.conduit.lincheckTests
import dev.conduit.outcome
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import kotlin.time.Duration.Companion.seconds

/**
 * The priority channel against itself run sequentially: with the clock standing still it is a
 * bounded priority queue (FIFO within a priority), suspending when full or empty. Every
 * operation is in the check: the try operations are linearizable (one locked state, as every
 * channel of the core), and suspended sends and receives are cancelled by Lincheck (the core
 * withdraws a waiter in kotlinx's cancellation handler).
 */
@Param(name = "priority", gen = IntGen::class, conf = "0:1")
@Param(name = "value", gen = IntGen::class, conf = "1:5")
class PriorityChannelOps {
    private val ch = PriorityChannel<Int>(levels = 2, capacity = 2, agingStep = 1.seconds, clock = ManualClock())

    @Operation
    suspend fun send(@Param(name = "value") value: Int, @Param(name = "priority") priority: Int): String =
        outcome { ch.send(value, priority) }

    @Operation
    fun trySend(@Param(name = "value") value: Int, @Param(name = "priority") priority: Int): String =
        outcome { ch.trySend(value, priority) }

    @Operation
    suspend fun receive(): String = outcome { ch.receive() }

    @Operation
    fun tryReceive(): String = ch.tryReceive().toString()

    @Operation
    fun close(): String = outcome { ch.close() }
}

class PriorityChannelLincheckTest : FunSpec({
    lincheckTests(PriorityChannelOps::class, suspendingModelChecking())
})
