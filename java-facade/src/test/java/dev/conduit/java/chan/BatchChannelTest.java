package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.chan.Batch;
import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BatchChannelTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void batchesBySizeByLatencyAndOnClose() throws Exception {
        // By latency: a lone item goes out once the 20 ms are up. (On their own channel, so that
        // no latency flush can cut a batch short if the thread stalls between sends.)
        BatchChannel<Integer> late = BatchChannel.create(3, Duration.ofMillis(20));
        late.send(-1);
        assertEquals(List.of(-1), late.receiveList());
        late.close();
        BatchChannel<Integer> batches = BatchChannel.create(3, HOUR);
        for (int i = 0; i < 7; i++) batches.send(i);
        assertEquals(List.of(0, 1, 2), batches.receiveList());
        assertEquals(List.of(3, 4, 5), batches.receiveList());
        batches.send(7);
        batches.close();
        assertEquals(List.of(6, 7), batches.receiveList()); // the partial batch, on close
        assertThrows(ClosedChannelException.class, batches::receiveList);
        assertFalse(batches.receiveOk().isOk());
        assertSame(Received.closed(), batches.tryReceiveOk());
    }

    @Test
    void flushSendsThePartialBatchAndIterationRecyclesBatches() throws Exception {
        BatchChannel<String> batches = BatchChannel.create(10, HOUR, 2);
        assertEquals(10, batches.batchSize());
        assertEquals(HOUR, batches.maxLatency());
        assertEquals(2, batches.cap());
        batches.flush(); // nothing to flush
        assertNull(batches.tryReceiveOk());
        batches.send("a");
        batches.send("b");
        assertNull(batches.tryReceiveOk(), "a partial batch waits for its latency or a flush");
        batches.flush();
        assertEquals(1, batches.len());
        batches.send("c");
        batches.flush();
        List<List<String>> got = new ArrayList<>();
        Iterator<Batch<String>> it = batches.iterator();
        for (int i = 0; i < 2; i++) {
            Batch<String> b = it.next();
            got.add(b.toList());
            b.recycle();
        }
        assertEquals(List.of(List.of("a", "b"), List.of("c")), got);
        batches.close();
    }

    @Test
    void aSendAfterCloseFailsAndASecondCloseIsRefused() {
        BatchChannel<String> batches = BatchChannel.create(2, HOUR);
        batches.close();
        assertThrows(ClosedChannelException.class, () -> batches.send("late"));
        assertThrows(ClosedChannelException.class, () -> batches.trySend("late"));
        IllegalStateException twice = assertThrows(IllegalStateException.class, batches::close);
        assertEquals("close of closed channel", twice.getMessage(), "one closed contract for every kind");
    }

    @SuppressWarnings("DataFlowIssue")
    @Test
    void nullItemsAreRefusedAtTheSend() throws Exception {
        BatchChannel<String> batches = BatchChannel.create(2, HOUR);
        assertEquals("item", assertThrows(NullPointerException.class, () -> batches.send(null)).getMessage());
        batches.send("only");
        batches.flush();
        assertEquals(List.of("only"), batches.receiveList(), "the null never joined a batch");
        batches.close();
    }

    @Test
    void wrapAndUnwrapAreTheSameChannelAndItWorksInSelect() throws Exception {
        BatchChannel<Integer> batches = BatchChannel.create(2, HOUR);
        dev.conduit.chan.BatchChannel<Integer> core = batches.unwrap();
        assertSame(core, BatchChannel.wrap(core).unwrap());
        BatchChannel.wrap(core).send(1);
        batches.send(2);
        List<List<Integer>> got = new ArrayList<>();
        Select.create().onReceive(batches, b -> {
            got.add(b.toList());
            b.recycle();
        }).run();
        assertEquals(List.of(List.of(1, 2)), got);
        batches.close();
    }

    @Test
    void anInterruptedSendOrFlushAddsNothingAndLosesNothing() throws Exception {
        BatchChannel<String> batches = BatchChannel.create(2, HOUR, 1);
        batches.send("a");
        batches.send("b"); // the one buffered batch: [a, b]
        batches.send("c"); // the partial batch
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> batches.send("d")),
                "d would complete a batch while the buffer is full, so the send blocks until interrupted");
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(batches::flush),
                "a flush of [c] blocks the same way");
        CompletableFuture<Void> withdrawn = batches.sendAsync("e");
        assertTrue(withdrawn.cancel(false), "a waiting sendAsync is withdrawn by cancel");
        assertEquals(List.of("a", "b"), batches.receiveList());
        batches.flush();
        assertEquals(List.of("c"), batches.receiveList(), "neither d nor e joined the partial batch; c was kept");
        batches.close();
        assertThrows(ClosedChannelException.class, batches::receiveList);
    }
}
