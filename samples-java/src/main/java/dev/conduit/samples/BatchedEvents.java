package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.ring.BatchChannels;
import dev.conduit.ring.BatchChannel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Batching for a bulk sink: 1,000 events are written to a database in batches of 100, and a
 * final trickle of 5 still goes out within the 20 ms latency bound instead of waiting for a
 * full batch.
 */
public final class BatchedEvents implements Sample {
    @Override
    public String title() {
        return "batching by size or time for a bulk sink";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        BatchChannel<String> events = BatchChannels.create(100, Duration.ofMillis(20));
        CompletableFuture<List<Integer>> sink = new CompletableFuture<>();
        Go.go(() -> {
            List<Integer> sizes = new ArrayList<>();
            List<String> batch;
            while ((batch = BatchChannels.receiveList(events)) != null) sizes.add(batch.size()); // one bulk insert each
            sink.complete(sizes);
        });
        for (int i = 0; i < 1_000; i++) BatchChannels.send(events, "event-" + i);
        for (int i = 0; i < 5; i++) BatchChannels.send(events, "late-" + i);
        Thread.sleep(60); // longer than the latency bound: the trickle goes out on its own
        events.close();
        List<Integer> sizes = sink.get();
        out.println(sizes.size() + " bulk writes instead of 1005 single ones; sizes " + sizes.subList(0, 3) + "... last " + sizes.get(sizes.size() - 1));
    }

    public static void main(String[] args) throws Exception {
        new BatchedEvents().run(System.out);
    }
}
