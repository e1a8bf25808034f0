package dev.conduit.samples;

import dev.conduit.chan.Batch;
import dev.conduit.java.Go;
import dev.conduit.java.chan.BatchChannel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batching for a bulk sink: 1,005 events are written to a database in batches of at most 100;
 * the final trickle of 5 goes out by itself once the 20 ms latency bound passes, instead of
 * waiting for a full batch or a flush.
 */
public final class BatchedEvents implements Sample {
    @Override
    public String title() {
        return "batching by size or time for a bulk sink";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        BatchChannel<String> events = BatchChannel.create(100, Duration.ofMillis(20));
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger largest = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(1005);
        Go.go(() -> {
            for (Batch<String> batch : events) { // one bulk insert each, until closed and drained
                writes.incrementAndGet();
                largest.accumulateAndGet(batch.getSize(), Math::max);
                arrived.addAndGet(batch.getSize());
                batch.forEach(e -> all.countDown());
                batch.recycle();
            }
        });
        for (int i = 0; i < 1_000; i++) events.send("event-" + i);
        for (int i = 0; i < 5; i++) events.send("late-" + i);
        // Nobody flushes or closes: the last 5 must go out on their own, by the latency bound.
        boolean trickleDelivered = all.await(10, TimeUnit.SECONDS);
        events.close();
        out.println(arrived.get() + " events in " + writes.get() + " bulk writes of at most " + largest.get()
                + " (not 1005 single ones)");
        out.println("the trickle of 5 went out on its own, without a flush: " + trickleDelivered);
    }

    public static void main(String[] args) throws Exception {
        new BatchedEvents().run(System.out);
    }
}
