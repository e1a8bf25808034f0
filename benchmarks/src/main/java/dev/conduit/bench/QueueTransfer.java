package dev.conduit.bench;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves {@code items} elements per round through a queue from {@code producers} threads to
 * {@code consumers} threads, each side spinning (with {@link Thread#yield()}, since the machine
 * may have fewer cores than threads) when the queue is full or empty. The same loop for every
 * queue under test, so only the queue differs. The threads are a {@link Crew} started once per
 * trial; a round is the transfer alone.
 */
final class QueueTransfer implements AutoCloseable {
    private static final Integer ITEM = 42;

    private final Queue<Integer> queue;
    private final int producers;
    private final int perProducer;
    private final long total;
    private final AtomicLong taken = new AtomicLong();
    private final Crew crew;

    /**
     * Starts the producer and consumer threads on {@code queue}, waiting for {@link #run()}. Never
     * blocks.
     */
    QueueTransfer(Queue<Integer> queue, int producers, int consumers, int items) {
        this.queue = queue;
        this.producers = producers;
        this.perProducer = items / producers;
        this.total = (long) perProducer * producers;
        this.crew = new Crew(Crew.PLATFORM, producers + consumers, this::work);
    }

    /**
     * Runs one transfer and returns how many elements were taken (always {@code items}, rounded
     * down to a multiple of the producers). Blocks until the transfer is done.
     */
    long run() {
        taken.set(0);
        crew.run();
        return taken.get();
    }

    private void work(int member) {
        if (member < producers) {
            for (int i = 0; i < perProducer; i++) {
                while (!queue.offer(ITEM)) Thread.yield();
            }
        } else {
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
        }
    }

    /** Stops the threads. Blocks until they have ended. */
    @Override
    public void close() throws InterruptedException {
        crew.close();
    }
}
