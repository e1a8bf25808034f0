package dev.conduit.chan

import dev.conduit.lincheckSize
import dev.conduit.lincheckTests
import dev.conduit.outcome
import dev.conduit.stressChecking
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/**
 * The channel core (`ChanImpl` and `Selection`, Go's `hchan` and `selectgo`) against itself run
 * sequentially: every operation of a channel `a`, plus selects over `a` and a second channel
 * `b` of the same capacity. Each operation returns its outcome as a string, so "closed" (a
 * [ClosedChannelException] or `close of closed channel`, by message) is checked too.
 *
 * - `trySend` and `tryReceive` run in parallel with everything (no non-parallel group): the
 *   core claims them linearizable, one locked snapshot each.
 * - Every suspending operation is cancellable by Lincheck (the `@Operation` default): the core
 *   withdraws a cancelled waiter inside kotlinx's cancellation handler, so Lincheck's check that
 *   a cancelled operation had no effect applies.
 * - Each suspending operation is one channel operation or one select, so it has one suspension
 *   point: Lincheck cancels an operation only at its first suspension and drops the resumption
 *   of a cancelled one, so a second suspension could hang a stress run even when correct.
 * - The selects are `biased` so that the sequential specification is deterministic (a random
 *   choice among ready cases would make the same history both right and wrong); the two
 *   two-channel selects list their channels in opposite orders, so both poll orders are run,
 *   and `selectSameChannel` has a receive and a send case on one channel (legal in Go).
 */
@Param(name = "value", gen = IntGen::class, conf = "1:4")
abstract class CoreOps(capacity: Int) {
    private val a: Chan<Int> = Chan(capacity)
    private val b: Chan<Int> = Chan(capacity)

    @Operation
    fun trySend(@Param(name = "value") v: Int): String = outcome { a.trySend(v) }

    @Operation
    fun tryReceive(): String = a.tryReceive().toString()

    @Operation
    suspend fun send(@Param(name = "value") v: Int): String = outcome { a.send(v) }

    @Operation
    suspend fun receiveOk(): String = a.receiveOk().toString()

    @Operation
    fun close(): String = outcome { a.close() }

    /** `select { case v, ok := <-a: ; case b <- v: }` */
    @Operation
    suspend fun selectReceiveASendB(@Param(name = "value") v: Int): String = outcome {
        select(biased = true) {
            a.onReceiveOk { "a: $it" }
            b.onSend(v) { "b <- $v" }
        }
    }

    /** `select { case v, ok := <-b: ; case a <- v: }`: the other channel polled first. */
    @Operation
    suspend fun selectReceiveBSendA(@Param(name = "value") v: Int): String = outcome {
        select(biased = true) {
            b.onReceiveOk { "b: $it" }
            a.onSend(v) { "a <- $v" }
        }
    }

    /** `select { case v, ok := <-a: ; case a <- v: }`: two cases on one channel. */
    @Operation
    suspend fun selectSameChannel(@Param(name = "value") v: Int): String = outcome {
        select(biased = true) {
            a.onReceiveOk { "a: $it" }
            a.onSend(v) { "a <- $v" }
        }
    }

    /** `select { case a <- v: ; case v, ok := <-b: ; default: }`: never suspends. */
    @Operation
    suspend fun selectOrDefault(@Param(name = "value") v: Int): String = outcome {
        select(biased = true) {
            a.onSend(v) { "a <- $v" }
            b.onReceiveOk { "b: $it" }
            default { "default" }
        }
    }
}

class RendezvousCoreOps : CoreOps(0)

class OneSlotCoreOps : CoreOps(1)

class FourSlotCoreOps : CoreOps(4)

class CoreLincheckTest : FunSpec({
    for (ops in listOf(RendezvousCoreOps::class, OneSlotCoreOps::class, FourSlotCoreOps::class)) {
        lincheckTests(
            ops,
            suspendingModelChecking().iterations(lincheckSize(9, 100)).invocationsPerIteration(lincheckSize(90, 5_000)),
            stressChecking().iterations(lincheckSize(14, 100)).invocationsPerIteration(lincheckSize(420, 5_000)),
        )
    }
})
