package dev.conduit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.Clock;
import dev.conduit.chan.ClosedChannelException;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.java.chan.BatchChannel;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.PriorityChannel;
import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.chan.SendChannel;
import dev.conduit.java.chan.ShardedChannel;
import dev.conduit.java.chan.Ticker;
import dev.conduit.java.pipeline.Broadcast;
import dev.conduit.java.pipeline.Gather;
import dev.conduit.java.pipeline.Pipeline;
import dev.conduit.java.pipeline.Router;
import dev.conduit.java.pipeline.StageConfig;
import dev.conduit.java.pipeline.WorkStealingPool;
import dev.conduit.pipeline.Completion;
import dev.conduit.pipeline.FailurePolicy;
import dev.conduit.pipeline.Overflow;
import dev.conduit.pipeline.Scaling;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every factory and entry point of the channel and pipeline facade, called with bad input: zero,
 * negative or huge numbers, nulls, closed channels and broadcasts, an already-cancelled context,
 * a closed pipeline. Each case says which exception it must throw, at the call, and what its
 * message must contain: the parameter's name and, for a bad number, the value.
 */
@Timeout(60)
@SuppressWarnings("DataFlowIssue")
class BadInputTest {
    private static final Duration D = Duration.ofSeconds(1);
    private static final Clock CLOCK = Clock.system();
    private static final CancelContext CANCELLED = Context.background().withCancel();
    private static final Channel<String> CH = Channel.create(1);
    private static final Channel<String> CLOSED = Channel.create(1);
    private static final PriorityChannel<String> PRIORITY = PriorityChannel.create(3, 8, D);
    private static final PriorityChannel<String> CLOSED_PRIORITY = PriorityChannel.create(3, 8, D);
    private static final ShardedChannel<String> CLOSED_SHARDED = ShardedChannel.create(2, 2);
    private static final BatchChannel<String> CLOSED_BATCH = BatchChannel.create(2, D);
    private static final Ticker TICKER = Ticker.create(Duration.ofHours(1));
    private static final Pipeline PIPELINE = Pipeline.create();
    private static final Pipeline CLOSED_PIPELINE = Pipeline.create();
    private static final Broadcast<String> CLOSED_BROADCAST = Broadcast.create();
    private static final WorkStealingPool<String> POOL = PIPELINE.workStealing(2, (worker, item) -> {});
    private static final WorkStealingPool<String> CLOSED_POOL = PIPELINE.workStealing(2, (worker, item) -> {});
    private static final Router<String, String> ROUTER = PIPELINE.multiplexByKey(Channel.<String>create(), List.of("a"), s -> s);
    private static final Scaling TWO_TO_SIX = Scaling.of(2, 6, Duration.ofMillis(10));

    static {
        CANCELLED.cancel();
        CLOSED.close();
        CLOSED_PRIORITY.close();
        CLOSED_SHARDED.close();
        CLOSED_BATCH.close();
        CLOSED_PIPELINE.close();
        CLOSED_BROADCAST.close();
        CLOSED_POOL.close();
    }

    @AfterAll
    static void stop() {
        TICKER.stop();
        PIPELINE.cancel();
        PIPELINE.close();
    }

    /** A case: {@code call} must throw {@code type} whose message contains every one of {@code parts}. */
    private static Arguments bad(String name, Class<? extends Throwable> type, Executable call, String... parts) {
        return Arguments.of(Named.of(name, call), type, parts);
    }

    /** A null refused by name: the message is the parameter's name, as {@code Objects.requireNonNull(x, "x")}. */
    private static Arguments nul(String name, String parameter, Executable call) {
        return Arguments.of(Named.of(name, call), NullPointerException.class, new String[] {"=" + parameter});
    }

    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<IllegalStateException> ISE = IllegalStateException.class;
    private static final Class<ClosedChannelException> CLOSED_CHANNEL = ClosedChannelException.class;
    private static final Class<ContextCanceledException> CANCELED = ContextCanceledException.class;
    private static final Class<NullPointerException> NPE = NullPointerException.class;

