package dev.conduit.bench;

import dev.conduit.java.chan.Channel;
import dev.conduit.net.ChannelNode;
import dev.conduit.net.Codecs;
import dev.conduit.net.Credentials;
import dev.conduit.net.NodeConfig;
import dev.conduit.net.RemoteChans;
import dev.conduit.net.RemoteClient;
import dev.conduit.net.RemoteClientOptions;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Latency of a remote channel under a fixed load (a harness, not JMH): a producer client sends
 * {@code rate} 16-byte values a second through a node to a consumer client, in a paced schedule
 * of one burst of {@code rate / 1000} values per millisecond; each value carries the time its
 * burst was <em>scheduled</em> to be sent
 * (so a stall delays every value after it and shows in the figures: no coordinated omission),
 * and the consumer records the time from then to its receive in an HdrHistogram. Prints the
 * achieved rate and p50, p99, p99.9 and the maximum, after a warm-up of the same length.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.conduit.bench.RemoteChanLatency [rate] [seconds]</pre>
 */
public final class RemoteChanLatency {
    private RemoteChanLatency() {}

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 450_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String token = UUID.randomUUID().toString();
        RemoteClientOptions windows = RemoteClientOptions.builder().sendWindow(1024).prefetch(1024).build();
        try (ChannelNode node = ChannelNode.start(NodeConfig.builder().token(token).build());
                RemoteClient producer = RemoteChans.connect(node.getAddress(), Credentials.token(token), windows);
                RemoteClient consumer = RemoteChans.connect(node.getAddress(), Credentials.token(token), windows)) {
            Channel<byte[]> out = Channel.wrap(producer.chan("latency", 65_536, Codecs.bytes()));
            Channel<byte[]> in = Channel.wrap(consumer.chan("latency", 65_536, Codecs.bytes()));
            run(out, in, rate, seconds, "warm-up");
            Histogram h = run(out, in, rate, seconds, "measured");
            System.out.printf("remote channel, %d values/s scheduled for %d s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us (%d values)%n",
                    rate, seconds, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount());
        }
    }

    private static Histogram run(Channel<byte[]> out, Channel<byte[]> in, int rate, int seconds, String phase) throws Exception {
        long total = (long) rate * seconds;
        Histogram h = new Histogram(60_000_000_000L, 3);
        Thread receiver = new Thread(() -> {
            try {
                for (long i = 0; i < total; i++) {
                    long scheduled = ByteBuffer.wrap(in.receive()).getLong();
                    h.recordValue(Math.max(0, System.nanoTime() - scheduled));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "latency-consumer");
        receiver.start();
        long start = System.nanoTime();
        long perMilli = Math.max(1, rate / 1000);
        long sent = 0;
        for (long tick = 0; sent < total; tick++) {
            long due = start + tick * 1_000_000L;
            while (System.nanoTime() < due) LockSupport.parkNanos(50_000);
            for (long k = 0; k < perMilli && sent < total; k++, sent++) {
                byte[] v = ByteBuffer.allocate(16).putLong(due).array();
                if (!out.trySend(v)) out.send(v);
            }
        }
        receiver.join();
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d values in %.2f s (%.0f values/s achieved)%n", phase, total, secs, total / secs);
        return h;
    }
}
