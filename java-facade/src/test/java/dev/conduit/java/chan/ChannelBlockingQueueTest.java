package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.chan.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Channel#asBlockingQueue()} held to the behaviour the JSR-166 TCK asks of
 * {@code ArrayBlockingQueue} (a buffered channel) and {@code SynchronousQueue} (an unbuffered
 * one), plus what a channel adds: closing, and a {@code drainTo} that loses nothing when its
 * collection throws. Waiting is only ever the expected outcome of a short timed call; a thread
 * that must be blocked is waited for until it parks ({@link Interrupting#awaitBlocked}).
 */
@Timeout(60)
class ChannelBlockingQueueTest {
    private static final long SHORT_MS = 20;

    /** A view of a channel of {@code capacity} holding 0 .. n-1. */
    private static BlockingQueue<Integer> populated(int capacity, int n) {
        BlockingQueue<Integer> q = Channel.<Integer>create(capacity).asBlockingQueue();
        for (int i = 0; i < n; i++) assertTrue(q.offer(i), "offer " + i);
        return q;
    }

    // ---- ArrayBlockingQueue's contract on a buffered channel -------------------------------

    @Test
    void aBufferedViewIsABoundedFifoQueue() {
        BlockingQueue<Integer> q = populated(3, 3);
        assertEquals(3, q.size());
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer(9), "full");
        assertEquals("Queue full", assertThrows(IllegalStateException.class, () -> q.add(9)).getMessage());
        assertEquals(0, q.peek());
        assertEquals(0, q.element());
        assertEquals(List.of(0, 1, 2), List.copyOf(q));
        assertEquals(0, q.poll());
        assertEquals(1, q.remove());
        assertEquals(2, q.remainingCapacity());
        assertEquals(2, q.poll());
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        assertNull(q.peek());
        assertThrows(NoSuchElementException.class, q::remove);
        assertThrows(NoSuchElementException.class, q::element);
    }

    @Test
    void anUnboundedChannelReportsRemainingCapacityAsLinkedBlockingQueueDoes() {
        BlockingQueue<Integer> q = populated(Integer.MAX_VALUE, 2);
        assertEquals(Integer.MAX_VALUE - 2, q.remainingCapacity());
    }

    @Test
    void theViewIsTheChannelNotACopy() throws Exception {
        Channel<Integer> ch = Channel.create(4);
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        ch.send(1);
        assertTrue(q.offer(2));
        assertEquals(2, ch.len());
        assertEquals(1, q.take());
        assertEquals(2, ch.receive());
        assertSame(ch.unwrap(), Channel.wrap(ch.unwrap()).unwrap());
        assertEquals(List.of(), List.copyOf(Channel.wrap(ch.unwrap()).asBlockingQueue()));
    }

    @SuppressWarnings("DataFlowIssue")
    @Test
    void nullElementsAreRefusedNamingTheArgument() {
        BlockingQueue<Integer> q = populated(2, 1);
        for (Runnable call : List.<Runnable>of(() -> q.offer(null), () -> q.add(null), () -> put(q, null),
                () -> timedOffer(q, null), () -> q.drainTo(null), () -> q.drainTo(null, 1))) {
            NullPointerException e = assertThrows(NullPointerException.class, call::run);
            assertTrue(String.valueOf(e.getMessage()).contains("parameter"), "names the argument: " + e.getMessage());
        }
        assertFalse(q.contains(null), "a null query is false, as in the JDK queues");
        assertFalse(q.remove(null));
        assertEquals(List.of(0), List.copyOf(q), "nothing changed");
    }

    @Test
    void putBlocksUntilATakeMakesRoom() throws Exception {
        BlockingQueue<Integer> q = populated(1, 1);
        Interrupting.Call putter = Interrupting.blocked(() -> q.put(1));
        assertEquals(1, q.size(), "a value a blocked put holds is not in the queue");
        assertEquals(List.of(0), List.copyOf(q));
        assertEquals(0, q.take());
        assertEquals(null, putter.result());
        assertEquals(1, q.take());
    }

    @Test
    void takeBlocksUntilAPut() throws Exception {
        BlockingQueue<Integer> q = populated(2, 0);
        List<Integer> got = new ArrayList<>();
        Interrupting.Call taker = Interrupting.blocked(() -> got.add(q.take()));
        q.put(7);
        assertEquals(null, taker.result());
        assertEquals(List.of(7), got);
    }

    @Test
    void timedOfferAndPollTimeOutOnlyWhenTheyMustWait() throws Exception {
        BlockingQueue<Integer> q = populated(1, 1);
        assertFalse(q.offer(1, SHORT_MS, TimeUnit.MILLISECONDS), "full for the whole timeout");
        assertFalse(q.offer(1, 0, TimeUnit.SECONDS), "zero: only tries");
        assertFalse(q.offer(1, -1, TimeUnit.SECONDS), "negative: only tries");
        assertEquals(0, q.poll(SHORT_MS, TimeUnit.MILLISECONDS));
        assertNull(q.poll(SHORT_MS, TimeUnit.MILLISECONDS), "empty for the whole timeout");
        assertNull(q.poll(0, TimeUnit.SECONDS));
        assertTrue(q.offer(2, 0, TimeUnit.SECONDS), "room: no wait needed");
        assertEquals(List.of(2), List.copyOf(q));
    }

    @Test
    void aTimedPollReturnsAValuePutWhileItWaits() throws Exception {
        BlockingQueue<Integer> q = populated(2, 0);
        List<Integer> got = new ArrayList<>();
        Interrupting.Call poller = Interrupting.blocked(() -> got.add(q.poll(1, TimeUnit.MINUTES)));
        q.put(5);
        assertEquals(null, poller.result());
        assertEquals(List.of(5), got);
    }

    @Test
    void aTimedOfferSucceedsWhenRoomIsMadeWhileItWaits() throws Exception {
        BlockingQueue<Integer> q = populated(1, 1);
        List<Boolean> offered = new ArrayList<>();
        Interrupting.Call offerer = Interrupting.blocked(() -> offered.add(q.offer(1, 1, TimeUnit.MINUTES)));
        assertEquals(0, q.take());
        assertEquals(null, offerer.result());
        assertEquals(List.of(true), offered);
        assertEquals(1, q.poll());
    }

    // ---- interrupts -----------------------------------------------------------------------

    @Test
    void anInterruptStatusSetBeforeAWaitEndsItAndIsCleared() throws Exception {
        BlockingQueue<Integer> full = populated(1, 1);
        BlockingQueue<Integer> empty = populated(1, 0);
        List<Interrupting.Call> calls = List.of(
                Interrupting.start(() -> interruptedThen(() -> full.put(1))),
                Interrupting.start(() -> interruptedThen(() -> full.offer(1, 1, TimeUnit.MINUTES))),
                Interrupting.start(() -> interruptedThen(empty::take)),
                Interrupting.start(() -> interruptedThen(() -> empty.poll(1, TimeUnit.MINUTES))));
        for (Interrupting.Call c : calls) assertEquals(null, c.result());
        assertEquals(List.of(0), List.copyOf(full), "nothing was sent");
        assertTrue(empty.isEmpty());
    }

    @Test
    void anOperationThatNeedsNoWaitCompletesEvenIfInterrupted() throws Exception {
        BlockingQueue<Integer> q = populated(2, 1);
        Interrupting.Call c = Interrupting.start(() -> {
            Thread.currentThread().interrupt();
            q.put(1);
            assertEquals(0, q.take());
            assertTrue(Thread.interrupted(), "the interrupt status is kept for a later wait");
        });
        assertEquals(null, c.result());
        assertEquals(List.of(1), List.copyOf(q));
    }

    @Test
    void anInterruptWhileBlockedEndsTheWaitHavingDoneNothing() throws Exception {
        BlockingQueue<Integer> full = populated(1, 1);
        BlockingQueue<Integer> empty = populated(1, 0);
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> full.put(1)));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> full.offer(1, 1, TimeUnit.MINUTES)));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(empty::take));
        assertInstanceOf(InterruptedException.class, Interrupting.interruptWhileBlocked(() -> empty.poll(1, TimeUnit.MINUTES)));
        assertEquals(List.of(0), List.copyOf(full), "the interrupted sends left nothing");
        assertTrue(empty.offer(3));
        assertEquals(3, empty.poll(), "the interrupted receives took nothing");
    }

    // ---- SynchronousQueue's contract on an unbuffered channel -----------------------------

    @Test
    void anUnbufferedViewHoldsNothing() throws Exception {
        Channel<Integer> ch = Channel.create();
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        Interrupting.Call putter = Interrupting.blocked(() -> q.put(1));
        assertEquals(0, q.size());
        assertTrue(q.isEmpty());
        assertEquals(0, q.remainingCapacity());
        assertNull(q.peek(), "a waiting sender's value is not in the queue");
        assertFalse(q.iterator().hasNext());
        assertFalse(q.contains(1));
        assertEquals(0, q.toArray().length);
        assertFalse(q.offer(2), "offer needs a waiting receiver");
        assertEquals(1, q.poll(), "poll takes a waiting sender's value");
        assertEquals(null, putter.result());
        assertNull(q.poll());
    }

    @Test
    void offerOnAnUnbufferedViewHandsToAWaitingReceiver() throws Exception {
        BlockingQueue<Integer> q = Channel.<Integer>create().asBlockingQueue();
        List<Integer> got = new ArrayList<>();
        Interrupting.Call taker = Interrupting.blocked(() -> got.add(q.take()));
        assertTrue(q.offer(4));
        assertEquals(null, taker.result());
        assertEquals(List.of(4), got);
        assertFalse(q.offer(5), "nobody waits any more");
    }

    @Test
    void drainToOnAnUnbufferedViewTakesTheWaitingSenders() throws Exception {
        BlockingQueue<Integer> q = Channel.<Integer>create().asBlockingQueue();
        Interrupting.Call first = Interrupting.blocked(() -> q.put(1));
        Interrupting.Call second = Interrupting.blocked(() -> q.put(2));
        List<Integer> into = new ArrayList<>();
        assertEquals(2, q.drainTo(into));
        assertEquals(List.of(1, 2), into, "first come, first served");
        assertEquals(null, first.result());
        assertEquals(null, second.result());
        q.clear();
        assertEquals(0, q.drainTo(into));
    }

    @Test
    void clearOnAnUnbufferedViewLeavesWaitingSendersWaiting() throws Exception {
        BlockingQueue<Integer> q = Channel.<Integer>create().asBlockingQueue();
        Interrupting.Call putter = Interrupting.blocked(() -> q.put(1));
        q.clear();
        assertEquals(1, q.take(), "clear dropped nothing a sender still held");
        assertEquals(null, putter.result());
    }

    // ---- drainTo ---------------------------------------------------------------------------

    @Test
    void drainToMovesWhatIsReadyInOrderUpToTheMaximum() {
        BlockingQueue<Integer> q = populated(8, 5);
        List<Integer> into = new ArrayList<>();
        assertEquals(0, q.drainTo(into, 0));
        assertEquals(0, q.drainTo(into, -1));
        assertEquals(2, q.drainTo(into, 2));
        assertEquals(List.of(0, 1), into);
        assertEquals(3, q.drainTo(into));
        assertEquals(List.of(0, 1, 2, 3, 4), into);
        assertEquals(0, q.drainTo(into));
        assertTrue(q.isEmpty());
    }

    @Test
    void drainToRefusesToDrainIntoItself() {
        Channel<Integer> ch = Channel.create(2);
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(ch.asBlockingQueue(), 1), "another view of the same channel");
    }

    @Test
    void drainToAlsoTakesTheSendersThatWaitedForRoom() throws Exception {
        BlockingQueue<Integer> q = populated(2, 2);
        Interrupting.Call putter = Interrupting.blocked(() -> q.put(2));
        List<Integer> into = new ArrayList<>();
        assertEquals(3, q.drainTo(into));
        assertEquals(List.of(0, 1, 2), into);
        assertEquals(null, putter.result());
    }

    @Test
    void aThrowingCollectionKeepsWhatItTookAndTheRestGoesBackToTheHead() {
        BlockingQueue<Integer> q = populated(8, 5);
        RefusingList into = new RefusingList(2);
        assertThrows(IllegalStateException.class, () -> q.drainTo(into));
        assertEquals(List.of(0, 1), into, "what was added stays added");
        assertTrue(q.offer(5));
        assertEquals(List.of(2, 3, 4, 5), List.copyOf(q), "the rest is back at the head, in order, before later values");
    }

    @Test
    void valuesPutBackMayOverfillTheBufferForAWhileButNoneIsLost() throws Exception {
        BlockingQueue<Integer> q = populated(2, 2);
        Interrupting.Call putter = Interrupting.blocked(() -> q.put(2));
        assertThrows(IllegalStateException.class, () -> q.drainTo(new RefusingList(0)));
        assertEquals(null, putter.result(), "the drain took the waiting sender's value too, so its put completed");
        assertEquals(List.of(0, 1, 2), List.copyOf(q), "all three are back, in order");
        assertEquals(3, q.size());
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer(3), "over capacity: senders wait");
        assertEquals(0, q.poll());
        assertFalse(q.offer(3), "still at capacity");
        assertEquals(1, q.poll());
        assertTrue(q.offer(3));
        assertEquals(List.of(2, 3), List.copyOf(q));
    }

    @Test
    void aValueTakenFromAWaitingSenderOfAnUnbufferedChannelIsNotLostEither() throws Exception {
        BlockingQueue<Integer> q = Channel.<Integer>create().asBlockingQueue();
        Interrupting.Call putter = Interrupting.blocked(() -> q.put(7));
        assertThrows(IllegalStateException.class, () -> q.drainTo(new RefusingList(0)));
        assertEquals(null, putter.result());
        assertEquals(7, q.poll(), "put back: the next receive gets it");
        assertNull(q.poll());
    }

    @Test
    void aValuePutBackGoesToAReceiverAlreadyWaiting() throws Exception {
        Channel<Integer> ch = Channel.create(1);
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        q.put(1);
        RefusingList into = new RefusingList(0) {
            @Override
            public boolean add(Integer e) {
                // a receiver arrives while the value is out of the channel
                waiting[0] = Interrupting.blocked(q::take);
                return super.add(e);
            }
        };
        assertThrows(IllegalStateException.class, () -> q.drainTo(into));
        assertEquals(null, into.waiting[0].result(), "the waiting take got the value put back");
        assertTrue(q.isEmpty());
    }

    // ---- closed channel ------------------------------------------------------------------

    @Test
    void aClosedChannelRefusesSendsAndEndsTakesOnceDrained() throws Exception {
        Channel<Integer> ch = Channel.create(2);
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        q.put(1);
        ch.close();
        for (Runnable send : List.<Runnable>of(() -> q.offer(2), () -> q.add(2), () -> put(q, 2), () -> timedOffer(q, 2))) {
            ClosedChannelException e = assertThrows(ClosedChannelException.class, send::run);
            assertEquals("send on closed channel", e.getMessage());
        }
        assertEquals(1, q.peek());
        assertEquals(1, q.take(), "buffered values are still delivered");
        assertEquals("receive from closed channel", assertThrows(ClosedChannelException.class, q::take).getMessage());
        assertNull(q.poll());
        assertNull(q.poll(1, TimeUnit.MINUTES), "returns at once: nothing can come");
        assertEquals(0, q.drainTo(new ArrayList<>()));
    }

    @Test
    void closingWakesBlockedPutsAndTakes() throws Exception {
        Channel<Integer> full = Channel.create(1);
        full.send(0);
        Channel<Integer> empty = Channel.create(1);
        BlockingQueue<Integer> fq = full.asBlockingQueue();
        BlockingQueue<Integer> eq = empty.asBlockingQueue();
        Interrupting.Call putter = Interrupting.blocked(() -> fq.put(1));
        Interrupting.Call taker = Interrupting.blocked(eq::take);
        Interrupting.Call poller = Interrupting.blocked(() -> assertNull(eq.poll(1, TimeUnit.MINUTES)));
        full.close();
        empty.close();
        assertInstanceOf(ClosedChannelException.class, putter.result());
        assertInstanceOf(ClosedChannelException.class, taker.result());
        assertEquals(null, poller.result());
        assertEquals(List.of(0), List.copyOf(fq), "the refused put's value was not delivered");
    }

    // ---- peek, iteration, removal ------------------------------------------------------

    @Test
    void theIteratorIsAWeaklyConsistentSnapshot() {
        BlockingQueue<Integer> q = populated(4, 3);
        Iterator<Integer> it = q.iterator();
        assertEquals(0, q.poll());
        assertTrue(q.offer(3));
        List<Integer> seen = new ArrayList<>();
        it.forEachRemaining(seen::add);
        assertEquals(List.of(0, 1, 2), seen, "what was buffered when it was made, once each, no ConcurrentModificationException");
        assertEquals(List.of(1, 2, 3), List.copyOf(q));
    }

    @Test
    void iteratorRemoveRemovesThatValueIfStillThere() {
        BlockingQueue<Integer> q = populated(4, 3);
        Iterator<Integer> it = q.iterator();
        assertThrows(IllegalStateException.class, it::remove, "before next()");
        assertEquals(0, it.next());
        assertEquals(0, q.poll(), "a receiver took it meanwhile");
        it.remove();
        assertEquals(1, it.next());
        it.remove();
        assertThrows(IllegalStateException.class, it::remove, "twice");
        assertEquals(List.of(2), List.copyOf(q));
    }

    @Test
    void removingFromTheMiddleLetsAWaitingSenderIn() throws Exception {
        BlockingQueue<Integer> q = populated(3, 3);
        Interrupting.Call putter = Interrupting.blocked(() -> q.put(3));
        assertTrue(q.remove(1));
        assertFalse(q.remove(1));
        assertEquals(null, putter.result());
        assertEquals(List.of(0, 2, 3), List.copyOf(q));
        assertTrue(q.contains(3));
        assertEquals("[0, 2, 3]", q.toString());
        assertEquals(List.of(0, 2, 3), List.of(q.toArray(new Integer[0])));
    }

    @Test
    void clearDropsTheBufferThenWaitingSendersFillIt() throws Exception {
        BlockingQueue<Integer> q = populated(2, 2);
        Interrupting.Call putter = Interrupting.blocked(() -> q.put(2));
        q.clear();
        assertEquals(null, putter.result());
        assertEquals(List.of(2), List.copyOf(q));
    }

    @Test
    void onlyAChannelMadeByCreateHasAView() {
        for (Channel<Integer> other : List.<Channel<Integer>>of(Channel.spsc(4), Channel.nil(),
                PriorityChannel.create(2, 4, Duration.ofSeconds(1)), ShardedChannel.create(2, 2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, other::asBlockingQueue);
            assertTrue(e.getMessage().contains("Chan(capacity)"), e.getMessage());
        }
        assertEquals(IntStream.range(0, 3).boxed().toList(), List.copyOf(populated(3, 3)));
    }

    // ---- helpers ------------------------------------------------------------------------

    /** A list that refuses (IllegalStateException, as a full bounded collection does) every add after the first {@code accepts}. */
    private static class RefusingList extends ArrayList<Integer> {
        private final int accepts;
        final Interrupting.Call[] waiting = new Interrupting.Call[1];

        RefusingList(int accepts) {
            this.accepts = accepts;
        }

        @Override
        public boolean add(Integer e) {
            if (size() >= accepts) throw new IllegalStateException("full");
            return super.add(e);
        }
    }

    @FunctionalInterface
    private interface Blocking {
        void run() throws InterruptedException;
    }

    /** Runs {@code call} with the interrupt status set: it must throw InterruptedException and clear the status. */
    private static void interruptedThen(Blocking call) throws Exception {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, call::run);
        assertFalse(Thread.interrupted(), "the interrupt status is cleared");
    }

    private static void put(BlockingQueue<Integer> q, Integer e) {
        try {
            q.put(e);
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }

    private static void timedOffer(BlockingQueue<Integer> q, Integer e) {
        try {
            q.offer(e, 1, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }
}
