package dev.conduit.java.chan;

import dev.conduit.context.Context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.chan.ClosedChannelException;
import dev.conduit.context.CancelContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SelectTest {
    @Test
    @SuppressWarnings("DataFlowIssue")
    void nullArgumentsAreRefusedByName() {
        Channel<String> ch = Channel.create(1);
        assertEquals("channel",
                assertThrows(NullPointerException.class, () -> Select.create().onReceive(null, v -> {})).getMessage());
        assertEquals("handler",
                assertThrows(NullPointerException.class, () -> Select.create().onReceiveOk(ch, null)).getMessage());
        assertEquals("value",
                assertThrows(NullPointerException.class, () -> Select.create().onSend(ch, null, () -> {})).getMessage());
        assertEquals("ctx",
                assertThrows(NullPointerException.class, () -> Select.create().onDone(null, () -> {})).getMessage());
        assertEquals("timeout",
                assertThrows(NullPointerException.class, () -> Select.create().onTimeout(null, () -> {})).getMessage());
        assertEquals("handler",
                assertThrows(NullPointerException.class, () -> Select.create().orElse(null)).getMessage());
    }

    @Test
    void receivesFromTheReadyChannelAndReturnsItsIndex() throws Exception {
        Channel<String> a = Channel.create(1);
        Channel<String> b = Channel.create(1);
        b.send("from b");
        List<String> got = new ArrayList<>();
        int fired = Select.create()
                .onReceive(a, got::add)
                .onReceive(b, got::add)
                .run();
        assertEquals(1, fired);
        assertEquals(List.of("from b"), got);
    }

    @Test
    void orElseRunsWhenNothingIsReady() throws Exception {
        Channel<String> a = Channel.create();
        boolean[] fell = {false};
        int fired = Select.create().onReceive(a, v -> {}).orElse(() -> fell[0] = true).run();
        assertEquals(1, fired);
        assertTrue(fell[0]);
        assertThrows(IllegalStateException.class, () -> Select.create().orElse(() -> {}).orElse(() -> {}));
    }

    @Test
    void timeoutFiresWhenNothingArrives() throws Exception {
        Channel<String> a = Channel.create();
        int fired = Select.create().onReceive(a, v -> {}).onTimeout(Duration.ofMillis(20), () -> {}).run();
        assertEquals(1, fired);
    }

    @Test
    void sendCaseFiresForAWaitingReceiver() throws Exception {
        Channel<Integer> ch = Channel.create();
        CompletableFuture<Integer> receiver = ch.receiveAsync();
        boolean[] sent = {false};
        Select.create().onSend(ch, 3, () -> sent[0] = true).run();
        assertTrue(sent[0]);
        assertEquals(3, receiver.get(10, TimeUnit.SECONDS));
    }

    @Test
    void fairAmongReadyCasesAndBiasedOnRequest() throws Exception {
        Channel<Integer> a = Channel.create(1);
        Channel<Integer> b = Channel.create(1);
        int aWins = 0;
        for (int i = 0; i < 2_000; i++) {
            a.trySend(1);
            b.trySend(2);
            if (Select.create().onReceive(a, v -> {}).onReceive(b, v -> {}).run() == 0) aWins++;
            a.tryReceive();
            b.tryReceive();
        }
        // Uniform: 1,000 with sd 22; a first-case bias gives 2,000.
        assertTrue(aWins > 850 && aWins < 1150, "a won " + aWins + " of 2000");
        for (int i = 0; i < 100; i++) {
            a.trySend(1);
            b.trySend(2);
            assertEquals(0, Select.biased().onReceive(a, v -> {}).onReceive(b, v -> {}).run());
            b.tryReceive();
        }
    }

    @Test
    void runAsyncCompletesAndCancelWithdraws() throws Exception {
        Channel<Integer> ch = Channel.create();
        CompletableFuture<Integer> pending = Select.create().onReceive(ch, v -> {}).runAsync();
        assertTrue(pending.cancel(true));
        assertFalse(ch.trySend(1), "a cancelled select takes nothing");

        int[] seen = {0};
        CompletableFuture<Integer> live = Select.create().onReceive(ch, v -> seen[0] = v).runAsync();
        ch.send(42);
        assertEquals(0, live.get(10, TimeUnit.SECONDS));
        assertEquals(42, seen[0]);
    }

    @Test
    void interruptedRunThrowsAndTakesNothing() throws Exception {
        Channel<Integer> ch = Channel.create();
        assertInstanceOf(InterruptedException.class,
                Interrupting.interruptWhileBlocked(() -> Select.create().onReceive(ch, v -> {}).run()));
        assertFalse(ch.trySend(1));
    }

    @Test
    void aSelectWithNoCasesIsGosEmptySelectUntilInterruptedOrCancelled() throws Exception {
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> Select.create().run()),
                "select {} blocks until the thread is interrupted");
        CompletableFuture<Integer> never = Select.create().runAsync();
        assertFalse(never.isDone(), "nothing can ever fire");
        assertTrue(never.cancel(false), "cancelling it withdraws nothing and succeeds");
        assertTrue(never.isCancelled());
    }

    @Test
    void doneCaseAndClosedChannels() throws Exception {
        CancelContext ctx = Context.background().withCancel();
        Channel<Integer> work = Channel.create();
        ctx.cancel();
        assertEquals(1, Select.create().onReceive(work, v -> {}).onDone(ctx, () -> {}).run());

        Channel<Integer> closed = Channel.create();
        closed.close();
        boolean[] ok = {true};
        Select.create().onReceiveOk(closed, r -> ok[0] = r.isOk()).run();
        assertFalse(ok[0]);
        assertThrows(ClosedChannelException.class, () -> Select.create().onReceive(closed, v -> {}).run());
        assertThrows(ClosedChannelException.class, () -> Select.create().onSend(closed, 1, () -> {}).run());
    }
}
