package dev.conduit.bench;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves {@code items} elements through a queue from {@code producers} threads to
 * {@code consumers} threads, each side spinning (with {@link Thread#yield()}, since the machine
 * may have fewer cores than threads) when the queue is full or empty. The same loop for every
 * queue under test, so only the queue differs.
 */
final class QueueTransfer {
    private static final Integer ITEM = 42;

    private QueueTransfer() {}

    /** Runs the transfer and returns how many elements were taken (always {@code items}). */
    static long run(Queue<Integer> queue, int producers, int consumers, int items) throws InterruptedException {
        AtomicLong taken = new AtomicLong();
        int perProducer = items / producers;
        long total = (long) perProducer * producers;
        Thread[] threads = new Thread[producers + consumers];
        for (int p = 0; p < producers; p++) {
            threads[p] = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    while (!queue.offer(ITEM)) Thread.yield();
                }
            });
        }
        for (int c = 0; c < consumers; c++) {
            threads[producers + c] = new Thread(() -> {
                long pending = 0; // counted into `taken` in batches, so counting costs little
                while (taken.get() < total) {
                    if (queue.poll() != null) {
                        if (++pending == 64) {
                            taken.addAndGet(pending);
                            pending = 0;
                        }
                    } else {
                        if (pending > 0) taken.addAndGet(pending);
                        pending = 0;
                        Thread.yield();
                    }
                }
            });
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        return taken.get();
    }
}
