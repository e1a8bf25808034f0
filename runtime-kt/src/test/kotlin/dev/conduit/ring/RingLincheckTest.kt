package dev.conduit.ring

import dev.conduit.plainModelChecking
import dev.conduit.lincheckTests
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param

/**
 * Each ring against itself run sequentially (a bounded FIFO queue), with its thread constraints:
 * producer operations in one non-parallel group where only one producer is allowed, consumer
 * operations likewise. `size`/`isEmpty` are left out: like JCTools', they are exact only at rest.
 * So are `drain`/`fill`: they are not atomic (a sequence of polls or offers, which may stop
 * early while others run), so they cannot be checked against an atomic sequential spec; the
 * contract test's stress runs cover them.
 */
@Param(name = "value", gen = IntGen::class, conf = "1:9")
abstract class RingOps(private val ring: RingBuffer<Int>) {
    protected fun offerOp(value: Int): Boolean = ring.offer(value)

    protected fun pollOp(): Int? = ring.poll()

    protected fun peekOp(): Int? = ring.peek()
}

class SpscRingOps : RingOps(SpscRing(4)) {
    @Operation(nonParallelGroup = "producer")
    fun offer(@Param(name = "value") v: Int) = offerOp(v)

    @Operation(nonParallelGroup = "consumer")
    fun poll() = pollOp()

    @Operation(nonParallelGroup = "consumer")
    fun peek() = peekOp()
}

class MpscRingOps : RingOps(MpscRing(4)) {
    @Operation
    fun offer(@Param(name = "value") v: Int) = offerOp(v)

    @Operation(nonParallelGroup = "consumer")
    fun poll() = pollOp()

    @Operation(nonParallelGroup = "consumer")
    fun peek() = peekOp()
}

class MpmcRingOps : RingOps(MpmcRing(4)) {
    @Operation
    fun offer(@Param(name = "value") v: Int) = offerOp(v)

    @Operation
    fun poll() = pollOp()

    @Operation
    fun peek() = peekOp()
}

class RingLincheckTest : FunSpec({
    for (ops in listOf(SpscRingOps::class, MpscRingOps::class, MpmcRingOps::class)) {
        lincheckTests(ops, plainModelChecking(actorsPerThread = 3))
    }
})
