package dev.conduit.java.resilience;

import dev.conduit.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * The work a resilience decorator (circuit breaker, retry, bulkhead) runs for Java code: a call
 * that gets the context it runs under and may throw the checked exception {@code E}. The
 * decorators rethrow that very exception, so the caller's {@code catch (IOException e)} sees it
 * unwrapped, and Java infers {@code E} from the lambda ({@code RuntimeException} when it throws
 * no checked exception):
 *
 * <pre>{@code
 * String body = breaker.call(ctx, c -> http.get(url, c));   // throws IOException as http.get does
 * }</pre>
 *
 * @param <T> the call's result (null is a result)
 * @param <E> the checked exception the call may throw
 */
@FunctionalInterface
public interface CheckedCall<T extends @Nullable Object, E extends Exception> {
    /**
     * Does the work. Blocking calls in it should take {@code ctx}, whose end (a timeout, a
     * cancelled call) they then obey, or end with {@link InterruptedException} when the thread is
     * interrupted.
     *
     * @param ctx the context of this call: the caller's, or one the decorator derived from it
     * @return the result
     * @throws E the call's failure
     */
    T call(Context ctx) throws E;
}
