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
import dev.conduit.chan.ShardedChan;
import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextCanceledException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ShardedChannelTest {
    @Test
    void keyedAndKeylessSendsArriveFromAnyLane() throws Exception {
        ShardedChannel<String> ch = ShardedChannel.create(4, 8);
        ch.send("x", "key");
        ch.send("y");
        Set<String> got = new HashSet<>(List.of(ch.receive(), ch.receive()));
        assertEquals(Set.of("x", "y"), got);
        assertEquals(4, ch.lanes());
        assertEquals(32, ch.cap());
        ch.close();
        assertFalse(ch.receiveOk().isOk());
        assertSame(Received.closed(), ch.tryReceiveOk());
    }

    @Test
    void oneKeysValuesKeepTheirOrder() throws Exception {
        ShardedChannel<Integer> ch = ShardedChannel.create(4, 64);
        for (int i = 0; i < 50; i++) ch.send(i, "account-1");
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 50; i++) got.add(ch.receive());
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) expected.add(i);
        assertEquals(expected, got);
    }

    @Test
    void everyKeyedSendFormOnAFullLane() throws Exception {
        ShardedChannel<Integer> ch = ShardedChannel.create(4, 1);
        ch.send(1, "k");
        assertEquals("send timed out after PT0.02S",
                assertThrows(TimeoutException.class, () -> ch.send(2, "k", Duration.ofMillis(20))).getMessage());
        assertFalse(ch.trySend(2, "k"), "the lane of k is full");
        try (CancelContext cancelled = Context.background().withCancel()) {
            cancelled.cancel();
            assertThrows(ContextCanceledException.class, () -> ch.send(cancelled, 2, "k"));
        }
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> ch.send(3, "k")));
        CompletableFuture<Void> withdrawn = ch.sendAsync(4, "k");
        assertTrue(withdrawn.cancel(true));
        CompletableFuture<Void> pending = ch.sendAsync(5, "k");
        assertFalse(pending.isDone());
        assertEquals(1, ch.receive());
        pending.get(10, TimeUnit.SECONDS);
        assertEquals(5, ch.receive(Duration.ofSeconds(10)));
        assertNull(ch.tryReceiveOk(), "no timed-out, cancelled, interrupted or withdrawn send was delivered");
        ch.send(6, "k", Duration.ofSeconds(10));
        assertEquals(6, ch.receive());
        ch.send(Context.background(), 7, "k");
        assertEquals(7, ch.receive());
        assertTrue(ch.trySend(8, "k"));
        assertEquals(8, ch.receive());
    }

    @SuppressWarnings("DataFlowIssue")
    @Test
    void nullElementsAndKeysAreRefusedAtTheSend() {
        ShardedChannel<String> ch = ShardedChannel.create(4, 8);
        List<org.junit.jupiter.api.function.Executable> nullValues = List.of(
                () -> ch.send(null),
                () -> ch.send((String) null, "k"),
                () -> ch.send((String) null, "k", Duration.ofSeconds(1)),
                () -> ch.send(Context.background(), null, "k"),
                () -> ch.trySend(null, "k"),
                () -> ch.sendAsync((String) null, "k"),
                () -> ch.trySend(null));
        for (var send : nullValues) assertEquals("value", assertThrows(NullPointerException.class, send).getMessage());
        List<org.junit.jupiter.api.function.Executable> nullKeys = List.of(
                () -> ch.send("v", (Object) null),
                () -> ch.send("v", null, Duration.ofSeconds(1)),
                () -> ch.send(Context.background(), "v", null),
                () -> ch.trySend("v", null),
                () -> ch.sendAsync("v", (Object) null));
        for (var send : nullKeys) assertEquals("key", assertThrows(NullPointerException.class, send).getMessage());
        assertEquals(0, ch.len(), "nothing reached a lane");
        assertNull(ch.tryReceiveOk());
    }

    @Test
    void closedChannelContract() throws Exception {
        ShardedChannel<String> ch = ShardedChannel.create(2, 4);
        ch.send("kept", "a");
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.send("x", "a"));
        assertThrows(ClosedChannelException.class, () -> ch.send("x", "a", Duration.ofSeconds(1)));
        assertThrows(ClosedChannelException.class, () -> ch.send(Context.background(), "x", "a"));
        assertThrows(ClosedChannelException.class, () -> ch.trySend("x", "a"));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> ch.sendAsync("x", "a").get(10, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, failed.getCause());
        assertEquals("close of closed channel", assertThrows(IllegalStateException.class, ch::close).getMessage());
        assertEquals("kept", ch.receive());
        assertThrows(ClosedChannelException.class, ch::receive);
    }

    @Test
    void wrapAndUnwrapAreTheSameChannelAndOneSelectCaseCoversEveryLane() throws Exception {
        ShardedChan<String> core = new ShardedChan<>(4, 2);
        ShardedChannel<String> ch = ShardedChannel.wrap(core);
        assertSame(core, ch.unwrap());
        assertSame(core, ShardedChannel.wrap(core).unwrap());
        core.sendBlocking("from the core", "k", null);
        List<String> got = new ArrayList<>();
        assertEquals(0, Select.create().onReceive(ch, got::add).run());
        assertEquals(List.of("from the core"), got);
    }
}
