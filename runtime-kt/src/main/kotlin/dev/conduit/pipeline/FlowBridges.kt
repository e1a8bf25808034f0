package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * This channel as a cold [Flow]: each collection receives from the channel until it closes, so
 * the items are shared between collectors, never repeated (a channel is consumed, not
 * replayed). Cancelling the collector stops receiving and takes nothing more. Never blocks;
 * collecting suspends.
 */
public fun <T> ReceiveChan<T>.asFlow(): Flow<T> = flow { for (item in this@asFlow) emit(item) }

/**
 * Collects this flow in a new coroutine of [scope] into a channel of [capacity], closing it
 * when the flow completes. The collector suspends while the channel is full (backpressure
 * reaches the flow) and stops when [scope] is cancelled; a flow that throws fails [scope].
 * Never blocks.
 *
 * @throws IllegalArgumentException if [capacity] is negative.
 */
public fun <T> Flow<T>.toChan(scope: CoroutineScope, capacity: Int = 0): ReceiveChan<T> =
    scope.generate(capacity) { collect { send(it) } }
