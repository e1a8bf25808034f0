package dev.conduit.java.chan;

import dev.conduit.context.Context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.Received;
import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.java.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PriorityChannelTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private static List<String> drain(PriorityChannel<String> ch, int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) got.add(ch.receive());
        return got;
    }

    @Test
    void servesHighPriorityFirstAndFifoWithinAPriority() throws Exception {
        PriorityChannel<String> ch = PriorityChannel.create(3, 8, HOUR);
        ch.send("low", 0);
        ch.send("high", 2);
        ch.send("mid", 1);
        ch.send("high2", 2);
        ch.send("default"); // a Channel send: priority 0, after "low"
        assertEquals(List.of("high", "high2", "mid", "low", "default"), drain(ch, 5));
        assertEquals(3, ch.levels());
        assertEquals(HOUR, ch.agingStep());
        assertEquals(8, ch.cap());
    }

    @Test
    void everySendFormTakesAPriority() throws Exception {
        PriorityChannel<String> ch = PriorityChannel.create(4, 8, HOUR);
        ch.send("blocking", 0);
        ch.send("timed", 1, Duration.ofSeconds(10));
        ch.send(Context.background(), "context", 2);
        assertTrue(ch.trySend("try", 3));
        ch.sendAsync("async", 3).get(10, TimeUnit.SECONDS);
        assertEquals(5, ch.len());
        assertEquals(List.of("try", "async", "context", "timed", "blocking"), drain(ch, 5));
    }

    @Test
    void aFullChannelTimesOutRefusesTrySendAndCompletesAnAsyncSendWhenThereIsRoom() throws Exception {
        PriorityChannel<Integer> ch = PriorityChannel.create(2, 1, HOUR);
        ch.send(1, 0);
        assertEquals("send timed out after PT0.02S",
                assertThrows(TimeoutException.class, () -> ch.send(2, 1, Duration.ofMillis(20))).getMessage());
        assertThrows(TimeoutException.class, () -> ch.send(2, 1, Duration.ZERO));
        assertFalse(ch.trySend(2, 1));
        CompletableFuture<Void> pending = ch.sendAsync(3, 1);
        assertFalse(pending.isDone());
        assertEquals(1, ch.receive());
        pending.get(10, TimeUnit.SECONDS);
        assertEquals(3, ch.receive());
        assertNull(ch.tryReceiveOk(), "the timed-out and refused sends left nothing behind");
    }

    @Test
    void cancellingAnAsyncSendWithdrawsIt() throws Exception {
        PriorityChannel<Integer> ch = PriorityChannel.create(2, 1, HOUR);
        ch.send(1, 0);
        CompletableFuture<Void> withdrawn = ch.sendAsync(2, 1);
        assertTrue(withdrawn.cancel(true));
        assertEquals(1, ch.receive());
        assertNull(ch.tryReceiveOk(), "a withdrawn send sends nothing");
    }

    @Test
    void contextAndInterruptStopABlockedSendWithoutSending() throws Exception {
        PriorityChannel<Integer> ch = PriorityChannel.create(2, 1, HOUR);
        ch.send(1, 0);
        try (CancelContext cancelled = Context.background().withCancel()) {
            cancelled.cancel();
            assertThrows(ContextCanceledException.class, () -> ch.send(cancelled, 2, 1));
        }
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> ch.send(3, 1)));
        assertEquals(1, ch.receive());
        assertNull(ch.tryReceiveOk(), "neither the cancelled nor the interrupted send was delivered");
    }

    @Test
    void agingLetsAnOldLowPriorityValueWinInVirtualTime() throws Exception {
        ManualClock clock = new ManualClock();
        PriorityChannel<String> ch = PriorityChannel.create(3, 8, Duration.ofSeconds(1), clock);
        ch.send("old low", 0);
        clock.advance(Duration.ofSeconds(2)); // effective priority 0 + 2 = 2
        ch.send("new high", 2);
        assertEquals(List.of("old low", "new high"), drain(ch, 2), "equal effective priority: the older wins");
        ch.send("low", 0);
        clock.advance(Duration.ofMillis(1999)); // effective 1
        ch.send("high", 2);
        assertEquals(List.of("high", "low"), drain(ch, 2));
    }

    @SuppressWarnings("DataFlowIssue")
    @Test
    void nullElementsAreRefusedAtTheSend() {
        PriorityChannel<String> ch = PriorityChannel.create(3, 8, HOUR);
        List<org.junit.jupiter.api.function.Executable> sends = List.of(
                () -> ch.send(null, 0),
                () -> ch.send(null, 0, Duration.ofSeconds(1)),
                () -> ch.send(Context.background(), null, 0),
                () -> ch.trySend(null, 0),
                () -> ch.sendAsync(null, 0),
                () -> ch.send(null),
                () -> ch.trySend(null));
        for (var send : sends) assertEquals("value", assertThrows(NullPointerException.class, send).getMessage());
        assertEquals(0, ch.len(), "no null reached the buffer");
        assertNull(ch.tryReceiveOk());
    }

    @Test
    void closedChannelContract() throws Exception {
        PriorityChannel<String> ch = PriorityChannel.create(3, 8, HOUR);
        ch.send("kept", 1);
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.send("x", 1));
        assertThrows(ClosedChannelException.class, () -> ch.send("x", 1, Duration.ofSeconds(1)));
        assertThrows(ClosedChannelException.class, () -> ch.send(Context.background(), "x", 1));
        assertThrows(ClosedChannelException.class, () -> ch.trySend("x", 1));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> ch.sendAsync("x", 1).get(10, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, failed.getCause());
        assertEquals("close of closed channel", assertThrows(IllegalStateException.class, ch::close).getMessage());
        assertEquals("kept", ch.receive());
        assertSame(Received.closed(), ch.tryReceiveOk());
        assertFalse(ch.receiveOk().isOk());
        assertThrows(ClosedChannelException.class, ch::receive);
    }

    @Test
    void aSenderWaitingWhenTheChannelClosesFails() throws Exception {
        PriorityChannel<Integer> ch = PriorityChannel.create(2, 1, HOUR);
        ch.send(1, 0);
        Interrupting.Call sender = Interrupting.blocked(() -> ch.send(2, 1));
        ch.close();
        assertInstanceOf(ClosedChannelException.class, sender.result());
        assertEquals(1, ch.receive());
    }

    @Test
    void wrapAndUnwrapAreTheSameChannelAndItWorksInSelect() throws Exception {
        PriorityChannel<String> ch = PriorityChannel.create(2, 4, HOUR);
        dev.conduit.chan.PriorityChannel<String> core = ch.unwrap();
        assertSame(core, ch.unwrap());
        PriorityChannel<String> again = PriorityChannel.wrap(core);
        assertSame(core, again.unwrap());
        again.send("through the other view", 1);
        assertEquals(1, core.getLen());
        List<String> got = new ArrayList<>();
        assertEquals(0, Select.create().onReceive(ch, got::add).orElse(() -> {}).run());
        assertEquals(List.of("through the other view"), got);
        Channel<String> plain = Channel.wrap(core); // a plain view of the same channel: default priority
        plain.send("plain");
        assertEquals("plain", ch.receive());
    }
}