    static Stream<Arguments> cases() {
        ReceiveChannel<String> in = Channel.create();
        return Stream.of(
                // Channel, SendChannel, ReceiveChannel
                bad("Channel.create(-1)", IAE, () -> Channel.create(-1), "capacity", "-1"),
                bad("Channel.create(MIN_VALUE)", IAE, () -> Channel.create(Integer.MIN_VALUE), "capacity", "-2147483648"),
                bad("Channel.spsc(0)", IAE, () -> Channel.spsc(0), "capacity", "0"),
                bad("Channel.spsc(1)", IAE, () -> Channel.spsc(1), "capacity", "1"),
                bad("Channel.spsc(-1)", IAE, () -> Channel.spsc(-1), "capacity", "-1"),
                bad("Channel.spsc(2^30 + 1)", IAE, () -> Channel.spsc((1 << 30) + 1), "capacity", "1073741825"),
                bad("Channel.spsc(MAX_VALUE)", IAE, () -> Channel.spsc(Integer.MAX_VALUE), "capacity", "2147483647"),
                nul("Channel.wrap(null)", "chan", () -> Channel.wrap(null)),
                nul("SendChannel.wrap(null)", "chan", () -> SendChannel.wrap(null)),
                nul("ReceiveChannel.wrap(null)", "chan", () -> ReceiveChannel.wrap(null)),
                nul("ReceiveChannel.after(null)", "delay", () -> ReceiveChannel.after(null)),
                nul("ReceiveChannel.after(d, null)", "clock", () -> ReceiveChannel.after(D, null)),
                nul("send(null)", "value", () -> CH.send(null)),
                nul("send(v, null timeout)", "timeout", () -> CH.send("v", (Duration) null)),
                nul("send(null ctx, v)", "ctx", () -> CH.send((Context) null, "v")),
                nul("trySend(null)", "value", () -> CH.trySend(null)),
                nul("sendAsync(null)", "value", () -> CH.sendAsync(null)),
                nul("sendAsync(null ctx, v)", "ctx", () -> CH.sendAsync((Context) null, "v")),
                nul("sendAsync(ctx, null)", "value", () -> CH.sendAsync(Context.background(), null)),
                nul("sendAsync(null, timeout)", "value", () -> CH.sendAsync(null, D)),
                nul("sendAsync(v, null timeout)", "timeout", () -> CH.sendAsync("v", (Duration) null)),
                nul("receiveAsync(null timeout)", "timeout", () -> CH.receiveAsync((Duration) null)),
                nul("receiveAsync(null ctx)", "ctx", () -> CH.receiveAsync((Context) null)),
                nul("receive(null timeout)", "timeout", () -> CH.receive((Duration) null)),
                nul("receive(null ctx)", "ctx", () -> CH.receive((Context) null)),
                bad("send on a closed channel", CLOSED_CHANNEL, () -> CLOSED.send("v"), "send on closed channel"),
                bad("timed send on a closed channel", CLOSED_CHANNEL, () -> CLOSED.send("v", D), "send on closed channel"),
                bad("context send on a closed channel", CLOSED_CHANNEL, () -> CLOSED.send(Context.background(), "v"), "send on closed channel"),
                bad("trySend on a closed channel", CLOSED_CHANNEL, () -> CLOSED.trySend("v"), "send on closed channel"),
                bad("receive on a closed channel", CLOSED_CHANNEL, CLOSED::receive, "receive from closed channel"),
                bad("close of a closed channel", ISE, CLOSED::close, "close of closed channel"),
                bad("close of a nil channel", ISE, () -> Channel.nil().close(), "close of nil channel"),
                bad("send with a cancelled context", CANCELED, () -> CH.send(CANCELLED, "v"), "context canceled"),
                // Channel.asBlockingQueue(): the core's view, whose nulls Kotlin's assertions name
                bad("asBlockingQueue() of an SPSC channel", IAE, () -> Channel.spsc(2).asBlockingQueue(), "Chan(capacity)"),
                bad("asBlockingQueue() of a nil channel", IAE, () -> Channel.nil().asBlockingQueue(), "Chan(capacity)"),
                bad("queue put(null)", NPE, () -> CH.asBlockingQueue().put(null), "parameter e"),
                bad("queue offer(null)", NPE, () -> CH.asBlockingQueue().offer(null), "parameter e"),
                bad("queue offer(null, t, unit)", NPE, () -> CH.asBlockingQueue().offer(null, 1, TimeUnit.SECONDS), "parameter e"),
                bad("queue offer(v, t, null)", NPE, () -> CH.asBlockingQueue().offer("v", 1, null), "parameter unit"),
                bad("queue poll(t, null)", NPE, () -> CH.asBlockingQueue().poll(1, null), "parameter unit"),
                bad("queue drainTo(null)", NPE, () -> CH.asBlockingQueue().drainTo(null), "parameter c"),
                bad("queue drainTo(itself)", IAE, () -> CH.asBlockingQueue().drainTo(CH.asBlockingQueue()), "itself"),
                bad("queue put on a closed channel", CLOSED_CHANNEL, () -> CLOSED.asBlockingQueue().put("v"), "send on closed channel"),
                bad("queue offer on a closed channel", CLOSED_CHANNEL, () -> CLOSED.asBlockingQueue().offer("v"), "send on closed channel"),
                bad("queue add on a closed channel", CLOSED_CHANNEL, () -> CLOSED.asBlockingQueue().add("v"), "send on closed channel"),
                bad("queue take on a closed channel", CLOSED_CHANNEL, () -> CLOSED.asBlockingQueue().take(), "receive from closed channel"),
                bad("receive with a cancelled context", CANCELED, () -> CH.receive(CANCELLED), "context canceled"),
                // PriorityChannel
                bad("PriorityChannel.create(0, 8, d)", IAE, () -> PriorityChannel.create(0, 8, D), "levels", "0"),
                bad("PriorityChannel.create(-1, 8, d)", IAE, () -> PriorityChannel.create(-1, 8, D), "levels", "-1"),
                bad("PriorityChannel.create(3, 0, d)", IAE, () -> PriorityChannel.create(3, 0, D), "capacity", "0"),
                bad("PriorityChannel.create(3, -1, d)", IAE, () -> PriorityChannel.create(3, -1, D), "capacity", "-1"),
                bad("PriorityChannel.create(3, 8, 0)", IAE, () -> PriorityChannel.create(3, 8, Duration.ZERO), "agingStep", "0s"),
                bad("PriorityChannel.create(3, 8, -1s)", IAE, () -> PriorityChannel.create(3, 8, Duration.ofSeconds(-1)), "agingStep", "-1s"),
                nul("PriorityChannel.create(3, 8, null)", "agingStep", () -> PriorityChannel.create(3, 8, null)),
                nul("PriorityChannel.create(3, 8, d, null)", "clock", () -> PriorityChannel.create(3, 8, D, null)),
                nul("PriorityChannel.wrap(null)", "channel", () -> PriorityChannel.wrap(null)),
                bad("send at priority 3 of 3", IAE, () -> PRIORITY.send("v", 3), "priority", "3"),
                bad("send at priority -1", IAE, () -> PRIORITY.send("v", -1), "priority", "-1"),
                bad("timed send at priority MAX_VALUE", IAE, () -> PRIORITY.send("v", Integer.MAX_VALUE, D), "priority", "2147483647"),
                bad("context send at priority 3", IAE, () -> PRIORITY.send(Context.background(), "v", 3), "priority", "3"),
                bad("trySend at priority 5", IAE, () -> PRIORITY.trySend("v", 5), "priority", "5"),
                bad("sendAsync at priority 9", IAE, () -> PRIORITY.sendAsync("v", 9), "priority", "9"),
                bad("priority send on a closed channel", CLOSED_CHANNEL, () -> CLOSED_PRIORITY.send("v", 1), "send on closed channel"),
                bad("priority send with a cancelled context", CANCELED, () -> PRIORITY.send(CANCELLED, "v", 1), "context canceled"),
                // ShardedChannel
                bad("ShardedChannel.create(0, 8)", IAE, () -> ShardedChannel.create(0, 8), "lanes", "0"),
                bad("ShardedChannel.create(-1, 8)", IAE, () -> ShardedChannel.create(-1, 8), "lanes", "-1"),
                bad("ShardedChannel.create(4, -1)", IAE, () -> ShardedChannel.create(4, -1), "capacityPerLane", "-1"),
                nul("ShardedChannel.wrap(null)", "channel", () -> ShardedChannel.wrap(null)),
                bad("keyed send on a closed channel", CLOSED_CHANNEL, () -> CLOSED_SHARDED.send("v", "k"), "send on closed channel"),
                bad("keyed send with a cancelled context", CANCELED, () -> ShardedChannel.<String>create(2, 2).send(CANCELLED, "v", "k"), "context canceled"),
                // BatchChannel
                bad("BatchChannel.create(0, d)", IAE, () -> BatchChannel.create(0, D), "batchSize", "0"),
                bad("BatchChannel.create(-1, d)", IAE, () -> BatchChannel.create(-1, D), "batchSize", "-1"),
                bad("BatchChannel.create(MAX, d)", IAE, () -> BatchChannel.create(Integer.MAX_VALUE, D), "batchSize", "2147483647"),
                bad("BatchChannel.create(2, d, 0)", IAE, () -> BatchChannel.create(2, D, 0), "capacity", "0"),
                bad("BatchChannel.create(2, d, -1)", IAE, () -> BatchChannel.create(2, D, -1), "capacity", "-1"),
                bad("BatchChannel.create(2, 0)", IAE, () -> BatchChannel.create(2, Duration.ZERO), "maxLatency", "0s"),
                bad("BatchChannel.create(2, -1ms)", IAE, () -> BatchChannel.create(2, Duration.ofMillis(-1)), "maxLatency", "-1ms"),
                nul("BatchChannel.create(2, null)", "maxLatency", () -> BatchChannel.create(2, null)),
                nul("BatchChannel.wrap(null)", "channel", () -> BatchChannel.wrap(null)),
                bad("batch send on a closed channel", CLOSED_CHANNEL, () -> CLOSED_BATCH.send("v"), "send on closed channel"),
                // Ticker
                bad("Ticker.create(0)", IAE, () -> Ticker.create(Duration.ZERO), "period", "0s"),
                bad("Ticker.create(-1s)", IAE, () -> Ticker.create(Duration.ofSeconds(-1)), "period", "-1s"),
                nul("Ticker.create(null)", "period", () -> Ticker.create(null)),
                nul("Ticker.create(d, null)", "clock", () -> Ticker.create(D, null)),
                nul("Ticker.wrap(null)", "ticker", () -> Ticker.wrap(null)),
                bad("ticker.reset(0)", IAE, () -> TICKER.reset(Duration.ZERO), "period", "0s"),
                nul("ticker.reset(null)", "period", () -> TICKER.reset(null)),
                // Go
                nul("Go.go(null)", "task", () -> Go.go(null)),
                nul("Go.go(null, task)", "ctx", () -> Go.go(null, () -> {})),
                // Pipeline
                nul("Pipeline.create(null)", "ctx", () -> Pipeline.create(null)),
                bad("Pipeline.create(cancelled)", CANCELED, () -> Pipeline.create(CANCELLED), "context canceled"),
                bad("a stage on a closed pipeline", ISE, () -> CLOSED_PIPELINE.generate(List.of("v")), "closed"),
                bad("generate(items, -1)", IAE, () -> PIPELINE.generate(List.of("v"), -1), "capacity", "-1"),
                bad("generate(generator, -1)", IAE, () -> PIPELINE.generate(out -> {}, -1), "capacity", "-1"),
                nul("generate(a list holding null)", "items[1]", () -> PIPELINE.generate(Arrays.asList("a", null))),
                bad("fromPublisher(p, -1)", IAE, () -> PIPELINE.fromPublisher(in.asPublisher(), -1), "capacity", "-1"),
                nul("map(in, null, fn)", "config", () -> PIPELINE.map(in, null, x -> x)),
                bad("take(in, -1)", IAE, () -> PIPELINE.take(in, -1), "n", "-1"),
                bad("tee(in, -1)", IAE, () -> PIPELINE.tee(in, -1), "capacity", "-1"),
                bad("batch(in, 0, d)", IAE, () -> PIPELINE.batch(in, 0, D), "size", "0"),
                bad("batch(in, 4, 0)", IAE, () -> PIPELINE.batch(in, 4, Duration.ZERO), "maxWait", "0s"),
                nul("merge(a list holding null)", "inputs[0]", () -> PIPELINE.merge(Arrays.asList((ReceiveChannel<String>) null))),
                bad("fanOut(in, 0, ...)", IAE, () -> PIPELINE.fanOut(in, 0, FailurePolicy.FailFast.INSTANCE, x -> x), "workers", "0"),
                bad("consume(in, 0, c)", IAE, () -> PIPELINE.consume(in, 0, x -> {}), "consumers", "0"),
                bad("workStealing(0, h)", IAE, () -> PIPELINE.workStealing(0, (w, x) -> {}), "workers", "0"),
                bad("workStealing(MAX, h)", IAE, () -> PIPELINE.workStealing(Integer.MAX_VALUE, (w, x) -> {}), "workers", "2147483647"),
                bad("workStealing(2, 0, h)", IAE, () -> PIPELINE.workStealing(2, 0, (w, x) -> {}), "capacity", "0"),
                bad("multiplex(in, no routes)", IAE, () -> PIPELINE.multiplex(in, Map.of()), "routes"),
                bad("multiplexByKey(in, no keys, k)", IAE, () -> PIPELINE.multiplexByKey(in, List.of(), x -> x), "keys"),
                nul("await(null)", "timeout", () -> PIPELINE.await(null)),
                // StageConfig
                bad("StageConfig workers(0)", IAE, () -> StageConfig.builder().workers(0), "workers", "0"),
                bad("StageConfig workers(-1)", IAE, () -> StageConfig.builder().workers(-1), "workers", "-1"),
                bad("StageConfig capacity(-1)", IAE, () -> StageConfig.builder().capacity(-1), "capacity", "-1"),
                bad("StageConfig workers outside the scaling", IAE, () -> StageConfig.builder().workers(7).scaling(TWO_TO_SIX).build(), "workers", "7"),
                nul("StageConfig scaling(null)", "scaling", () -> StageConfig.builder().scaling(null)),
                nul("StageConfig.builder(null)", "base", () -> StageConfig.builder(null)),
                // Broadcast, Subscription, WorkStealingPool, Router, Gather
                nul("Broadcast.create(null)", "listener", () -> Broadcast.create(null)),
                nul("Broadcast.wrap(null)", "broadcast", () -> Broadcast.wrap(null)),
                nul("subscribe(null)", "name", () -> Broadcast.create().subscribe(null)),
                bad("subscribe(name, -1, BLOCK)", IAE, () -> Broadcast.create().subscribe("s", -1, Overflow.BLOCK), "buffer", "-1"),
                bad("subscribe(name, 0, DROP_OLDEST)", IAE, () -> Broadcast.create().subscribe("s", 0, Overflow.DROP_OLDEST), "buffer", "0"),
                nul("subscribe(name, 1, null)", "overflow", () -> Broadcast.create().subscribe("s", 1, null)),
                bad("publish on a closed broadcast", ISE, () -> CLOSED_BROADCAST.publish("v"), "publish on closed broadcast"),
                bad("subscribe to a closed broadcast", ISE, () -> CLOSED_BROADCAST.subscribe("s"), "subscribe to closed broadcast"),
                bad("submitTo(2, item) of 2 workers", IAE, () -> POOL.submitTo(2, "v"), "worker", "2"),
                bad("submitTo(-1, item)", IAE, () -> POOL.submitTo(-1, "v"), "worker", "-1"),
                bad("submit to a closed pool", ISE, () -> CLOSED_POOL.submit("v"), "submit to closed pool"),
                nul("router.get(null)", "key", () -> ROUTER.get(null)),
                bad("router.get(no such route)", IAE, () -> ROUTER.get("nope"), "nope"),
                nul("Gather.create(null, d, c)", "sources", () -> Gather.create(null, D, Completion.All.INSTANCE)),
                bad("Gather.create(no sources, d, c)", IAE, () -> Gather.create(List.of(), D, Completion.All.INSTANCE), "sources"),
                nul("Gather.create(a list holding null, d, c)", "sources[0]",
                        () -> Gather.create(Arrays.asList((ReceiveChannel<String>) null), D, Completion.All.INSTANCE)),
                bad("Gather.create(s, 0, c)", IAE, () -> Gather.create(List.of(in), Duration.ZERO, Completion.All.INSTANCE), "perSourceTimeout", "PT0S"),
                bad("Gather.create(s, -1s, c)", IAE, () -> Gather.create(List.of(in), Duration.ofSeconds(-1), Completion.All.INSTANCE), "perSourceTimeout", "PT-1S"),
                nul("Gather.create(s, null, c)", "perSourceTimeout", () -> Gather.create(List.of(in), null, Completion.All.INSTANCE)),
                nul("Gather.create(s, d, null)", "completion", () -> Gather.create(List.of(in), D, null)),
                bad("Gather.create(1 source, d, firstK(2))", IAE, () -> Gather.create(List.of(in), D, Completion.firstK(2)), "completion", "FirstK(2)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedAtTheCallByName(Executable call, Class<? extends Throwable> type, String[] parts) {
        Throwable e = assertThrows(type, call);
        String message = String.valueOf(e.getMessage());
        for (String part : parts) {
            if (part.startsWith("=")) assertEquals(part.substring(1), message, "the message is the parameter's name");
            else assertTrue(message.contains(part), "'" + message + "' names '" + part + "'");
        }
    }

    /** The edges that are not bad: zero and huge where they mean something. */
    @Test
    void zeroAndHugeWhereTheyAreAllowed() throws Exception {
        assertEquals(0, Channel.create(0).cap(), "0: unbuffered");
        Channel<Integer> unbounded = Channel.create(Integer.MAX_VALUE);
        for (int i = 0; i < 10_000; i++) assertTrue(unbounded.trySend(i), "MAX_VALUE: unbounded");
        assertEquals(2, Channel.spsc(2).cap());
        assertEquals(4, Channel.spsc(3).cap(), "rounded up to a power of two");
        assertEquals(Integer.MAX_VALUE, PriorityChannel.create(1, Integer.MAX_VALUE, Duration.ofNanos(1)).cap());
        assertEquals(0, ShardedChannel.create(1, 0).cap(), "unbuffered lanes");
        assertEquals(Integer.MAX_VALUE, ShardedChannel.create(2, Integer.MAX_VALUE).cap(), "clamped");
        BatchChannel<Integer> one = BatchChannel.create(1, Duration.ofNanos(1), 1);
        one.send(1);
        assertEquals(List.of(1), one.receiveList());
        one.close();
        StageConfig big = StageConfig.builder().workers(Integer.MAX_VALUE).capacity(Integer.MAX_VALUE).build();
        assertEquals(Integer.MAX_VALUE, big.workers());
        try (Ticker fast = Ticker.create(Duration.ofNanos(1), new ManualClock())) {
            assertEquals(null, fast.channel().tryReceiveOk());
        }
        Broadcast.create().subscribe("unbuffered", 0, Overflow.BLOCK).unsubscribe();
    }
}
