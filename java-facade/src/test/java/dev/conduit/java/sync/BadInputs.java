package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.function.Executable;

/**
 * The bad-input tables of the facade tests: each row is a call that must throw a given exception
 * at once, with a message containing a given fragment (the parameter's name, and its value for
 * numbers). {@link #check} reports every failing row, not only the first.
 */
public final class BadInputs {
    private BadInputs() {}

    /** One row: {@code call}, described by {@code what}, throws {@code type} naming {@code fragment}. */
    public record Row(String what, Class<? extends Throwable> type, String fragment, Executable call) {}

    /** A row for {@code call}, which must throw {@code type} with {@code fragment} in its message. */
    public static Row row(String what, Class<? extends Throwable> type, String fragment, Executable call) {
        return new Row(what, type, fragment, call);
    }

    /** Checks every row. */
    public static void check(Row... rows) {
        assertAll(Arrays.stream(rows).map(r -> () -> {
            Throwable e = assertThrows(r.type(), r.call(), r.what());
            String message = String.valueOf(e.getMessage());
            assertTrue(message.contains(r.fragment()),
                    r.what() + ": the message names '" + r.fragment() + "', but was: " + message);
        }));
    }

    /**
     * Calls {@code async} with a context cancelled already: the future it returns must have
     * failed at once with that context's error (see {@link #assertFailedWith}), which is then
     * rethrown here for the row to check.
     */
    public static void failsAtOnce(Function<Context, CompletableFuture<?>> async) {
        Context ctx = cancelled();
        CompletableFuture<?> f = async.apply(ctx);
        assertTrue(f.isDone(), "the future is complete at once: " + f);
        ContextException err = ctx.getErr();
        assertFailedWith(err, f);
        throw err;
    }

    /**
     * Asserts that {@code f} fails (within 10 seconds) with exactly {@code cause}, as a failed
     * future and not a cancelled one: {@code get()} throws {@link ExecutionException} and
     * {@code join()} {@link CompletionException}, both caused by {@code cause} itself.
     */
    public static void assertFailedWith(Throwable cause, CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertSame(cause, e.getCause(), "get() fails with the cause itself");
        assertSame(cause, assertThrows(CompletionException.class, f::join).getCause(), "join() fails with the cause itself");
        assertFalse(f.isCancelled(), "a failed future is not a cancelled one");
        assertTrue(f.isCompletedExceptionally());
    }

    /** A context that is cancelled already. */
    public static Context cancelled() {
        CancelContext ctx = Context.background().withCancel();
        ctx.cancel();
        return ctx;
    }
}
