package dev.conduit.net

/**
 * A node refused a request, or could not be reached: [code] is the gRPC status name the node
 * answered with (`UNAUTHENTICATED`, `RESOURCE_EXHAUSTED`, `INVALID_ARGUMENT`,
 * `FAILED_PRECONDITION`, ...) or `UNAVAILABLE` when no node answered.
 */
public class RemoteChannelException(
    /** The gRPC status name. */
    public val code: String,
    message: String,
    cause: Throwable? = null,
) : RuntimeException("$code: $message", cause)
