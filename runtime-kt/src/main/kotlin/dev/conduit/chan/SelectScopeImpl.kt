package dev.conduit.chan

import dev.conduit.chan.ClosedChannelException.Companion.sendOnClosed
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.Selection
import kotlin.time.Duration

/**
 * Collects the cases of one [select] into a [Selection] (Go's `selectgo`, shared with the Java
 * facade) and runs the chosen case's block.
 */
internal class SelectScopeImpl<R>(biased: Boolean) : SelectScope<R> {
    private val selection = Selection(biased)

    /** Per case index: what kind of block, and the block. */
    private var modes = ByteArray(4)
    private var blocks = arrayOfNulls<Any?>(4)

    private var default: (suspend () -> R)? = null
    private var timeoutNanos = Long.MAX_VALUE
    private var timeoutBlock: (suspend () -> R)? = null

    /** Cases on channels other than nil ones; the last of them, for a select of one live case. */
    private var channelCases = 0
    private var lastChannel: ChannelSource? = null
    private var lastCase = -1
    private var lastValue: Any? = null

    override fun <T> ReceiveChan<T>.onReceive(enabled: Boolean, block: suspend (T) -> R) {
        if (enabled) addChannel(selection.receive(this), RECEIVE, block, this, null)
    }

    override fun <T> ReceiveChan<T>.onReceiveOk(enabled: Boolean, block: suspend (Received<T>) -> R) {
        if (enabled) addChannel(selection.receive(this), RECEIVE_OK, block, this, null)
    }

    override fun <T> SendChan<T>.onSend(value: T, enabled: Boolean, block: suspend () -> R) {
        if (enabled) addChannel(selection.send(this, value), SEND, block, this, value)
    }

    override fun onTimeout(timeout: Duration, block: suspend () -> R) {
        if (!timeout.isPositive()) {
            put(selection.ready(), READY, block)
        } else if (timeout.inWholeNanoseconds < timeoutNanos) {
            timeoutNanos = timeout.inWholeNanoseconds
            timeoutBlock = block
        }
    }

    override fun default(block: suspend () -> R) {
        require(default == null) { "a select may have only one default case" }
        default = block
    }

    private fun addChannel(index: Int, mode: Byte, block: Any, channel: Any, value: Any?) {
        put(index, mode, block)
        if (channel !== NilChan) {
            channelCases++
            lastChannel = channel as? ChannelSource
            lastCase = index
            lastValue = value
        }
    }

    private fun put(index: Int, mode: Byte, block: Any) {
        if (index == modes.size) {
            modes = modes.copyOf(index * 2)
            blocks = blocks.copyOf(index * 2)
        }
        modes[index] = mode
        blocks[index] = block
    }

    suspend fun run(): R {
        val chosen: Int
        val result: Any?
        if (channelCases == 1 && selection.size == 1 && default == null && timeoutBlock == null && lastChannel != null) {
            // One case that can fire: a plain channel operation does the same, as Go compiles it.
            val ch = lastChannel!!
            chosen = lastCase
            result = if (modes[chosen] == SEND) ch.sendOrClosed(lastValue) else ch.receiveOrClosed()
        } else {
            chosen = selection.select(default != null, timeoutNanos)
            result = selection.result
        }
        return when (chosen) {
            Selection.DEFAULT -> default!!()
            Selection.TIMED_OUT -> timeoutBlock!!()
            else -> runCase(chosen, result)
        }
    }

    @Suppress("UNCHECKED_CAST")
    private suspend fun runCase(index: Int, result: Any?): R = when (modes[index]) {
        RECEIVE -> (blocks[index] as suspend (Any?) -> R)(valueOrThrow(result))
        RECEIVE_OK -> (blocks[index] as suspend (Received<Any?>) -> R)(received(result))
        SEND -> {
            if (result === Poll.CLOSED) throw sendOnClosed()
            (blocks[index] as suspend () -> R)()
        }
        else -> (blocks[index] as suspend () -> R)()
    }

    private companion object {
        const val RECEIVE: Byte = 1
        const val RECEIVE_OK: Byte = 2
        const val SEND: Byte = 3
        const val READY: Byte = 4
    }
}
