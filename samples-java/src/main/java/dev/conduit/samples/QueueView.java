package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.Select;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A JDK {@link ThreadPoolExecutor} fed through a Conduit channel: the pool's work queue is the
 * channel's {@code asBlockingQueue()} view, so a goroutine hands it jobs with {@code send}
 * (waiting for room, where {@code execute} would reject), a Conduit {@code select} can take a job
 * from the same queue, and {@code shutdownNow()} drains what is left through the view's {@code
 * drainTo}.
 */
public final class QueueView implements Sample {
    @Override
    public String title() {
        return "a ThreadPoolExecutor whose work queue is a channel";
    }

    /** A named job, so the queue's contents print readably. */
    private record Job(String name, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Channel<Runnable> jobs = Channel.create(8);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, jobs.asBlockingQueue());
        pool.prestartAllCoreThreads();

        // 1. A goroutine feeds 100 jobs into an 8-slot queue: send waits whenever it is full.
        Set<Integer> ran = ConcurrentHashMap.newKeySet();
        CountDownLatch done = new CountDownLatch(100);
        Go.go(() -> {
            for (int i = 1; i <= 100; i++) {
                int n = i;
                jobs.send(new Job("job " + n, () -> {
                    ran.add(n);
                    done.countDown();
                }));
            }
        });
        boolean all = done.await(30, TimeUnit.SECONDS);
        out.println("100 jobs sent by a goroutine into 8 slots, run once each by a 2-thread ThreadPoolExecutor: "
                + (all && ran.size() == 100));

        // 2. Both workers busy: queued jobs wait in the channel, where a select can see them too.
        CountDownLatch busy = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (int w = 0; w < 2; w++) {
            pool.execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        busy.await(10, TimeUnit.SECONDS);
        for (int i = 101; i <= 103; i++) jobs.send(new Job("job " + i, () -> {}));
        Select.create()
                .onReceive(jobs, job -> out.println("a select on the same channel took " + job + " while the workers were busy"))
                .orElse(() -> out.println("nothing queued"))
                .run();

        // 3. shutdownNow() interrupts the workers and hands back what is still queued (drainTo).
        List<Runnable> notRun = pool.shutdownNow();
        out.println("shutdownNow() drained the jobs still queued: " + notRun + "; left in the channel: " + jobs.len());
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    public static void main(String[] args) throws Exception {
        new QueueView().run(System.out);
    }
}
