package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.conduit.chan.PriorityChannel;
import dev.conduit.chan.ShardedChan;
import dev.conduit.java.pipeline.PriorityChannels;
import dev.conduit.java.ring.ShardedChans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    private static final int PER_PRODUCER = Boolean.getBoolean("conduit.stress") ? 50_000 : 5_000;

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
        List<Thread> producers = new ArrayList<>();
        List<Thread> all = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int base = p * PER_PRODUCER;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        while (true) {
                            try {
                                sender.send(base + i);
                                Thread.interrupted(); // sent; an interrupt that raced it is dropped
                                break;
                            } catch (InterruptedException e) {
                                // not sent: send it again
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
                Thread.yield();
            }
        });
        all.forEach(Thread::start);
        chaos.start();
        for (Thread t : producers) t.join(100_000);
        close.run();
        for (Thread t : all) t.join(100_000);
        running.set(false);
        chaos.join(10_000);
        if (failure.get() != null) throw new AssertionError("a thread failed", failure.get());
        assertEquals(PRODUCERS * PER_PRODUCER, seen.size(), "every item arrived");
        seen.forEach((k, n) -> assertEquals(1, n, "item " + k + " arrived " + n + " times"));
    }

    @Test
    void priorityChannelLosesAndDuplicatesNothingUnderInterrupts() throws Exception {
        PriorityChannel<Integer> ch = PriorityChannel.create(3, 4, Duration.ofMillis(1));
        countEveryItem(
                item -> PriorityChannels.send(ch, item, item % 3),
                () -> {
                    var r = Chans.of(ch).receiveOk();
                    return r.getOk() ? r.getValue() : null;
                },
                ch::close);
    }

    @Test
    void shardedChannelLosesAndDuplicatesNothingUnderInterrupts() throws Exception {
        ShardedChan<Integer> ch = new ShardedChan<>(4, 2);
        countEveryItem(
                item -> ShardedChans.send(ch, item, item % 7),
                () -> {
                    Optional<Integer> v = ShardedChans.receive(ch);
                    return v.orElse(null);
                },
                ch::close);
    }
}
