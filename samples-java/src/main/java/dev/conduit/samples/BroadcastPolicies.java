package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.pipeline.Broadcast;
import dev.conduit.java.pipeline.Subscription;
import dev.conduit.pipeline.BroadcastListener;
import dev.conduit.pipeline.Overflow;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One publisher of ten price ticks, a fast subscriber, and a slow subscriber (buffer of 3) under
 * each overflow policy: BLOCK slows the publisher to the slow reader's pace, DROP_OLDEST keeps
 * the latest, DROP_NEWEST keeps the first, DISCONNECT cuts the slow reader off. The fast
 * subscriber gets all ten every time, and every drop is reported.
 */
public final class BroadcastPolicies implements Sample {
    @Override
    public String title() {
        return "broadcast with a slow subscriber under each overflow policy";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        for (Overflow policy : Overflow.values()) {
            AtomicInteger reported = new AtomicInteger();
            Broadcast<Integer> ticks = Broadcast.create(new BroadcastListener<Integer>() {
                @Override
                public void onDropped(dev.conduit.pipeline.Subscription<?> subscription, Integer item) {
                    reported.incrementAndGet();
                }

                @Override
                public void onDisconnected(dev.conduit.pipeline.Subscription<?> subscription) {
                    reported.incrementAndGet();
                }
            });
            Subscription<Integer> fast = ticks.subscribe("fast", 16, Overflow.BLOCK);
            Subscription<Integer> slow = ticks.subscribe("slow", 3, policy);
            CompletableFuture<List<Integer>> slowReader = new CompletableFuture<>();
            if (policy == Overflow.BLOCK) {
                // A reader that takes its time: the publisher waits for it.
                Go.go(() -> slowReader.complete(slow.items().stream().peek(x -> pause()).collect(Collectors.toList())));
            }
            for (int i = 1; i <= 10; i++) ticks.publish(i);
            ticks.close();
            List<Integer> slowGot = policy == Overflow.BLOCK
                    ? slowReader.get()
                    : slow.items().stream().collect(Collectors.toList()); // reads only at the end
            int fastGot = (int) fast.items().stream().count();
            out.println(policy + ": fast got " + fastGot + ", slow got " + slowGot + ", dropped " + slow.dropped()
                    + (slow.disconnected() ? ", disconnected" : "") + " (reported " + reported.get() + ")");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        new BroadcastPolicies().run(System.out);
    }
}
