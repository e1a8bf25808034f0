package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.PriorityChannel;
import dev.conduit.java.chan.Select;
import dev.conduit.java.chan.ShardedChannel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's select, exactly: six workers pair up over one channel with a select that both sends and
 * receives on it (Go's {@code select { case ch <- me: case p := <-ch: }}); a non-blocking select
 * whose default never runs while one of its channels is ready (one snapshot of both); and one
 * select over three different channel kinds.
 */
public final class GoExactSelect implements Sample {
    @Override
    public String title() {
        return "Go-exact select: send and receive on one channel, a linearizable default, mixed kinds";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        // 1. Matchmaking: each worker offers itself and takes a partner, in one select.
        Channel<Integer> meet = Channel.create();
        int workers = 6;
        CountDownLatch paired = new CountDownLatch(workers);
        AtomicInteger senders = new AtomicInteger();
        AtomicInteger receivers = new AtomicInteger();
        for (int w = 0; w < workers; w++) {
            int me = w;
            Go.go(() -> {
                Select.create()
                        .onSend(meet, me, senders::incrementAndGet)
                        .onReceive(meet, partner -> receivers.incrementAndGet())
                        .run();
                paired.countDown();
            });
        }
        if (!paired.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("workers did not pair up");
        out.println(workers + " workers paired up over one channel: " + senders + " sent, " + receivers + " received");

        // 2. Go's TestNonblockSelectRace: one of a and b always holds a value, so default must never run.
        int wrongDefaults = 0;
        for (int i = 0; i < 2_000; i++) {
            Channel<Integer> a = Channel.create(1);
            Channel<Integer> b = Channel.create(1);
            a.send(1);
            CountDownLatch polled = new CountDownLatch(1);
            boolean[] fellThrough = {false};
            Go.go(() -> {
                Select.create().onReceive(a, v -> {}).onReceive(b, v -> {}).orElse(() -> fellThrough[0] = true).run();
                polled.countDown();
            });
            b.send(1);
            Select.create().onReceive(a, v -> {}).orElse(() -> {}).run();
            if (!polled.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("select did not return");
            if (fellThrough[0]) wrongDefaults++;
        }
        out.println("2,000 non-blocking selects while a case was always ready: default ran " + wrongDefaults + " times");

        // 3. One select over a plain, a priority and a sharded channel.
        Channel<String> plain = Channel.create(1);
        PriorityChannel<String> urgent = PriorityChannel.create(2, 4, Duration.ofSeconds(1));
        ShardedChannel<String> orders = ShardedChannel.create(4, 2);
        plain.send("plain");
        urgent.send("priority", 1);
        orders.send("sharded", "order-7");
        TreeSet<String> got = new TreeSet<>();
        for (int i = 0; i < 3; i++) {
            Select.create()
                    .onReceive(plain, got::add)
                    .onReceive(urgent, got::add)
                    .onReceive(orders, got::add)
                    .run();
        }
        out.println("one select over three kinds took: " + got);
    }

    public static void main(String[] args) throws Exception {
        new GoExactSelect().run(System.out);
    }
}
