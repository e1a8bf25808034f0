package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interruption (and cancellation) racing a hand-off, round after round, on unbuffered and
 * one-slot channels: a thread blocked in the facade's {@code receive()} is interrupted just as a
 * sender (a Java thread, or a Kotlin coroutine on the same channel) sends it a value. Whoever
 * wins, the value is either received (the receive returned it) or still in the channel (the
 * receive threw {@link InterruptedException} and the value can be received afterwards), never
 * lost and never both; the same for the {@code take()} of the channel's {@code BlockingQueue}
 * view. The mirror cases: a coroutine receive cancelled as a Java thread sends,
 * and a thread blocked in {@code send()} interrupted as a coroutine receives.
 *
 * <p>The two sides are released together (each waits on one flag), then one of them spins a
 * varying while (the interrupter up to ~1,000 spins, the other side up to ~6,000: a parked
 * thread takes a while to wake and withdraw; a cancellation, which withdraws at once, the other
 * way round), so both outcomes happen; each test runs rounds until both did (bounded), and
 * checks that both did, or it would not have tested the race.
 */
@Timeout(120)
class InterruptRaceTest {
    private static final int ROUNDS = Boolean.parseBoolean(System.getProperty("conduit.stress")) ? 20_000 : 2_000;

    @Test
    void interruptingABlockedReceiveAsAThreadSendsNeverLosesOrDuplicatesTheValue() throws Exception {
        receiveRacingAThreadSend(1, ch -> ch::receive);
    }

    /** The same race through the channel's {@code BlockingQueue} view: its {@code take()} is the channel's receive. */
    @Test
    void interruptingABlockedTakeOfTheQueueViewAsAThreadSendsNeverLosesOrDuplicatesTheValue() throws Exception {
        receiveRacingAThreadSend(5, ch -> ch.asBlockingQueue()::take);
    }

    /** Rounds of {@code receive}'s call on a fresh channel, blocked, interrupted as a thread sends it a value. */
    private static void receiveRacingAThreadSend(long seed, Function<Channel<Integer>, Call> receive) throws Exception {
        Tally tally = new Tally();
        Random jitter = new Random(seed);
        for (int i = 0; tally.runsRound(i); i++) {
            int cap = i % 2;
            Channel<Integer> ch = Channel.create(cap);
            BlockedThread receiver = BlockedThread.start("receiver", receive.apply(ch));
            AtomicBoolean ready = new AtomicBoolean();
            AtomicBoolean go = new AtomicBoolean();
            int value = i;
            int delay = jitter.nextInt(7_000) - 1_000;
            int senderDelay = Math.max(0, delay);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread sender = daemon("sender", () -> {
                try {
                    ready.set(true);
                    spinUntil(go);
                    spin(senderDelay);
                    ch.send(value);
                    sent.complete(null);
                } catch (Throwable e) {
                    sent.completeExceptionally(e);
                }
            });
            sender.start();
            spinUntil(ready);
            go.set(true);
            spin(-Math.min(0, delay));
            receiver.thread.interrupt();
            checkReceiveRace(ch, value, receiver.outcome(), sent, tally, "round " + i + " (cap " + cap + ")");
        }
        tally.assertBothOutcomes();
    }

    @Test
    void interruptingABlockedReceiveAsACoroutineSendsNeverLosesOrDuplicatesTheValue() throws Exception {
        Tally tally = new Tally();
        Random jitter = new Random(2);
        for (int i = 0; tally.runsRound(i); i++) {
            int cap = i % 2;
            Channel<Integer> ch = Channel.create(cap);
            BlockedThread receiver = BlockedThread.start("receiver", ch::receive);
            AtomicBoolean ready = new AtomicBoolean();
            AtomicBoolean go = new AtomicBoolean();
            int delay = jitter.nextInt(7_000) - 1_000;
            CompletableFuture<Void> sent = CoroutineSide.sendWhenGo(ch.unwrap(), i, Math.max(0, delay), ready, go);
            spinUntil(ready);
            go.set(true);
            spin(-Math.min(0, delay));
            receiver.thread.interrupt();
            checkReceiveRace(ch, i, receiver.outcome(), sent, tally, "round " + i + " (cap " + cap + ")");
        }
        tally.assertBothOutcomes();
    }

