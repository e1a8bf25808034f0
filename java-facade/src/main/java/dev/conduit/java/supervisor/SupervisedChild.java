package dev.conduit.java.supervisor;

import dev.conduit.context.Context;

/**
 * What a {@link Supervisor} runs, watches and restarts, for Java: a long-running service whose
 * {@link #run} blocks. Each run, health check and shutdown call is made on a goroutine thread of
 * its own (virtual on JDK 21+, as {@link dev.conduit.java.Go#go} does), never on the caller's.
 *
 * <p>How a child ends: {@link #run} returning is a normal exit, throwing a failure; which of the
 * two restart it is its {@link dev.conduit.supervisor.RestartType}. When the supervisor stops the
 * child, it cancels {@code run}'s context (blocking Conduit calls given it end with its error,
 * and {@code ctx.getDone()} fires) and calls {@link #shutdown}; after the child's shutdown
 * timeout it interrupts the thread (so {@code Thread.sleep} and other JDK blocking calls end
 * with {@link InterruptedException}); a child that ignores that too for as long again is
 * abandoned, still running, and reported ({@link dev.conduit.supervisor.SupervisorEvent.ChildAbandoned}).
 *
 * <pre>{@code
 * SupervisedChild poller = ctx -> {
 *     while (ctx.getErr() == null) poll(ctx);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface SupervisedChild {
    /**
     * Does the child's work until {@code ctx} is done or the work ends. Blocks. Runs again, from
     * the start, on each restart.
     *
     * @param ctx cancelled when the supervisor stops this child; it has the values and clock of
     *     the supervisor's context, not its cancellation (children stop one by one, in reverse order)
     * @throws Exception anything: a failure, restarted unless the child is temporary; an
     *     {@code InterruptedException} after the supervisor interrupted it is its stop
     */
    void run(Context ctx) throws Exception;

    /**
     * Whether the child is healthy, polled at the child's health interval while it runs:
     * {@code false}, a throw, or no answer within that interval (its thread is then interrupted)
     * stops it and counts as a failure. The default is always healthy. Blocks.
     *
     * @return whether the child is healthy
     * @throws Exception for unhealthy, with the reason
     */
    default boolean health() throws Exception {
        return true;
    }

    /**
     * Asked to stop when the supervisor stops this child: release what {@link #run} holds. Runs
     * concurrently with {@code run}, whose context is cancelled at the same moment; {@code ctx}
     * ends at the child's shutdown timeout. The default does nothing. Blocks.
     *
     * @param ctx ends at the shutdown timeout
     * @throws Exception reported in {@link dev.conduit.supervisor.SupervisorEvent.ChildStopped#getShutdownError()}
     */
    default void shutdown(Context ctx) throws Exception {}
}
