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
import dev.conduit.net.proto.NodeBatch;
import dev.conduit.net.proto.Send;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.server.GrpcServer;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Small values per second over loopback, one producer, one channel, one consumer, each side a
 * client in this JVM with a node between them (all on loopback, so the two cores run node,
 * clients and the JMH thread at once):
 *
 * <ul>
 *   <li>{@code conduit}: a 16-byte value sent with {@code trySend} while the producer holds a
 *       credit and a blocking {@code send} when it does not (the way to stream: a send window of
 *       1,024 credits and a prefetch of 1,024 keep the wire busy; frames are batched into
 *       gRPC messages); a consumer thread receives with the facade's blocking {@code receive}.
 *       An invocation ends when the consumer has all 10,000 values;
 *   <li>{@code grpcEcho}, the peer: raw Vert.x gRPC, one bidirectional stream, one message per
 *       value (a {@code ClientBatch} of one {@code Send} frame, the same bytes), echoed by the
 *       server as one message each; the invocation writes 10,000 and waits for 10,000 echoes;
 *   <li>{@code eventBus}, the peer: Vert.x's event bus in this JVM (not over a socket: a
 *       clustered bus needs a cluster manager), {@code send} to a consumer that counts.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
@State(Scope.Benchmark)
public class RemoteChanBenchmark {
    static final int N = 10_000;
    private static final byte[] VALUE = new byte[16];

    private ChannelNode node;
    private RemoteClient producer;
    private RemoteClient consumer;
    private Channel<byte[]> out;
    private final AtomicLong received = new AtomicLong();
    private Thread receiver;
    private long target;

    private Vertx vertx;
    private HttpServer echoServer;
    private GrpcClientRequest<ClientBatch, NodeBatch> echo;
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong bused = new AtomicLong();
    private MessageConsumer<byte[]> busConsumer;
    private ClientBatch oneValue;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String token = UUID.randomUUID().toString();
        node = ChannelNode.start(NodeConfig.builder().token(token).build());
        RemoteClientOptions windows = RemoteClientOptions.builder().sendWindow(1024).prefetch(1024).build();
        producer = RemoteChans.connect(node.getAddress(), Credentials.token(token), windows);
        consumer = RemoteChans.connect(node.getAddress(), Credentials.token(token), windows);
        out = Channel.wrap(producer.chan("bench", 65_536, Codecs.bytes()));
        Channel<byte[]> in = Channel.wrap(consumer.chan("bench", 65_536, Codecs.bytes()));
        receiver = new Thread(() -> {
            try {
                while (true) {
                    in.receive();
                    received.incrementAndGet();
                }
            } catch (InterruptedException | RuntimeException e) {
                // the trial is over
            }
        }, "bench-consumer");
        receiver.setDaemon(true);
        receiver.start();

        vertx = Vertx.vertx();
        GrpcServer grpc = GrpcServer.server(vertx);
        grpc.callHandler(ChannelServiceGrpcService.Connect, req -> {
            NodeBatch reply = NodeBatch.getDefaultInstance();
            req.handler(b -> req.response().write(reply));
        });
        echoServer = vertx.createHttpServer().requestHandler(grpc).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        GrpcClient client = GrpcClient.client(vertx);
        echo = client.request(SocketAddress.inetSocketAddress(echoServer.actualPort(), "127.0.0.1"), ChannelServiceGrpcClient.Connect)
                .toCompletionStage().toCompletableFuture().get();
        echo.response().onSuccess(resp -> resp.handler(b -> echoed.incrementAndGet()));
        oneValue = ClientBatch.newBuilder()
                .addFrames(ClientFrame.newBuilder().setSend(Send.newBuilder().setHandle(1).setSeq(1).setPayload(ByteString.copyFrom(VALUE))))
                .build();
        busConsumer = vertx.eventBus().<byte[]>consumer("bench", m -> bused.incrementAndGet());
        busConsumer.completion().toCompletionStage().toCompletableFuture().get();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        receiver.interrupt();
        producer.close();
        consumer.close();
        node.close();
        echo.cancel();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void awaitCount(AtomicLong counter, long target) {
        while (counter.get() < target) LockSupport.parkNanos(10_000);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void conduit() throws InterruptedException {
        target += N;
        for (int i = 0; i < N; i++) {
            if (!out.trySend(VALUE)) out.send(VALUE);
        }
        awaitCount(received, target);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void grpcEcho() throws Exception {
        long goal = echoed.get() + N;
        CompletableFuture<Void> written = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            for (int i = 0; i < N; i++) echo.write(oneValue);
            written.complete(null);
        });
        written.get();
        awaitCount(echoed, goal);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void eventBus() {
        long goal = bused.get() + N;
        for (int i = 0; i < N; i++) vertx.eventBus().send("bench", VALUE);
        awaitCount(bused, goal);
    }
}
