package dev.conduit.pipeline

import dev.conduit.Clock
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Chan
import dev.conduit.chan.select
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch
import kotlin.time.Duration

/**
 * Groups the items of [input] into lists of up to [size]: a batch is sent when it is full, or
 * when [maxWait] has passed since its first item arrived, whichever is first; a partial batch
 * is sent when [input] closes, then the output closes. Batches are sent with a plain (blocking)
 * send, so a slow consumer holds batching back and, through it, the producer: nothing is
 * buffered beyond one batch being built and [capacity] batches waiting. Stops when this scope
 * is cancelled. Never blocks.
 *
 * @param clock measures [maxWait]; a virtual clock in tests.
 * @throws IllegalArgumentException if [size] < 1, [maxWait] is not positive or [capacity] < 0.
 */
public fun <T> CoroutineScope.batch(
    input: ReceiveChan<T>,
    size: Int,
    maxWait: Duration,
    capacity: Int = 0,
    clock: Clock = Clock.system(),
): ReceiveChan<List<T>> {
    require(size >= 1) { "size must be >= 1, but was $size" }
    require(maxWait.isPositive()) { "maxWait must be > 0, but was $maxWait" }
    val out = Chan<List<T>>(capacity)
    // Each batch's timer sends the batch's number; a stale number from a batch already sent
    // (its timer raced the batch filling up) is ignored.
    val timeouts = Chan<Long>(Int.MAX_VALUE)
    launch {
        var number = 0L
        try {
            while (true) {
                val first = input.receiveOk()
                if (!first.ok) break
                val batch = ArrayList<T>(size)
                batch.add(first.value)
                val thisBatch = ++number
                val timer = clock.schedule(maxWait.inWholeNanoseconds) { timeouts.trySend(thisBatch) }
                var timedOut = false
                var inputClosed = false
                while (!timedOut && !inputClosed && batch.size < size) {
                    select {
                        input.onReceiveOk { if (it.ok) batch.add(it.value) else inputClosed = true }
                        timeouts.onReceive { timedOut = it == thisBatch }
                    }
                }
                timer.stop()
                out.send(batch)
                if (inputClosed) break
            }
        } finally {
            out.close()
        }
    }
    return out
}
