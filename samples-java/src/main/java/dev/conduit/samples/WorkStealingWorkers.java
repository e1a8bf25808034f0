package dev.conduit.samples;

import dev.conduit.java.pipeline.Pipeline;
import dev.conduit.java.pipeline.WorkStealingPool;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Many-to-many with work stealing: two producers put 200 uneven jobs on worker 0's queue only;
 * the three idle workers steal from it, so the work spreads out and every job runs once.
 */
public final class WorkStealingWorkers implements Sample {
    @Override
    public String title() {
        return "work stealing between per-worker queues";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        try (Pipeline p = Pipeline.create()) {
            WorkStealingPool<Integer> pool = p.workStealing(4, (worker, job) -> {
                Thread.sleep(job % 5 == 0 ? 3 : 1);
                done.add(job);
            });
            Thread[] producers = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int base = t * 100;
                producers[t] = new Thread(() -> {
                    try {
                        for (int i = 0; i < 100; i++) pool.submitTo(0, base + i);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                producers[t].start();
            }
            for (Thread t : producers) t.join();
            pool.close();
            pool.join();
            long stolen = pool.stolen().stream().mapToLong(Long::longValue).sum();
            out.println("200 jobs queued on worker 0 only; each ran once: " + (done.size() == 200));
            out.println("idle workers stole some of them: " + (stolen > 0) + " (per worker " + pool.stolen() + ")");
        }
    }

    public static void main(String[] args) throws Exception {
        new WorkStealingWorkers().run(System.out);
    }
}
