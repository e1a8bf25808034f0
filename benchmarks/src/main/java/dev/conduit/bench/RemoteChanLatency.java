package dev.conduit.bench;

import com.google.protobuf.ByteString;
import dev.conduit.java.chan.Channel;
import dev.conduit.net.ChannelNode;
import dev.conduit.net.Codecs;
import dev.conduit.net.Credentials;
import dev.conduit.net.NodeConfig;
import dev.conduit.net.RemoteChans;
import dev.conduit.net.RemoteClient;
import dev.conduit.net.RemoteClientOptions;
import dev.conduit.net.proto.ChannelServiceGrpcClient;
import dev.conduit.net.proto.ChannelServiceGrpcService;
import dev.conduit.net.proto.ClientBatch;
import dev.conduit.net.proto.ClientFrame;
import dev.conduit.net.proto.Deliver;
import dev.conduit.net.proto.NodeBatch;
import dev.conduit.net.proto.NodeFrame;
import dev.conduit.net.proto.Send;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.server.GrpcServer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Latency under a fixed load (a harness, not JMH), for a remote channel and its peers in the
 * same run: a producer sends {@code rate} 16-byte values a second, in a paced schedule of one
 * burst of {@code rate / 1000} values per millisecond; each value carries the time its burst was
 * <em>scheduled</em> to be sent (so a stall delays every value after it and shows in the figures:
 * no coordinated omission), and the receiving side records the time from then to its arrival in
 * an HdrHistogram. Paths:
 *
 * <ul>
 *   <li>{@code conduit}: producer client → node → consumer client, a blocking {@code receive};
 *   <li>{@code grpcEcho}: raw Vert.x gRPC, one bidirectional stream, one message per value
 *       written from the producer's thread (which waits while the stream's write queue is full),
 *       echoed by the server, which reads no faster than it writes back (a round trip: two hops,
 *       as Conduit's client → node → client). At 450,000 values/s it does not keep up (its
 *       throughput is about 264,000/s) and stalls: run it at 100,000;
 *   <li>{@code eventBus}: Vert.x's event bus in this JVM (no socket: a floor, not a like-for-like peer).
 * </ul>
 *
 * Prints, per path, the achieved rate and p50, p99, p99.9 and the maximum of the measured run,
 * after a warm-up of the same length.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.conduit.bench.RemoteChanLatency [rate] [seconds] [path...]</pre>
 */
public final class RemoteChanLatency {
    private RemoteChanLatency() {}

    /** One way from the producer's thread to a receiving side that calls the recorder with each value. */
    private interface Path extends AutoCloseable {
        /** Sends one value; may block for backpressure. */
        void send(byte[] value) throws Exception;

        /** From now on, every value that arrives goes to {@code recorder}, on one thread at a time. */
        void onArrival(Consumer<byte[]> recorder);
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 450_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<String> paths = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("conduit", "grpcEcho", "eventBus");
        for (String name : paths) {
            try (Path path = open(name)) {
                run(path, rate, seconds, name + " warm-up");
                Histogram h = run(path, rate, seconds, name);
                System.out.printf("%s, %d values/s scheduled for %d s: p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us (%d values)%n",
                        name, rate, seconds, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount());
            }
        }
    }

    private static Path open(String name) throws Exception {
        switch (name) {
            case "conduit": return conduit();
            case "grpcEcho": return grpcEcho();
            case "eventBus": return eventBus();
            default: throw new IllegalArgumentException("unknown path '" + name + "': conduit, grpcEcho or eventBus");
        }
    }

    private static Path conduit() throws Exception {
        String token = UUID.randomUUID().toString();
        RemoteClientOptions windows = RemoteClientOptions.builder().sendWindow(1024).prefetch(1024).build();
        ChannelNode node = ChannelNode.start(NodeConfig.builder().token(token).build());
        RemoteClient producer = RemoteChans.connect(node.getAddress(), Credentials.token(token), windows);
        RemoteClient consumer = RemoteChans.connect(node.getAddress(), Credentials.token(token), windows);
        Channel<byte[]> out = Channel.wrap(producer.chan("latency", 65_536, Codecs.bytes()));
        Channel<byte[]> in = Channel.wrap(consumer.chan("latency", 65_536, Codecs.bytes()));
        return new Path() {
            private volatile Consumer<byte[]> recorder;
            private final Thread receiver = new Thread(() -> {
                try {
                    while (true) {
                        byte[] v = in.receive();
                        recorder.accept(v);
                    }
                } catch (InterruptedException | RuntimeException e) {
                    // closed
                }
            }, "latency-consumer");

            @Override
            public void send(byte[] value) throws Exception {
                if (!out.trySend(value)) out.send(value);
            }

            @Override
            public void onArrival(Consumer<byte[]> r) {
                recorder = r;
                if (!receiver.isAlive()) {
                    receiver.setDaemon(true);
                    receiver.start();
                }
            }

            @Override
            public void close() throws Exception {
                receiver.interrupt();
                producer.close();
                consumer.close();
                node.close();
            }
        };
    }

