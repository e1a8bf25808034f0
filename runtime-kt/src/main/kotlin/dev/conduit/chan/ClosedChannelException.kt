package dev.conduit.chan

/**
 * Thrown by an operation that a closed channel cannot do: sending on a closed channel (Go
 * panics), including a send that was already waiting when the channel was closed, and
 * [ReceiveChan.receive] on a channel that is closed and drained. Use [ReceiveChan.receiveOk] to
 * see "closed" as a value instead.
 *
 * An [IllegalStateException], so Java callers need not declare it. (Not `java.nio`'s checked
 * exception of the same simple name.)
 */
public class ClosedChannelException(message: String) : IllegalStateException(message) {
    /** The two exceptions every channel kind (in this module or another) throws, with Go's messages. */
    public companion object {
        /** "send on closed channel": for a send on a closed channel. Never blocks. */
        @JvmStatic
        public fun sendOnClosed(): ClosedChannelException = ClosedChannelException("send on closed channel")

        /** "receive from closed channel": for a receive on a closed, drained channel. Never blocks. */
        @JvmStatic
        public fun receiveOnClosed(): ClosedChannelException = ClosedChannelException("receive from closed channel")
    }
}

private const val CLOSE_OF_CLOSED = "close of closed channel"

/** What `close` of an already closed channel throws, in every channel kind. */
internal fun closeOfClosed(): IllegalStateException = IllegalStateException(CLOSE_OF_CLOSED)

/** Whether [e] is what [closeOfClosed] throws. */
internal fun isCloseOfClosed(e: IllegalStateException): Boolean = e !is ClosedChannelException && e.message == CLOSE_OF_CLOSED
