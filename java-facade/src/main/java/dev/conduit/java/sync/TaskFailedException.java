package dev.conduit.java.sync;

/**
 * An unchecked exception carrying the checked exception that a Java task or computation threw,
 * as its {@link #getCause() cause}, where the method reporting it cannot declare every checked
 * exception: {@link ErrGroup#await()} (fail-fast mode: the first failure) and
 * {@link OnceValue#get()} (the computation's failure, on every call). Unchecked exceptions and
 * errors are never wrapped: they are rethrown as they are.
 *
 * <pre>{@code
 * try {
 *     group.await();
 * } catch (TaskFailedException e) {
 *     if (e.getCause() instanceof IOException io) retryLater(io);
 * }
 * }</pre>
 */
public final class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Wraps {@code cause}, the checked exception that {@code what} (a task's name) threw. */
    TaskFailedException(String what, Throwable cause) {
        super(what + " failed: " + cause, cause);
    }

    /** {@code e} as an unchecked exception: itself if it is one, else wrapped as {@code what}'s failure. */
    static RuntimeException unchecked(String what, Exception e) {
        return e instanceof RuntimeException ? (RuntimeException) e : new TaskFailedException(what, e);
    }
}
