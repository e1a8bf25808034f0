package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every item through the priority and the sharded channel under random interrupts of producers
 * and consumers: a send that throws InterruptedException did not send (it is retried), one that
 * returns did; a receive that throws took nothing. So each item arrives exactly once.
 */
@Timeout(120)
class KindsInterruptStressTest {
    private static final int PRODUCERS = 3;
    private static final int CONSUMERS = 3;
    private static final int PER_PRODUCER = Boolean.getBoolean("conduit.stress") ? 50_000 : 2_000;

    private interface Sender {
        void send(int item) throws InterruptedException;
    }

    private interface Receiver {
        /** The next item, or null once closed and drained. */
        Integer receive() throws InterruptedException;
    }

    private static void countEveryItem(Sender sender, Receiver receiver, Runnable close) throws Exception {
        ConcurrentHashMap<Integer, Integer> seen = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger interrupted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger sentCount = new java.util.concurrent.atomic.AtomicInteger();
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<Thread> producers = new ArrayList<>();
        List<Thread> all = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int base = p * PER_PRODUCER * 100;
            Thread t = new Thread(() -> {
                try {
                    // At least PER_PRODUCER items, and on until interrupts have hit blocked calls
                    // often enough that the race was exercised (bounded by the deadline).
                    for (int i = 0; i < PER_PRODUCER * 100
                            && (i < PER_PRODUCER || interrupted.get() < 100) && System.nanoTime() < deadline; i++) {
                        while (true) {
                            try {
                                sender.send(base + i);
                                Thread.interrupted(); // sent; an interrupt that raced it is dropped
                                sentCount.incrementAndGet();
                                break;
                            } catch (InterruptedException e) {
                                interrupted.incrementAndGet(); // not sent: send it again
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            producers.add(t);
            all.add(t);
        }
        for (int c = 0; c < CONSUMERS; c++) {
            all.add(new Thread(() -> {
                try {
                    while (true) {
                        Integer v;
                        try {
                            v = receiver.receive();
                        } catch (InterruptedException e) {
                            interrupted.incrementAndGet();
                            continue; // nothing taken
                        }
                        Thread.interrupted();
                        if (v == null) return;
                        seen.merge(v, 1, Integer::sum);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread chaos = new Thread(() -> {
            while (running.get()) {
                all.get(ThreadLocalRandom.current().nextInt(all.size())).interrupt();
                for (int i = ThreadLocalRandom.current().nextInt(200); i > 0; i--) Thread.onSpinWait();
            }
        });
        chaos.start();
        all.forEach(Thread::start);
        for (Thread t : producers) t.join(100_000);
        close.run();
        for (Thread t : all) t.join(100_000);
        running.set(false);
        chaos.join(10_000);
        if (failure.get() != null) throw new AssertionError("a thread failed", failure.get());
        org.junit.jupiter.api.Assertions.assertTrue(interrupted.get() >= 100, "interrupts hit blocked calls: " + interrupted);
        assertEquals(sentCount.get(), seen.size(), "every item sent arrived");
        seen.forEach((k, n) -> assertEquals(1, n, "item " + k + " arrived " + n + " times"));
    }

    @Test
    void priorityChannelLosesAndDuplicatesNothingUnderInterrupts() throws Exception {
        PriorityChannel<Integer> ch = PriorityChannel.create(3, 4, Duration.ofMillis(1));
        countEveryItem(
                item -> ch.send(item, item % 3),
                () -> {
                    var r = ch.receiveOk();
                    return r.isOk() ? r.getValue() : null;
                },
                ch::close);
    }

    @Test
    void shardedChannelLosesAndDuplicatesNothingUnderInterrupts() throws Exception {
        ShardedChannel<Integer> ch = ShardedChannel.create(4, 2);
        countEveryItem(
                item -> ch.send(item, item % 7),
                () -> {
                    var r = ch.receiveOk();
                    return r.isOk() ? r.getValue() : null;
                },
                ch::close);
    }
}
