package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.chan.Received;
import dev.conduit.context.ContextCanceledException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A channel future that ends other than by its operation (cancelled, completed from outside, timed
 * out with {@code orTimeout}/{@code completeOnTimeout}, or through a dependent stage) withdraws
 * the operation: an abandoned receive takes no later value, an abandoned send sends nothing.
 * Each row abandons a pending future one way, waits for the abandoning stage to end (bounded),
 * then checks the channel as if the operation had never been asked for.
 */
@Timeout(60)
class AsyncWithdrawTest {
    private static final Duration TICK = Duration.ofMillis(1);

    static Stream<Abandon> rows() {
        return Abandon.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedReceiveTakesNoLaterValue(Abandon abandon) throws Exception {
        Channel<String> ch = Channel.create(1);
        CompletableFuture<String> r = ch.receiveAsync();
        assertFalse(r.isDone(), "nothing to receive yet");
        abandon.abandonAndAwait(r);
        assertTrue(ch.trySend("v"), "the buffer has room");
        assertEquals(Optional.of("v"), ch.tryReceive(), "the abandoned receive must not have taken the value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedReceiveOkTakesNoLaterValue(Abandon abandon) throws Exception {
        Channel<String> ch = Channel.create(1);
        CompletableFuture<Received<String>> r = ch.receiveOkAsync();
        abandon.abandonAndAwait(r);
        assertTrue(ch.trySend("v"));
        assertEquals(Optional.of("v"), ch.tryReceive(), "the abandoned receiveOk must not have taken the value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedSpscReceiveTakesNoLaterValue(Abandon abandon) throws Exception {
        Channel<String> ch = Channel.spsc(2);
        CompletableFuture<String> r = ch.receiveAsync();
        abandon.abandonAndAwait(r);
        assertTrue(ch.trySend("v"));
        assertEquals(Optional.of("v"), ch.tryReceive(), "the abandoned receive must not have taken the value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedShardedReceiveTakesNoLaterValue(Abandon abandon) throws Exception {
        ShardedChannel<String> ch = ShardedChannel.create(2, 1);
        CompletableFuture<String> r = ch.receiveAsync();
        abandon.abandonAndAwait(r);
        assertTrue(ch.trySend("v", "k"));
        assertEquals(Optional.of("v"), ch.tryReceive(), "the abandoned receive must not have taken the value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedSendSendsNothing(Abandon abandon) throws Exception {
        Channel<String> ch = Channel.create();
        CompletableFuture<Void> s = ch.sendAsync("a");
        assertFalse(s.isDone(), "no receiver yet");
        abandon.abandonAndAwait(s);
        assertEquals(Optional.empty(), ch.tryReceive(), "the abandoned send must not deliver its value");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anAbandonedSelectRunsNoCase(Abandon abandon) throws Exception {
        Channel<String> ch = Channel.create(1);
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Integer> sel = Select.create().onReceive(ch, v -> ran.set(true)).runAsync();
        abandon.abandonAndAwait(sel);
        assertTrue(ch.trySend("v"));
        assertEquals(Optional.of("v"), ch.tryReceive(), "the abandoned select must not have taken the value");
        assertFalse(ran.get(), "no case of an abandoned select runs");
    }

    @Test
    void anOperationThatWonKeepsItsResultAgainstOutsideCompletion() throws Exception {
        Channel<String> ch = Channel.create();
        CompletableFuture<String> r = ch.receiveAsync();
        CompletableFuture<String> d = r.thenApply(v -> v + "!");
        assertTrue(ch.trySend("v"), "the receiver is waiting");
        assertEquals("v", r.get(10, TimeUnit.SECONDS));
        assertFalse(r.complete("outside"), "a completed receive keeps its value");
        assertEquals("v!", d.get(10, TimeUnit.SECONDS));
    }

    @Test
    void obtrudingAPendingOperationIsRefused() throws Exception {
        Channel<String> ch = Channel.create(1);
        CompletableFuture<String> r = ch.receiveAsync();
        assertThrows(UnsupportedOperationException.class, () -> r.obtrudeValue("x"));
        assertThrows(UnsupportedOperationException.class, () -> r.obtrudeException(new IllegalStateException()));
        assertTrue(ch.trySend("v"));
        assertEquals("v", r.get(10, TimeUnit.SECONDS), "the receive is still pending after a refused obtrude");
    }

    @Test
    void cancellingADependentFailsTheOperationsOtherStages() throws Exception {
        Channel<String> ch = Channel.create(1);
        CompletableFuture<String> r = ch.receiveAsync();
        CompletableFuture<String> other = r.thenApply(v -> v);
        assertTrue(r.thenApply(v -> v).cancel(true));
        assertTrue(r.isCancelled(), "the withdrawn operation's own future is cancelled");
        ExecutionException e = assertThrows(ExecutionException.class, () -> other.get(10, TimeUnit.SECONDS));
        assertInstanceOf(CancellationException.class, e.getCause());
    }

    // ---- the timed and context forms ----------------------------------------------------------

    @Test
    void receiveAsyncWithATimeoutFailsAndWithdraws() throws Exception {
        Channel<String> ch = Channel.create(1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> ch.receiveAsync(TICK).get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(ch.trySend("v"));
        assertEquals(Optional.of("v"), ch.tryReceive(), "the timed-out receive took nothing");
    }

    @Test
    void receiveAsyncWithATimeoutReceives() throws Exception {
        Channel<String> ch = Channel.create(1);
        CompletableFuture<String> r = ch.receiveAsync(Duration.ofDays(1));
        assertTrue(ch.trySend("v"));
        assertEquals("v", r.get(10, TimeUnit.SECONDS));
        assertTrue(ch.trySend("w"));
        assertEquals("w", ch.receiveAsync(Duration.ZERO).get(10, TimeUnit.SECONDS), "a ready value with no time to wait");
        ExecutionException e = assertThrows(ExecutionException.class, () -> ch.receiveAsync(Duration.ofSeconds(-1)).get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause(), "a negative timeout waits not at all");
    }

    @Test
    void receiveAsyncWithAContextFailsWithItsErrorAndWithdraws() throws Exception {
        Channel<String> ch = Channel.create(1);
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<String> r = ch.receiveAsync(ctx);
        assertFalse(r.isDone());
        ctx.cancel();
        ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ContextCanceledException.class, e.getCause());
        assertTrue(ch.trySend("v"));
        assertEquals(Optional.of("v"), ch.tryReceive(), "the receive ended by its context took nothing");
        assertInstanceOf(ContextCanceledException.class,
                assertThrows(ExecutionException.class, () -> ch.receiveAsync(ctx).get(10, TimeUnit.SECONDS)).getCause(),
                "a done context fails at once");
    }

    @Test
    void receiveAsyncWithAContextReceives() throws Exception {
        Channel<String> ch = Channel.create(1);
        CompletableFuture<String> r = ch.receiveAsync(Context.background().withCancel());
        assertTrue(ch.trySend("v"));
        assertEquals("v", r.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shardedReceiveAsyncWithATimeoutFailsAndWithdraws() throws Exception {
        ShardedChannel<String> ch = ShardedChannel.create(2, 1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> ch.receiveAsync(TICK).get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<String> r = ch.receiveAsync(ctx);
        ctx.cancel();
        assertInstanceOf(ContextCanceledException.class, assertThrows(ExecutionException.class, () -> r.get(10, TimeUnit.SECONDS)).getCause());
        assertTrue(ch.trySend("v", "k"));
        assertEquals(Optional.of("v"), ch.tryReceive(), "neither ended receive took anything");
    }

    @Test
    void sendAsyncWithATimeoutFailsAndWithdraws() throws Exception {
        Channel<String> ch = Channel.create();
        ExecutionException e = assertThrows(ExecutionException.class, () -> ch.sendAsync("a", TICK).get(10, TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(Optional.empty(), ch.tryReceive(), "the timed-out send sent nothing");
        CompletableFuture<Void> s = ch.sendAsync("b", Duration.ofDays(1));
        assertEquals("b", ch.receive());
        s.get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendAsyncWithAContextFailsWithItsErrorAndWithdraws() throws Exception {
        Channel<String> ch = Channel.create();
        CancelContext ctx = Context.background().withCancel();
        CompletableFuture<Void> s = ch.sendAsync(ctx, "a");
        assertFalse(s.isDone());
        ctx.cancel();
        assertInstanceOf(ContextCanceledException.class, assertThrows(ExecutionException.class, () -> s.get(10, TimeUnit.SECONDS)).getCause());
        assertEquals(Optional.empty(), ch.tryReceive(), "the send ended by its context sent nothing");
        CompletableFuture<Void> sent = ch.sendAsync(Context.background(), "b");
        assertEquals("b", ch.receive());
        sent.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theNewFormsRefuseNullsAtTheCall() {
        Channel<String> ch = Channel.create(1);
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> ch.receiveAsync((Duration) null)).getMessage());
        assertEquals("ctx", assertThrows(NullPointerException.class, () -> ch.receiveAsync((Context) null)).getMessage());
        assertEquals("ctx", assertThrows(NullPointerException.class, () -> ch.sendAsync((Context) null, "v")).getMessage());
        assertEquals("value", assertThrows(NullPointerException.class, () -> ch.sendAsync(Context.background(), null)).getMessage());
        assertEquals("value", assertThrows(NullPointerException.class, () -> ch.sendAsync(null, TICK)).getMessage());
        assertEquals("timeout", assertThrows(NullPointerException.class, () -> ch.sendAsync("v", (Duration) null)).getMessage());
        assertEquals(0, ch.len(), "nothing was sent by a refused call");
    }
}
