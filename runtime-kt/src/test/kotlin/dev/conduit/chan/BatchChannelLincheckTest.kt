package dev.conduit.chan

import dev.conduit.ManualClock
import dev.conduit.lincheckSize
import dev.conduit.lincheckTests
import dev.conduit.outcome
import dev.conduit.suspendingModelChecking
import io.kotest.core.spec.style.FunSpec
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.scenario
import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration.Companion.hours

/** A dispatcher that never runs anything: the latency flusher never starts, so time plays no part. */
private object Never : CoroutineDispatcher() {
    override fun dispatch(context: CoroutineContext, block: Runnable) {}
}

/**
 * The batch channel against itself run sequentially: batches of two, room for one waiting
 * batch. Every operation is in the check, suspending ones cancelled by Lincheck: a send or a
 * flush cancelled while it waits for room must have changed nothing, and a batch once made
 * must reach a receiver whole.
 */
@Param(name = "value", gen = IntGen::class, conf = "1:4")
class BatchChannelOps {
    private val ch = BatchChannel<Int>(CoroutineScope(Never), batchSize = 2, maxLatency = 1.hours, capacity = 1, clock = ManualClock())

    @Operation
    suspend fun send(@Param(name = "value") value: Int): String = outcome { ch.send(value) }

    @Operation
    fun trySend(@Param(name = "value") value: Int): String = outcome { ch.trySend(value) }

    @Operation
    suspend fun flush(): String = outcome { ch.flush() }

    @Operation
    suspend fun receive(): String = outcome { ch.receiveList() }

    @Operation
    fun tryReceive(): String = ch.tryReceive()?.let { r -> if (r.ok) r.value.toList().also { r.value.recycle() }.toString() else "closed" } ?: "empty"

    @Operation
    fun close(): String = outcome { ch.close() }
}

class BatchChannelLincheckTest : FunSpec({
    lincheckTests(BatchChannelOps::class, suspendingModelChecking())

    // Found by the -Pstress run: a send that started a batch was accepted, then failed with
    // "closed" because the channel closed before it could wake the latency flusher.
    test("model checking: a send that starts a batch while the channel closes either fails or is delivered") {
        ModelCheckingOptions()
            .addCustomScenario(
                scenario {
                    parallel {
                        thread { actor(BatchChannelOps::trySend, 1) }
                        thread { actor(BatchChannelOps::close) }
                    }
                    post { actor(BatchChannelOps::tryReceive) }
                },
            )
            .iterations(0)
            .invocationsPerIteration(lincheckSize(600, 10_000))
            .minimizeFailedScenario(false)
            .check(BatchChannelOps::class)
    }
})
