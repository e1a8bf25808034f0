package dev.conduit.samples;

import dev.conduit.context.Context;
import dev.conduit.java.pool.Job;
import dev.conduit.java.pool.WorkerPool;
import dev.conduit.pool.JobRejectedException;
import dev.conduit.pool.ScaleEvent;
import dev.conduit.pool.WorkerPoolConfig;
import dev.conduit.pool.WorkerPoolListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker pool under a burst: it scales up while jobs queue and back down once idle; urgent
 * jobs go first, background ones are shed while the queue is deep; and a graceful shutdown
 * hands back the jobs that never ran instead of dropping them.
 */
public final class PoolBurst implements Sample {
    private static final int URGENT = 2;
    private static final int BACKGROUND = 0;

    @Override
    public String title() {
        return "a worker pool: scaling under a burst, priorities, shedding, graceful shutdown";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        WorkerPool pool = WorkerPool.create(WorkerPoolConfig.builder().name("burst").minWorkers(1).maxWorkers(4)
                .checkInterval(Duration.ofMillis(10)).keepAlive(Duration.ofMillis(50))
                .queueCapacity(100).shedPriority(BACKGROUND).shedThreshold(10).build());
        AtomicInteger most = new AtomicInteger(1);
        AtomicInteger least = new AtomicInteger(Integer.MAX_VALUE);
        CountDownLatch shrunk = new CountDownLatch(1);
        pool.addListener(new WorkerPoolListener() {
            @Override
            public void onScale(ScaleEvent event) {
                most.accumulateAndGet(event.getTo(), Math::max);
                if (event.getReason() == ScaleEvent.Reason.IDLE) least.accumulateAndGet(event.getTo(), Math::min);
                if (event.getReason() == ScaleEvent.Reason.IDLE && event.getTo() == 1) shrunk.countDown();
            }
        });
        List<CompletableFuture<Integer>> urgent = new ArrayList<>();
        int shed = 0;
        for (int i = 0; i < 40; i++) {
            int n = i;
            urgent.add(pool.submit(Job.builder().priority(URGENT).build(ctx -> { Thread.sleep(5); return n; })));
            try {
                pool.submit(Job.builder().priority(BACKGROUND).build(ctx -> { Thread.sleep(5); return -1; }));
            } catch (JobRejectedException e) {
                shed++;
            }
        }
        int sum = 0;
        for (CompletableFuture<Integer> f : urgent) sum += f.get();
        out.println("40 urgent jobs done, sum = " + sum + "; background jobs shed while the queue was deep: " + (shed > 0));
        out.println("the pool grew under the burst: " + (most.get() > 1));
        shrunk.await(10, java.util.concurrent.TimeUnit.SECONDS);
        out.println("and shrank back to 1 worker when idle: " + (least.get() == 1));
        pool.shutdownNow();

        WorkerPool one = WorkerPool.create(WorkerPoolConfig.builder().name("shutdown").minWorkers(1).maxWorkers(1).build());
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Object> running = one.submit(ctx -> {
            started.countDown();
            new CountDownLatch(1).await(); // until the shutdown interrupts it
            return null;
        });
        started.await();
        List<Job<String>> reports = new ArrayList<>();
        for (String name : List.of("report A", "report B", "report C")) {
            reports.add(new Job<>() {
                @Override
                public String execute(Context ctx) {
                    return name;
                }

                @Override
                public String toString() {
                    return name;
                }
            });
        }
        one.submitAll(reports);
        List<Job<?>> unrun = one.shutdown(Context.background().withTimeout(Duration.ofMillis(50)));
        out.println("graceful shutdown after 50 ms returned the jobs that never ran: " + unrun);
        out.println("the job still running then was cancelled: " + running.isCancelled());
    }

    public static void main(String[] args) throws Exception {
        new PoolBurst().run(System.out);
    }
}
