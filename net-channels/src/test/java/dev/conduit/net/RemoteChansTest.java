package dev.conduit.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.chan.ClosedChannelException;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.Select;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Remote channels from Java, through the facade, as a Java user writes it. */
@Timeout(30)
class RemoteChansTest {
    private static ChannelNode node;

    @BeforeAll
    static void start() {
        node = ChannelNode.start(NodeConfig.builder().token("java-token").build());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static RemoteClient connect() {
        return RemoteChans.connect(node.getAddress(), Credentials.token("java-token"));
    }

    @Test
    void blockingSendAndReceiveWithTimeouts() throws Exception {
        try (RemoteClient client = connect()) {
            Channel<String> ch = Channel.wrap(client.chan("java-blocking", 2, Codecs.utf8()));
            ch.send("one");
            ch.send("two", Duration.ofSeconds(5));
            assertEquals("one", ch.receive());
            assertEquals("two", ch.receive(Duration.ofSeconds(5)));
            assertThrows(TimeoutException.class, () -> ch.receive(Duration.ofMillis(50)));
            assertEquals(2, ch.cap());
            assertEquals(0, ch.len());
        }
    }

    @Test
    void anAbandonedAsyncReceiveWithdrawsOverTheWireAndSwallowsNothing() throws Exception {
        try (RemoteClient a = connect(); RemoteClient b = connect()) {
            Channel<String> out = Channel.wrap(a.chan("java-async", 1, Codecs.utf8()));
            Channel<String> in = Channel.wrap(b.chan("java-async", 1, Codecs.utf8()));
            CompletableFuture<String> abandoned = in.receiveAsync();
            assertTrue(abandoned.cancel(true));
            out.sendAsync("kept").get(5, TimeUnit.SECONDS);
            assertEquals("kept", in.receiveAsync().get(5, TimeUnit.SECONDS));
            assertEquals(0, node.channel("java-async").getLen());
        }
    }

    @Test
    void aSelectOverALocalAndARemoteChannel() throws Exception {
        try (RemoteClient client = RemoteChans.connectAsync(node.getAddress(), Credentials.token("java-token")).get(10, TimeUnit.SECONDS)) {
            Channel<String> remote = Channel.wrap(client.chan("java-select", 1, Codecs.utf8()));
            Channel<String> local = Channel.create(1);
            remote.send("from the node");
            AtomicReference<String> got = new AtomicReference<>();
            Select.create()
                .onReceive(local, got::set)
                .onReceive(remote, got::set)
                .run();
            assertEquals("from the node", got.get());
        }
    }

    @Test
    void closeReachesJavaReceiversAndBadInputIsNamed() throws Exception {
        try (RemoteClient client = connect()) {
            Channel<String> ch = Channel.wrap(client.chan("java-close", 1, Codecs.utf8()));
            ch.send("last");
            ch.close();
            assertThrows(ClosedChannelException.class, () -> ch.send("late"));
            assertEquals("last", ch.receive());
            assertFalse(ch.receiveOk().isOk());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.chan("x", -2, Codecs.utf8()));
            assertEquals("capacity must be >= 0, but was -2", e.getMessage());
            RemoteChannelException denied = assertThrows(RemoteChannelException.class,
                () -> RemoteChans.connect(node.getAddress(), Credentials.token("not-it")));
            assertEquals("UNAUTHENTICATED", denied.getCode());
        }
    }

    @Test
    void anInterruptedReceiveAndACancelledSendAsyncTakeAndSendNothing() throws Exception {
        try (RemoteClient a = connect(); RemoteClient b = connect()) {
            Channel<String> out = Channel.wrap(a.chan("java-withdrawn", 1, Codecs.utf8()));
            Channel<String> in = Channel.wrap(b.chan("java-withdrawn", 1, Codecs.utf8()));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread receiver = new Thread(() -> {
                try {
                    in.receive();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            receiver.start();
            while (node.channel("java-withdrawn").getWaitingReceivers() == 0) Thread.onSpinWait();
            receiver.interrupt();
            receiver.join(10_000);
            assertTrue(thrown.get() instanceof InterruptedException, "interrupted receive threw " + thrown.get());

            out.send("first");
            CompletableFuture<Void> blocked = out.sendAsync("second");
            while (node.channel("java-withdrawn").getWaitingSenders() == 0) Thread.onSpinWait();
            assertTrue(blocked.cancel(true));
            assertEquals("first", in.receive(Duration.ofSeconds(5)));
            out.send("third");
            assertEquals("third", in.receive(Duration.ofSeconds(5)));
            assertEquals(2, node.channel("java-withdrawn").getSent());
        }
    }
}
