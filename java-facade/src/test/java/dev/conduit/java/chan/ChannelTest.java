package dev.conduit.java.chan;

import dev.conduit.context.Context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.Received;
import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.java.Go;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ChannelTest {
    @Test
    void negativeCapacityIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Channel.create(-3));
        assertEquals("capacity must be >= 0, but was -3", e.getMessage());
    }

    @SuppressWarnings("DataFlowIssue")
    @Test
    void nullValuesAreRejected() {
        Channel<String> ch = Channel.create(1);
        assertEquals("value", assertThrows(NullPointerException.class, () -> ch.send(null)).getMessage());
        assertThrows(NullPointerException.class, () -> ch.trySend(null));
        assertThrows(NullPointerException.class, () -> ch.sendAsync(null));
        assertEquals(0, ch.len());
    }

    @Test
    void blockingRendezvousBetweenThreads() throws Exception {
        Channel<String> ch = Channel.create();
        Go.go(() -> {
            try {
                ch.send("ping");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals("ping", ch.receive());
        assertEquals(0, ch.cap());
    }

    @Test
    void bufferedTryOperationsLenAndCap() {
        Channel<Integer> ch = Channel.create(2);
        assertTrue(ch.trySend(1));
        assertTrue(ch.trySend(2));
        assertFalse(ch.trySend(3));
        assertEquals(2, ch.len());
        assertEquals(2, ch.cap());
        assertEquals(Optional.of(1), ch.tryReceive());
        assertEquals(Optional.of(2), ch.tryReceive());
        assertEquals(Optional.empty(), ch.tryReceive());
    }

    @Test
    void closedChannelDrainsThenReportsClosed() throws Exception {
        Channel<String> ch = Channel.create(3);
        ch.send("a");
        ch.send("b");
        ch.close();
        assertThrows(ClosedChannelException.class, () -> ch.send("c"));
        assertEquals("close of closed channel", assertThrows(IllegalStateException.class, ch::close).getMessage());
        assertEquals("a", ch.receive());
        assertEquals(Received.of("b"), ch.receiveOk());
        assertFalse(ch.receiveOk().isOk());
        assertThrows(ClosedChannelException.class, ch::receive);
        assertEquals(Optional.empty(), ch.tryReceive());
    }

    @Test
    void iterationAndStreamEndWhenClosed() throws Exception {
        Channel<Integer> ch = Channel.create(4);
        Go.go(() -> {
            try {
                for (int i = 0; i < 100; i++) ch.send(i);
                ch.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Integer> firstTen = new ArrayList<>();
        for (int v : ch) {
            firstTen.add(v);
            if (v == 9) break;
        }
        assertEquals(IntStream.range(0, 10).boxed().collect(Collectors.toList()), firstTen);
        assertEquals(IntStream.range(10, 100).boxed().collect(Collectors.toList()), ch.stream().collect(Collectors.toList()));
    }

    @Test
    void timeoutsThrowTimeoutExceptionAndTakeNothing() throws Exception {
        Channel<Integer> ch = Channel.create();
        TimeoutException r = assertThrows(TimeoutException.class, () -> ch.receive(Duration.ofMillis(20)));
        assertEquals("receive timed out after PT0.02S", r.getMessage());
        assertThrows(TimeoutException.class, () -> ch.send(1, Duration.ofMillis(20)));
        assertThrows(TimeoutException.class, () -> ch.send(1, Duration.ZERO));
        assertFalse(ch.trySend(1), "a timed-out receive must not be left waiting");
    }

    @Test
    void contextBoundsBlockingCalls() throws Exception {
        Channel<Integer> ch = Channel.create();
        CancelContext cancelled = Context.background().withCancel();
        cancelled.cancel();
        assertInstanceOf(ContextCanceledException.class, assertThrows(ContextCanceledException.class, () -> ch.receive(cancelled)));
        assertThrows(ContextCanceledException.class, () -> ch.send(cancelled, 1));
        try (CancelContext timed = Context.background().withTimeout(Duration.ofMillis(30))) {
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> ch.receive(timed));
            assertSame(timed.getErr(), e);
        }
        try (CancelContext timed = Context.background().withTimeout(Duration.ofMillis(30))) {
            assertThrows(DeadlineExceededException.class, () -> ch.send(timed, 7));
        }
        assertFalse(ch.trySend(1));
    }

    @Test
    void interruptedReceiveThrowsAndTakesNothing() throws Exception {
        Channel<Integer> ch = Channel.create();
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(ch::receive));
        assertFalse(ch.trySend(1), "the interrupted receive must have been withdrawn");
    }

    @Test
    void interruptedSendThrowsAndSendsNothing() throws Exception {
        Channel<Integer> full = Channel.create(1);
        full.send(1);
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> full.send(2)));
        assertEquals(Optional.of(1), full.tryReceive());
        assertEquals(Optional.empty(), full.tryReceive(), "the interrupted send must not have been delivered");
    }

    @Test
    void asyncCallsCompleteAndCancelWithdraws() throws Exception {
        Channel<Integer> ch = Channel.create();
        CompletableFuture<Integer> r = ch.receiveAsync();
        assertFalse(r.isDone());
        assertTrue(ch.trySend(5));
        assertEquals(5, r.get(10, TimeUnit.SECONDS));

        CompletableFuture<Integer> withdrawn = ch.receiveAsync();
        assertTrue(withdrawn.cancel(true));
        assertTrue(withdrawn.isCancelled());
        assertFalse(ch.trySend(6), "a cancelled receive takes nothing");

        CompletableFuture<Void> s = ch.sendAsync(9);
        assertEquals(9, ch.receive());
        s.get(10, TimeUnit.SECONDS);

        Channel.<Integer>create(0).unwrap().close();
        Channel<Integer> closed = Channel.create();
        closed.close();
        Throwable e = assertThrows(Exception.class, () -> closed.receiveAsync().get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(ClosedChannelException.class, e);
        assertFalse(closed.receiveOkAsync().get(10, TimeUnit.SECONDS).isOk());
    }

    /**
     * Cancel races a sender: either the cancel wins and the value is still there, or the future
     * has it. Both outcomes must happen (20 times each) for the test to mean anything: the cancel
     * waits a number of spins that grows while it keeps winning and shrinks while it loses.
     */
    @Test
    void cancellingAReceiveNeverLosesAValue() throws Exception {
        Channel<Integer> ch = Channel.create();
        int cancelWon = 0;
        int receiveWon = 0;
        int spins = 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; cancelWon < 20 || receiveWon < 20; i++) {
            assertTrue(System.nanoTime() < deadline,
                    "both outcomes must happen within 60 s: cancel won " + cancelWon + ", receive won " + receiveWon);
            CompletableFuture<Integer> r = ch.receiveAsync();
            int value = i;
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Go.go(() -> {
                try {
                    ch.send(value);
                    sent.complete(null);
                } catch (Throwable e) {
                    sent.completeExceptionally(e);
                }
            });
            for (int s = 0; s < spins; s++) Thread.onSpinWait();
            if (r.cancel(false)) {
                cancelWon++;
                spins = Math.min(spins * 2, 1 << 24);
                assertEquals(value, ch.receive(), "a withdrawn receive must leave the value in the channel");
            } else {
                receiveWon++;
                spins = Math.max(spins / 2, 1);
                assertEquals(value, r.get(10, TimeUnit.SECONDS));
            }
            sent.get(10, TimeUnit.SECONDS);
        }
    }

    /** Every blocking or async call runs a coroutine; none may outlive its call. */
    @Test
    void noBridgeCoroutineOutlivesItsCall() throws Exception {
        int before = runningGoroutines();
        Channel<Integer> ch = Channel.create();
        for (int i = 0; i < 200; i++) {
            CompletableFuture<Integer> r = ch.receiveAsync();
            if (i % 2 == 0) {
                r.cancel(true);
            } else {
                ch.send(i);
                r.get(10, TimeUnit.SECONDS);
            }
            assertThrows(TimeoutException.class, () -> ch.receive(Duration.ZERO));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runningGoroutines() > before) {
            if (System.nanoTime() > deadline) throw new AssertionError(runningGoroutines() - before + " coroutines leaked");
            Thread.onSpinWait();
        }
    }

    private static int runningGoroutines() {
        int n = 0;
        var it = kotlinx.coroutines.JobKt.getJob(dev.conduit.GoRuntime.getScope().getCoroutineContext()).getChildren().iterator();
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }

    @Test
    void javaAndKotlinViewsAreTheSameChannel() throws Exception {
        Channel<String> ch = Channel.create(1);
        Channel<String> again = Channel.wrap(ch.unwrap());
        again.send("shared");
        assertEquals("shared", ch.receive());
        assertSame(ch.unwrap(), again.unwrap());
        ReceiveChannel<String> receiving = ReceiveChannel.wrap(ch.unwrap());
        SendChannel.wrap(ch.unwrap()).send("one way");
        assertEquals("one way", receiving.receive());
    }

    @Test
    void tryReceiveOkTellsEmptyFromClosed() throws Exception {
        Channel<String> ch = Channel.create(2);
        assertEquals(null, ch.tryReceiveOk(), "empty: null");
        ch.send("v");
        ch.close();
        assertEquals(Received.of("v"), ch.tryReceiveOk());
        assertSame(Received.closed(), ch.tryReceiveOk(), "closed and drained: Received.closed()");
        assertEquals(Optional.empty(), ch.tryReceive());
    }

    @Test
    void everyWrapIsAViewOfTheSameKotlinChannel() throws Exception {
        dev.conduit.chan.Chan<String> core = dev.conduit.chan.ChanKt.Chan(2);
        Channel<String> both = Channel.wrap(core);
        SendChannel<String> sending = SendChannel.wrap(core);
        ReceiveChannel<String> receiving = ReceiveChannel.wrap(core);
        assertSame(core, both.unwrap());
        assertSame(core, sending.unwrap());
        assertSame(core, receiving.unwrap());
        sending.send("one");
        both.send("two");
        assertEquals(2, core.getLen());
        assertEquals("one", receiving.receive());
        assertEquals("two", both.receive());
        assertThrows(IllegalArgumentException.class, () -> ReceiveChannel.wrap(new dev.conduit.chan.ReceiveChan<String>() {
            @Override public Object receive(kotlin.coroutines.Continuation<? super String> c) { return null; }
            @Override public Object receiveOk(kotlin.coroutines.Continuation<? super Received<? extends String>> c) { return null; }
            @Override public Received<String> tryReceive() { return null; }
            @Override public dev.conduit.chan.ChanIterator<String> iterator() { return null; }
            @Override public int getCap() { return 0; }
            @Override public int getLen() { return 0; }
        }), "a ReceiveChan that is no Conduit channel kind cannot be viewed");
    }

    @Test
    void afterDeliversOnce() throws Exception {
        ReceiveChannel<java.time.Instant> timer = ReceiveChannel.after(Duration.ofMillis(10));
        timer.receive(Duration.ofSeconds(10));
        assertEquals(Optional.empty(), timer.tryReceive());
    }

    @Test
    void tickerTicksUntilStopped() throws Exception {
        try (Ticker ticker = Ticker.create(Duration.ofMillis(5))) {
            java.time.Instant first = ticker.channel().receive(Duration.ofSeconds(10));
            java.time.Instant second = ticker.channel().receive(Duration.ofSeconds(10));
            assertTrue(second.isAfter(first));
            ticker.stop();
            ticker.channel().tryReceive(); // at most one tick was buffered before the stop
            assertThrows(TimeoutException.class, () -> ticker.channel().receive(Duration.ofMillis(50)));
        }
        assertEquals("period must be > 0, but was -1s",
                assertThrows(IllegalArgumentException.class, () -> Ticker.create(Duration.ofSeconds(-1))).getMessage());
    }

    @Test
    void nilChannelBlocksUntilTimeoutAndRejectsClose() {
        Channel<Integer> nil = Channel.nil();
        assertThrows(TimeoutException.class, () -> nil.receive(Duration.ofMillis(10)));
        assertFalse(nil.trySend(1));
        assertEquals("close of nil channel", assertThrows(IllegalStateException.class, nil::close).getMessage());
    }

    @Test
    void thousandVirtualThreadsProduceAndConsume() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Go.usesVirtualThreads(),
                "needs virtual threads (JDK 21+); this JVM is " + Runtime.version());
        Channel<Integer> ch = Channel.create(16);
        int producers = 500;
        int perProducer = 200;
        Channel<Long> sums = Channel.create(producers);
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            Go.go(() -> {
                try {
                    for (int i = 0; i < perProducer; i++) ch.send(base + i);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int c = 0; c < 500; c++) {
            Go.go(() -> {
                long sum = 0;
                try {
                    for (int i = 0; i < perProducer; i++) sum += ch.receive();
                    sums.send(sum);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
        }
        long total = 0;
        for (int c = 0; c < 500; c++) total += sums.receive(Duration.ofSeconds(30));
        long n = (long) producers * perProducer;
        assertEquals(n * (n - 1) / 2, total);
        assertEquals(null, failure.get());
    }
}
