package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fan-out: several workers take jobs from one channel. Fan-in: their results meet on one
 * channel, which the last worker to finish closes.
 */
public final class FanOutFanIn implements Sample {
    record Result(int job, String worker, int length) {}

    @Override
    public String title() {
        return "fan-out / fan-in";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        String[] words = {"goroutine", "channel", "select", "context", "deadline", "pipeline", "fan", "worker"};
        Channel<Integer> jobs = Channel.create(words.length);
        Channel<Result> results = Channel.create();
        int workers = 3;
        AtomicInteger running = new AtomicInteger(workers);
        for (int w = 1; w <= workers; w++) {
            String name = "worker-" + w;
            Go.go(() -> {
                try {
                    for (int job : jobs) results.send(new Result(job, name, words[job].length()));
                } finally {
                    if (running.decrementAndGet() == 0) results.close();
                }
            });
        }
        for (int i = 0; i < words.length; i++) jobs.send(i);
        jobs.close();

        Map<Integer, Result> byJob = new TreeMap<>();
        for (Result r : results) byJob.put(r.job(), r);
        int total = byJob.values().stream().mapToInt(Result::length).sum();
        out.println(byJob.size() + " jobs done by " + workers + " workers; total letters = " + total);
    }

    public static void main(String[] args) throws Exception {
        new FanOutFanIn().run(System.out);
    }
}
