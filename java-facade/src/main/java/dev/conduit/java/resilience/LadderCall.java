package dev.conduit.java.resilience;

import dev.conduit.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a {@link TimeoutLadder} run for Java code: it gets the context of this
 * attempt (the caller's, with the rung's timeout) and the attempt's number, counting from 1, and
 * may throw the checked exception {@code E}, which the ladder rethrows unwrapped.
 *
 * <pre>{@code
 * Quote q = ladder.run(ctx, (c, attempt) -> pricing.quote(sku, c));
 * }</pre>
 *
 * @param <T> the attempt's result (null is a result)
 * @param <E> the checked exception the attempt may throw
 */
@FunctionalInterface
public interface LadderCall<T extends @Nullable Object, E extends Exception> {
    /**
     * Does one attempt. Blocking calls in it should take {@code ctx}, which ends when the
     * attempt's timeout passes or it loses to another attempt, or end with
     * {@link InterruptedException} when the thread is interrupted (it is, then).
     *
     * @param ctx the context of this attempt
     * @param attempt the attempt's number, 1 for the first
     * @return the result
     * @throws E the attempt's failure
     */
    T call(Context ctx, int attempt) throws E;
}
