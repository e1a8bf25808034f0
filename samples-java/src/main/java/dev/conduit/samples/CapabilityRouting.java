package dev.conduit.samples;

import dev.conduit.java.pool.Job;
import dev.conduit.java.pool.WorkerPool;
import dev.conduit.pool.JobRejectedException;
import dev.conduit.pool.WorkerInfo;
import dev.conduit.pool.WorkerPoolConfig;
import dev.conduit.pool.WorkerProfile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Capability routing: workers declare tags and a capacity; jobs that need "gpu" run only on the
 * gpu workers (the least loaded first), and a job no worker could run is refused at submit.
 */
public final class CapabilityRouting implements Sample {
    @Override
    public String title() {
        return "capability routing: gpu jobs only on gpu workers";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        WorkerProfile cpu = new WorkerProfile(Set.of("cpu"), 1);
        WorkerProfile gpu = new WorkerProfile(Set.of("cpu", "gpu"), 2);
        WorkerPool pool = WorkerPool.create(WorkerPoolConfig.builder().name("routing").minWorkers(3).maxWorkers(3)
                .profiles(List.of(cpu, gpu)).build());
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<CompletableFuture<String>> renders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int n = i;
                renders.add(pool.submit(Job.builder().requires("gpu").build(ctx -> {
                    gate.await();
                    return "frame " + n;
                })));
            }
            while (pool.metrics().getRunning() < 2) Thread.sleep(1);
            Set<String> busy = new TreeSet<>();
            for (WorkerInfo w : pool.workers()) if (w.getRunning() > 0) busy.add(w.getProfile().getTags().contains("gpu") ? "gpu" : "cpu");
            out.println("2 gpu jobs running, on workers of kind: " + busy);
            out.println("a plain job still runs meanwhile: " + pool.submit(ctx -> "parsed").get());
            gate.countDown();
            List<String> frames = new ArrayList<>();
            for (CompletableFuture<String> f : renders) frames.add(f.get());
            out.println("rendered: " + frames);
            try {
                pool.submit(Job.builder().requires("tpu").build(ctx -> "never"));
            } catch (JobRejectedException e) {
                out.println("refused at submit: " + e.getMessage());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    public static void main(String[] args) throws Exception {
        new CapabilityRouting().run(System.out);
    }
}
