package dev.conduit.samples;

import dev.conduit.java.chan.ShardedChannel;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * A sharded channel: four producer threads send order events for their own accounts into a
 * channel of four lanes, keyed by account, so they rarely touch the same lane; one consumer
 * takes from all lanes and finds every account's events in the order they were sent.
 */
public final class ShardedOrders implements Sample {
    @Override
    public String title() {
        return "a sharded channel: lanes by key, order kept per key";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        ShardedChannel<String> events = ShardedChannel.create(4, 64);
        Thread[] producers = new Thread[4];
        for (int p = 0; p < 4; p++) {
            String account = "acct-" + p;
            producers[p] = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000; i++) events.send(account + ":" + i, account);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producers[p].start();
        }
        Thread closer = new Thread(() -> {
            try {
                for (Thread t : producers) t.join();
                events.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        Map<String, Integer> next = new HashMap<>();
        int received = 0;
        boolean inOrder = true;
        for (String e : events) { // until every lane is closed and drained
            String[] parts = e.split(":");
            int seq = Integer.parseInt(parts[1]);
            inOrder &= seq == next.getOrDefault(parts[0], 0);
            next.put(parts[0], seq + 1);
            received++;
        }
        closer.join();
        out.println(received + " events from 4 accounts over 4 lanes; each account's events in order: " + inOrder);
    }

    public static void main(String[] args) throws Exception {
        new ShardedOrders().run(System.out);
    }
}
