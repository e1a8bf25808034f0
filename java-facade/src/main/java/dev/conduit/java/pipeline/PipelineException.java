package dev.conduit.java.pipeline;

/**
 * A pipeline stage failed: thrown by {@link Pipeline#await()}, {@link Pipeline#await(java.time.Duration)}
 * and {@link Pipeline#close()} with the stage's own exception as its {@link #getCause() cause}
 * (checked or not), so those methods declare no {@code Exception}. An {@link Error} from a
 * stage is rethrown as it is, not wrapped.
 */
public final class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure of a stage, which threw {@code cause}. */
    PipelineException(Throwable cause) {
        super("a pipeline stage failed: " + cause, cause);
    }
}
