package dev.conduit.chan

/**
 * Thrown by an operation that a closed (or nil) channel does not allow: sending on a closed
 * channel, closing it twice, closing a nil channel, or [ReceiveChan.receive] on a channel that
 * is closed and drained. Go panics in the first three cases.
 */
public class ClosedChanException(message: String) : IllegalStateException(message)
