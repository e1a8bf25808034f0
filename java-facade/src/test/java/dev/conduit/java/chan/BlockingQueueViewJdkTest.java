package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A channel's {@link Channel#asBlockingQueue()} used by code written for the JDK: a {@link
 * ThreadPoolExecutor} whose work queue is a channel (fed by {@code execute}, which rejects a
 * task when the queue is full, and by a Conduit {@code send}, which waits for room instead;
 * drained by {@code shutdownNow}), a direct hand-off pool on an unbuffered channel
 * (what {@link SynchronousQueue} is to {@code Executors.newCachedThreadPool}), and a
 * producer/consumer that batches with {@code take} and {@code drainTo}.
 */
@Timeout(60)
class BlockingQueueViewJdkTest {
    @Test
    void aThreadPoolExecutorRunsTasksFromItsWorkQueueChannel() throws Exception {
        Channel<Runnable> work = Channel.create(16);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, work.asBlockingQueue());
        try {
            pool.prestartAllCoreThreads();
            int n = 200;
            int submitted = 10; // fewer than the capacity: execute() rejects a task when the queue is full
            CountDownLatch done = new CountDownLatch(n);
            Set ran = new Set();
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < submitted; i++) {
                int id = i;
                futures.add(pool.submit(() -> {
                    ran.add(id);
                    done.countDown();
                }));
            }
            for (int i = submitted; i < n; i++) {
                int id = i;
                work.send(() -> { // a Conduit send puts work straight into the pool's queue, waiting for room
                    ran.add(id);
                    done.countDown();
                });
            }
            assertTrue(done.await(30, TimeUnit.SECONDS), "every task ran");
            for (Future<?> f : futures) f.get(10, TimeUnit.SECONDS);
            assertEquals(IntStream.range(0, n).boxed().toList(), ran.sorted(), "each exactly once");
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "idle workers in take() end on shutdown (interrupted)");
    }

    @Test
    void shutdownNowHandsBackTheQueuedTasksThroughDrainTo() throws Exception {
        Channel<Runnable> work = Channel.create(8);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, work.asBlockingQueue());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        List<Runnable> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Runnable r = () -> {};
            queued.add(r);
            pool.execute(r);
        }
        assertEquals(3, work.len());
        List<Runnable> notRun = pool.shutdownNow();
        assertEquals(queued, notRun, "the tasks never started, in order");
        assertEquals(0, work.len());
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the running task was interrupted");
    }

    @Test
    void anUnbufferedChannelIsADirectHandOffQueue() throws Exception {
        BlockingQueue<Runnable> handOff = Channel.<Runnable>create().asBlockingQueue();
        ExecutorService pool = new ThreadPoolExecutor(0, 8, 10, TimeUnit.SECONDS, handOff);
        try {
            int n = 8;
            CountDownLatch allRunning = new CountDownLatch(n);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                pool.execute(() -> {
                    allRunning.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(allRunning.await(10, TimeUnit.SECONDS), "no idle worker waited, so each execute started a thread");
            assertEquals(0, handOff.size(), "a hand-off queue holds nothing");
            release.countDown();
        } finally {
            pool.shutdown();
        }
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void aConsumerBatchesWithTakeAndDrainTo() throws Exception {
        Channel<Integer> ch = Channel.create(64);
        BlockingQueue<Integer> q = ch.asBlockingQueue();
        int n = 10_000;
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) q.put(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        awaitFull(q);
        List<Integer> got = new ArrayList<>(n);
        List<Integer> sizes = new ArrayList<>();
        List<Integer> batch = new ArrayList<>();
        while (got.size() < n) {
            batch.clear();
            batch.add(q.take()); // wait for the first, then take whatever else is ready
            q.drainTo(batch, 63);
            got.addAll(batch);
            sizes.add(batch.size());
        }
        producer.join(10_000);
        assertEquals(IntStream.range(0, n).boxed().toList(), got, "all, once each, in order");
        assertEquals(64, sizes.get(0), "the first batch: the full buffer, one take and 63 drained");
        assertTrue(q.isEmpty());
    }

    /** Waits (bounded) until the producer has filled the buffer. */
    private static void awaitFull(BlockingQueue<?> q) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (q.remainingCapacity() > 0) {
            if (System.nanoTime() > deadline) throw new AssertionError("the producer never filled the buffer");
            Thread.yield();
        }
    }

    /** A thread-safe set of ints that lists them sorted. */
    private static final class Set {
        private final ConcurrentHashMap<Integer, Boolean> ids = new ConcurrentHashMap<>();

        void add(int id) {
            if (ids.put(id, true) != null) throw new AssertionError("ran twice: " + id);
        }

        List<Integer> sorted() {
            return ids.keySet().stream().sorted().toList();
        }
    }
}