    @Test
    void cancellingASuspendedCoroutineReceiveAsAThreadSendsNeverLosesOrDuplicatesTheValue() throws Exception {
        Tally tally = new Tally();
        Random jitter = new Random(3);
        for (int i = 0; tally.runsRound(i); i++) {
            int cap = i % 2;
            Channel<Integer> ch = Channel.create(cap);
            CoroutineSide.Receiving receiving = CoroutineSide.receive(ch.unwrap()); // queued when this returns
            AtomicBoolean ready = new AtomicBoolean();
            AtomicBoolean go = new AtomicBoolean();
            int value = i;
            int delay = jitter.nextInt(6_000) - 4_000; // a cancellation withdraws at once: give the sender the head start
            int senderDelay = Math.max(0, delay);
            CompletableFuture<Void> sent = new CompletableFuture<>();
            Thread sender = daemon("sender", () -> {
                try {
                    ready.set(true);
                    spinUntil(go);
                    spin(senderDelay);
                    ch.send(value);
                    sent.complete(null);
                } catch (Throwable e) {
                    sent.completeExceptionally(e);
                }
            });
            sender.start();
            spinUntil(ready);
            go.set(true);
            spin(-Math.min(0, delay));
            receiving.getJob().cancel((CancellationException) null);
            Object outcome;
            try {
                outcome = receiving.getOutcome().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                outcome = e.getCause();
            } catch (CancellationException e) { // get() throws a cancellation as it is
                outcome = e;
            }
            checkReceiveRace(ch, value, outcome instanceof CancellationException ? new InterruptedException("cancelled") : outcome,
                    sent, tally, "round " + i + " (cap " + cap + ")");
        }
        tally.assertBothOutcomes();
    }

    @Test
    void interruptingABlockedSendAsACoroutineReceivesNeverLosesOrDuplicatesTheValue() throws Exception {
        Tally tally = new Tally();
        Random jitter = new Random(4);
        for (int i = 0; tally.runsRound(i); i++) {
            int cap = i % 2;
            Channel<Integer> ch = Channel.create(cap);
            if (cap == 1) assertTrue(ch.trySend(-1)); // full, so the send blocks
            int value = i;
            BlockedThread sender = BlockedThread.start("sender", () -> {
                ch.send(value);
                return "sent";
            });
            AtomicBoolean ready = new AtomicBoolean();
            AtomicBoolean go = new AtomicBoolean();
            int delay = jitter.nextInt(7_000) - 1_000;
            CompletableFuture<Integer> received = CoroutineSide.receiveWhenGo(ch.unwrap(), Math.max(0, delay), ready, go);
            spinUntil(ready);
            go.set(true);
            spin(-Math.min(0, delay));
            sender.thread.interrupt();
            Object sendOutcome = sender.outcome();
            String where = "round " + i + " (cap " + cap + ")";
            if (cap == 1) {
                // The coroutine takes the buffered -1 whatever happens; the send either refilled
                // the slot with the value or was withdrawn.
                assertEquals(-1, received.get(10, TimeUnit.SECONDS), where);
                if ("sent".equals(sendOutcome)) {
                    assertEquals(Optional.of(value), ch.tryReceive(), where + ": a completed send must have delivered the value");
                    tally.handedOver++;
                } else {
                    assertInstanceOf(InterruptedException.class, sendOutcome, where);
                    assertEquals(Optional.empty(), ch.tryReceive(), where + ": an interrupted send must not deliver its value");
                    tally.leftInChannel++;
                }
            } else if ("sent".equals(sendOutcome)) {
                assertEquals(value, received.get(10, TimeUnit.SECONDS), where + ": a completed send must have delivered the value");
                tally.handedOver++;
            } else {
                assertInstanceOf(InterruptedException.class, sendOutcome, where);
                // The coroutine must still be waiting: it gets the next value, not the withdrawn one.
                assertTrue(ch.trySend(-2) || waitAndSend(ch, -2), where);
                assertEquals(-2, received.get(10, TimeUnit.SECONDS), where + ": an interrupted send must not deliver its value");
                tally.leftInChannel++;
            }
            assertEquals(Optional.empty(), ch.tryReceive(), where + ": nothing else may be in the channel");
        }
        tally.assertBothOutcomes();
    }

