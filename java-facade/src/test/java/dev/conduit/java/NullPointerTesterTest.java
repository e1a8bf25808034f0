package dev.conduit.java;

import com.google.common.testing.NullPointerTester;
import dev.conduit.Clock;
import dev.conduit.context.Context;
import dev.conduit.java.chan.BatchChannel;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.PriorityChannel;
import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.chan.Select;
import dev.conduit.java.chan.SendChannel;
import dev.conduit.java.chan.ShardedChannel;
import dev.conduit.java.chan.Ticker;
import dev.conduit.java.pipeline.Broadcast;
import dev.conduit.java.pipeline.FanOut;
import dev.conduit.java.pipeline.Gather;
import dev.conduit.java.pipeline.Pipeline;
import dev.conduit.java.pipeline.Router;
import dev.conduit.java.pipeline.StageConfig;
import dev.conduit.java.pipeline.Subscription;
import dev.conduit.java.pipeline.WorkStealingPool;
import dev.conduit.pipeline.Completion;
import dev.conduit.pipeline.FailurePolicy;
import dev.conduit.pipeline.Overflow;
import dev.conduit.pipeline.Scaling;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guava's {@link NullPointerTester} over every public class of the channel and pipeline facade:
 * each public method and factory, given a null for any parameter not marked {@code @Nullable},
 * throws {@link NullPointerException} at once (before blocking or changing anything).
 */
@Timeout(60)
class NullPointerTesterTest {
    private final NullPointerTester tester = new NullPointerTester()
            .setDefault(Duration.class, Duration.ofMillis(1))
            .setDefault(Context.class, Context.background())
            .setDefault(Clock.class, Clock.system())
            .setDefault(ReceiveChannel.class, Channel.create(1))
            .setDefault(SendChannel.class, Channel.create(1))
            .setDefault(Channel.class, Channel.create(1))
            .setDefault(StageConfig.class, StageConfig.defaults())
            .setDefault(Scaling.class, Scaling.of(1, 2, Duration.ofMillis(10)))
            .setDefault(FailurePolicy.class, FailurePolicy.FailFast.INSTANCE)
            .setDefault(Completion.class, Completion.All.INSTANCE)
            .setDefault(Overflow.class, Overflow.BLOCK);

    @Test
    void everyStaticFactoryRefusesNulls() {
        for (Class<?> c : List.of(Channel.class, SendChannel.class, ReceiveChannel.class, PriorityChannel.class,
                ShardedChannel.class, BatchChannel.class, Ticker.class, Select.class, Go.class, Goroutines.class, ContextThreads.class, Pipeline.class,
                StageConfig.class, Broadcast.class, Subscription.class, FanOut.class, Router.class,
                WorkStealingPool.class, Gather.class)) {
            tester.testAllPublicStaticMethods(c);
        }
    }

    @Test
    void everyChannelKindRefusesNulls() {
        tester.testAllPublicInstanceMethods(Channel.create(4));
        tester.testAllPublicInstanceMethods(Channel.nil());
        tester.testAllPublicInstanceMethods(Channel.spsc(4));
        tester.testAllPublicInstanceMethods(SendChannel.wrap(Channel.<String>create(4).unwrap()));
        tester.testAllPublicInstanceMethods(ReceiveChannel.wrap(Channel.<String>create(4).unwrap()));
        tester.testAllPublicInstanceMethods(PriorityChannel.create(3, 4, Duration.ofSeconds(1)));
        tester.testAllPublicInstanceMethods(ShardedChannel.create(2, 4));
        BatchChannel<String> batches = BatchChannel.create(2, Duration.ofSeconds(1));
        tester.testAllPublicInstanceMethods(batches);
        batches.close(); // its flusher would otherwise wait for ever (a leaked coroutine, with detection on)
        tester.testAllPublicInstanceMethods(ReceiveChannel.after(Duration.ofHours(1)));
        try (Ticker ticker = Ticker.create(Duration.ofHours(1))) {
            tester.testAllPublicInstanceMethods(ticker);
        }
        tester.testAllPublicInstanceMethods(Select.create());
    }

    /**
     * A channel's {@code BlockingQueue} view refuses null elements and collections; its null
     * queries, {@code contains(null)} and {@code remove(null)}, are false instead, as the JDK
     * queues' are (checked in ChannelBlockingQueueTest).
     */
    @Test
    void theBlockingQueueViewRefusesNulls() throws Exception {
        for (int capacity : new int[] {0, 4}) {
            BlockingQueue<String> q = Channel.<String>create(capacity).asBlockingQueue();
            NullPointerTester viewTester = new NullPointerTester()
                    .setDefault(TimeUnit.class, TimeUnit.MILLISECONDS)
                    .ignore(q.getClass().getMethod("contains", Object.class))
                    .ignore(q.getClass().getMethod("remove", Object.class));
            viewTester.testAllPublicInstanceMethods(q);
        }
    }

    @Test
    void goroutineTypesRefuseNulls() throws Exception {
        tester.testAllPublicInstanceMethods(Goroutines.builder());
        Goroutines launcher = Goroutines.builder().name("npe").build();
        tester.testAllPublicInstanceMethods(launcher);
        Goroutine g = launcher.go(() -> {});
        g.join();
        tester.testAllPublicInstanceMethods(g);
        try (ContextThreads.Interruption scope = ContextThreads.interruptOnDone(Context.background())) {
            tester.testAllPublicInstanceMethods(scope);
        }
    }

    @Test
    void everyPipelineTypeRefusesNulls() throws Exception {
        tester.testAllPublicInstanceMethods(StageConfig.builder());
        tester.testAllPublicInstanceMethods(StageConfig.defaults());
        Broadcast<String> broadcast = Broadcast.create();
        tester.testAllPublicInstanceMethods(broadcast);
        tester.testAllPublicInstanceMethods(broadcast.subscribe("s"));
        tester.testAllPublicInstanceMethods(Gather.create(List.of(Channel.create(1)), Duration.ofSeconds(1), Completion.All.INSTANCE));
        try (Pipeline p = Pipeline.create()) {
            tester.testAllPublicInstanceMethods(p);
            tester.testAllPublicInstanceMethods(p.workStealing(2, (worker, item) -> {}));
            tester.testAllPublicInstanceMethods(p.fanOut(Channel.create(), 1, FailurePolicy.FailFast.INSTANCE, x -> x));
            tester.testAllPublicInstanceMethods(p.multiplexByKey(Channel.<String>create(), List.of("a"), s -> s));
            p.cancel();
        }
    }
}
