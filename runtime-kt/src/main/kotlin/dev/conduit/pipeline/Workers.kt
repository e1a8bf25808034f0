package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Received
import dev.conduit.chan.Chan
import dev.conduit.chan.closeIfOpen
import dev.conduit.chan.select
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.util.concurrent.atomic.AtomicInteger

/**
 * Runs workers that take items from [jobs] and pass each to [work] until [jobs] closes: a fixed
 * [count] of them, or, with [scaling], a count that adapts (starting at [count]). Suspends until
 * every worker has ended.
 */
internal suspend fun <J> runWorkers(jobs: ReceiveChan<J>, count: Int, scaling: Scaling?, work: suspend (J) -> Unit) {
    if (scaling == null) {
        coroutineScope { repeat(count) { launch { for (job in jobs) work(job) } } }
    } else {
        ScalingWorkers(jobs, scaling, work).run(count)
    }
}

/** Workers under a [Scaling] policy, with the sampling loop that grows and shrinks them. */
private class ScalingWorkers<J>(
    private val jobs: ReceiveChan<J>,
    private val scaling: Scaling,
    private val work: suspend (J) -> Unit,
) {
    private val busy = AtomicInteger()
    private val retire = Chan<Unit>(0)
    private val inputClosed = Chan<Unit>(0)
    private var workers = 0

    suspend fun run(initial: Int) = coroutineScope {
        fun spawn() {
            workers++
            launch { workLoop() }
        }
        repeat(initial) { spawn() }
        var idleSamples = 0
        while (true) {
            val closed = select<Boolean> {
                inputClosed.onReceiveOk { true }
                onTimeout(scaling.interval) { false }
            }
            if (closed) break
            val backlog = jobs.len
            val busyNow = busy.get()
            val grow = when {
                workers >= scaling.max -> null
                backlog >= scaling.growAtBacklog -> ScalingEvent.Reason.BACKLOG
                busyNow >= workers -> ScalingEvent.Reason.SATURATED
                else -> null
            }
            if (grow != null) {
                idleSamples = 0
                spawn()
                report(workers - 1, grow, backlog, busyNow)
                continue
            }
            idleSamples = if (backlog == 0 && busyNow < workers) idleSamples + 1 else 0
            if (idleSamples >= scaling.idleSamples && workers > scaling.min && retire.trySend(Unit)) {
                idleSamples = 0
                workers--
                report(workers + 1, ScalingEvent.Reason.IDLE, backlog, busyNow)
            }
        }
    }

    private fun report(from: Int, reason: ScalingEvent.Reason, backlog: Int, busy: Int) {
        scaling.listener?.onScale(ScalingEvent(from, workers, reason, backlog, busy))
    }

    /** Takes items until the input closes or this worker is retired (only while idle). */
    private suspend fun workLoop() {
        while (true) {
            val next = select<Received<J>?> {
                jobs.onReceiveOk { it }
                retire.onReceive { null }
            } ?: return
            if (!next.ok) {
                inputClosed.closeIfOpen()
                return
            }
            busy.incrementAndGet()
            try {
                work(next.value)
            } finally {
                busy.decrementAndGet()
            }
        }
    }
}
