package dev.conduit.java.sync;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
     * Joins {@code f}, which must be complete already: a future that failed at once rethrows
     * its failure here (a cancellation exception, such as a context's error, as it is).
     */
    public static void joinNow(CompletableFuture<?> f) {
        assertTrue(f.isDone(), "the future is complete at once: " + f);
        try {
            f.join();
        } catch (CompletionException e) {
            throw new AssertionError("expected a cancellation, the future failed with " + e.getCause(), e.getCause());
        }
    }

    /** A context that is cancelled already. */
    public static Context cancelled() {
        CancelContext ctx = Context.background().withCancel();
        ctx.cancel();
        return ctx;
    }
}