    /** The coroutine may not have reached its receive yet: a blocking send with a bound. */
    private static boolean waitAndSend(Channel<Integer> ch, int v) throws Exception {
        ch.send(v, Duration.ofSeconds(10));
        return true;
    }

    /**
     * A receive that raced a send of {@code value}: it returned the value (and then the sender
     * is done and the channel empty), or it was interrupted (and then the value is still in the
     * channel, buffered or offered by the still-blocked sender) — exactly once either way.
     */
    private static void checkReceiveRace(Channel<Integer> ch, int value, Object outcome, CompletableFuture<Void> sent,
            Tally tally, String where) throws Exception {
        if (outcome instanceof Integer) {
            assertEquals(value, outcome, where);
            sent.get(10, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), ch.tryReceive(), where + ": a received value must not also stay in the channel");
            tally.handedOver++;
        } else if (outcome instanceof InterruptedException) {
            Integer left;
            try {
                left = ch.receive(Duration.ofSeconds(10));
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(where + ": the receive was interrupted and the value " + value + " is lost", e);
            }
            assertEquals(value, left, where + ": a withdrawn receive must leave the value in the channel");
            sent.get(10, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), ch.tryReceive(), where);
            tally.leftInChannel++;
        } else {
            fail(where + ": the receive ended with " + outcome, outcome instanceof Throwable ? (Throwable) outcome : null);
        }
    }

    private static final class Tally {
        int handedOver;
        int leftInChannel;
        private long extraRoundsUntil;

        /**
         * Whether round {@code i} runs: the planned {@code ROUNDS}, then, as who wins is up to the
         * scheduler, more until both outcomes have happened (for at most 60 s more; then
         * {@link #assertBothOutcomes} fails).
         */
        boolean runsRound(int i) {
            if (i < ROUNDS) return true;
            if (handedOver > 0 && leftInChannel > 0) return false;
            if (extraRoundsUntil == 0) extraRoundsUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            return System.nanoTime() < extraRoundsUntil;
        }

        void assertBothOutcomes() {
            System.out.println("InterruptRaceTest: handed over " + handedOver + ", left in the channel " + leftInChannel);
            assertTrue(handedOver > 0 && leftInChannel > 0,
                    "the race was not exercised: handed over " + handedOver + ", left in the channel " + leftInChannel);
        }
    }

    /** A blocking call on its own thread, started and waited for (bounded) until it parks. */
    private static final class BlockedThread {
        final Thread thread;
        private final CompletableFuture<Object> outcome = new CompletableFuture<>();

        private BlockedThread(String name, Call call) {
            thread = daemon(name, () -> {
                try {
                    outcome.complete(call.run());
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
        }

        static BlockedThread start(String name, Call call) {
            BlockedThread b = new BlockedThread(name, call);
            b.thread.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (b.thread.getState() != Thread.State.WAITING) {
                if (b.outcome.isDone()) throw new AssertionError(name + " did not block: " + b.outcome.join());
                if (System.nanoTime() > deadline) throw new AssertionError(name + " never blocked: " + b.thread.getState());
                Thread.yield();
            }
            return b;
        }

        /** What the call returned, or the exception it threw. */
        Object outcome() throws Exception {
            return outcome.get(10, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface Call {
        Object run() throws Exception;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, "interrupt-race-" + name);
        t.setDaemon(true);
        return t;
    }

    private static void spinUntil(AtomicBoolean flag) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!flag.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the other side never started");
            Thread.yield(); // two cores, shared: let the other side run
        }
    }

    private static void spin(int n) {
        for (int k = 0; k < n; k++) Thread.onSpinWait();
    }
}
