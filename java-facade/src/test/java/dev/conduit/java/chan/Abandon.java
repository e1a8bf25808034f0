package dev.conduit.java.chan;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One way to abandon a pending operation's future other than by the operation: cancelling it,
 * completing it from outside, timing it out, or doing one of those to a stage derived from it.
 * For the withdrawal tests of channels, select and locks.
 *
 * @param name what the row does, for the test report
 * @param how abandons the future it is given and returns the stage that ends because of it
 */
public record Abandon(String name, Function<CompletableFuture<Object>, CompletionStage<?>> how) {
    /** Every way, one row each. */
    public static List<Abandon> all() {
        return List.of(
                new Abandon("cancel", f -> {
                    f.cancel(true);
                    return f;
                }),
                new Abandon("complete from outside", f -> {
                    f.complete("outside");
                    return f;
                }),
                new Abandon("completeExceptionally from outside", f -> {
                    f.completeExceptionally(new IllegalStateException("outside"));
                    return f;
                }),
                new Abandon("orTimeout", f -> f.orTimeout(1, TimeUnit.MILLISECONDS)),
                new Abandon("completeOnTimeout", f -> f.completeOnTimeout("late", 1, TimeUnit.MILLISECONDS)),
                new Abandon("completeAsync", f -> f.completeAsync(() -> "async")),
                new Abandon("cancel a dependent", f -> {
                    CompletableFuture<Object> d = f.thenApply(v -> v);
                    d.cancel(true);
                    return d;
                }),
                new Abandon("orTimeout on a dependent", f -> f.thenApply(v -> v).orTimeout(1, TimeUnit.MILLISECONDS)),
                new Abandon("complete a dependent of a dependent", f -> {
                    CompletableFuture<Object> d = f.thenApply(v -> v).thenApply(v -> v);
                    d.complete("outside");
                    return d;
                }),
                new Abandon("cancel a copy", f -> {
                    CompletableFuture<Object> d = f.copy();
                    d.cancel(false);
                    return d;
                }));
    }

    /** Abandons [f] this way and waits (bounded) until the stage that ends because of it has ended. */
    @SuppressWarnings("unchecked")
    public void abandonAndAwait(CompletableFuture<?> f) throws Exception {
        how.apply((CompletableFuture<Object>) f).handle((v, e) -> null).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return name;
    }
}
