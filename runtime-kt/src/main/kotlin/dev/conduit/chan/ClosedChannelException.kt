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
public class ClosedChannelException(message: String) : IllegalStateException(message)

internal fun sendOnClosed(): ClosedChannelException = ClosedChannelException("send on closed channel")

internal fun receiveOnClosed(): ClosedChannelException = ClosedChannelException("receive from closed channel")