    private static Path grpcEcho() throws Exception {
        Vertx vertx = Vertx.vertx();
        GrpcServer grpc = GrpcServer.server(vertx);
        // The echo reads no faster than it can write back (Vert.x's pause-on-full, resume-on-drain).
        grpc.callHandler(ChannelServiceGrpcService.Connect, req -> req.handler(b -> {
            req.response().write(NodeBatch.newBuilder().addFrames(NodeFrame.newBuilder().setDeliver(
                    Deliver.newBuilder().setHandle(1).setPayload(b.getFrames(0).getSend().getPayload()))).build());
            if (req.response().writeQueueFull()) {
                req.pause();
                req.response().drainHandler(v -> req.resume());
            }
        }));
        HttpServer server = vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        GrpcClientRequest<ClientBatch, NodeBatch> echo = GrpcClient.client(vertx)
                .request(SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"), ChannelServiceGrpcClient.Connect)
                .toCompletionStage().toCompletableFuture().get();
        return new Path() {
            private volatile Consumer<byte[]> recorder;

            {
                echo.response().onSuccess(resp -> resp.handler(b -> recorder.accept(b.getFrames(0).getDeliver().getPayload().toByteArray())));
            }

            /** Backpressure, as the remote channel has: a full write queue blocks the producer until it drains. */
            @Override
            public void send(byte[] value) throws InterruptedException {
                while (echo.writeQueueFull()) {
                    CountDownLatch drained = new CountDownLatch(1);
                    echo.drainHandler(v -> drained.countDown());
                    if (echo.writeQueueFull()) drained.await(1, TimeUnit.MILLISECONDS);
                }
                echo.write(ClientBatch.newBuilder().addFrames(ClientFrame.newBuilder().setSend(
                        Send.newBuilder().setHandle(1).setSeq(1).setPayload(ByteString.copyFrom(value)))).build());
            }

            @Override
            public void onArrival(Consumer<byte[]> r) {
                recorder = r;
            }

            @Override
            public void close() throws Exception {
                echo.cancel();
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        };
    }

    private static Path eventBus() throws Exception {
        Vertx vertx = Vertx.vertx();
        return new Path() {
            private volatile Consumer<byte[]> recorder;

            {
                vertx.eventBus().<byte[]>consumer("latency", m -> recorder.accept(m.body()))
                        .completion().toCompletionStage().toCompletableFuture().get();
            }

            @Override
            public void send(byte[] value) {
                vertx.eventBus().send("latency", value);
            }

            @Override
            public void onArrival(Consumer<byte[]> r) {
                recorder = r;
            }

            @Override
            public void close() throws Exception {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        };
    }

    private static Histogram run(Path path, int rate, int seconds, String phase) throws Exception {
        long total = (long) rate * seconds;
        Histogram h = new Histogram(60_000_000_000L, 3);
        CountDownLatch done = new CountDownLatch(1);
        long[] arrived = {0};
        path.onArrival(v -> {
            h.recordValue(Math.max(0, System.nanoTime() - ByteBuffer.wrap(v).getLong()));
            if (++arrived[0] == total) done.countDown();
        });
        long start = System.nanoTime();
        long perMilli = Math.max(1, rate / 1000);
        long sent = 0;
        for (long tick = 0; sent < total; tick++) {
            long due = start + tick * 1_000_000L;
            while (System.nanoTime() < due) LockSupport.parkNanos(50_000);
            for (long k = 0; k < perMilli && sent < total; k++, sent++) path.send(ByteBuffer.allocate(16).putLong(due).array());
        }
        if (!done.await(120, TimeUnit.SECONDS)) throw new IllegalStateException(phase + ": only " + arrived[0] + " of " + total + " values arrived in 120 s");
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d values in %.2f s (%.0f values/s achieved)%n", phase, total, secs, total / secs);
        return h;
    }
}
