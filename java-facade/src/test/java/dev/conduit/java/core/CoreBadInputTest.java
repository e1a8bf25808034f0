package dev.conduit.java.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.chan.Chan;
import dev.conduit.chan.ChanBlockingQueueKt;
import dev.conduit.chan.ChanKt;
import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.PriorityChannel;
import dev.conduit.chan.ShardedChan;
import dev.conduit.chan.SpscChanKt;
import dev.conduit.chan.spi.Selection;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.pipeline.Broadcast;
import dev.conduit.pipeline.Completion;
import dev.conduit.pipeline.ConsumersKt;
import dev.conduit.pipeline.FailurePolicy;
import dev.conduit.pipeline.GeneratorsKt;
import dev.conduit.pipeline.OrDoneKt;
import dev.conduit.pipeline.Overflow;
import dev.conduit.pipeline.RouteBuilder;
import dev.conduit.pipeline.RouterKt;
import dev.conduit.pipeline.Scaling;
import dev.conduit.pipeline.WorkStealingPool;
import dev.conduit.resilience.RateLimiter;
import dev.conduit.ring.IpcChannel;
import dev.conduit.ring.MpmcRing;
import dev.conduit.ring.MpscRing;
import dev.conduit.ring.RingBuffer;
import dev.conduit.ring.SpscRing;
import dev.conduit.sync.Barrier;
import dev.conduit.sync.Cond;
import dev.conduit.sync.ErrGroup;
import dev.conduit.sync.Mutex;
import dev.conduit.sync.RWMutex;
import dev.conduit.sync.Semaphore;
import dev.conduit.sync.WaitGroup;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import kotlin.Unit;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.JobKt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The core's Java-visible entry points (runtime-kt, called directly, not through the facade) with bad
 * input: zero, negative and huge numbers, closed channels and broadcasts, misused locks, an
 * already-cancelled context. Each case says which exception it must throw, at the call, and what its
 * message must contain: the parameter's name and, for a bad number, the value. (Nulls are
 * {@link CoreNullPointerTest}'s.)
 */
@Timeout(60)
class CoreBadInputTest {
    @TempDir
    static Path dir;

    private static final Duration D = Duration.ofSeconds(1);
    private static final int HUGE = Integer.MAX_VALUE;
    private static final CoroutineScope SCOPE = CoroutineScopeKt.CoroutineScope(JobKt.Job(null));
    private static final CancelContext CANCELLED = Context.background().withCancel();
    private static final Chan<String> CLOSED = ChanKt.Chan(1);
    private static final PriorityChannel<String> PRIORITY = PriorityChannel.create(3, 8, D);
    private static final PriorityChannel<String> CLOSED_PRIORITY = PriorityChannel.create(3, 8, D);
    private static final ShardedChan<String> CLOSED_SHARDED = new ShardedChan<>(2, 2);
    private static final Broadcast<String> CLOSED_BROADCAST = new Broadcast<>();
    private static final Mutex HELD = new Mutex();
    private static final Semaphore EXHAUSTED = new Semaphore(1);
    private static final RateLimiter CLOSED_LIMITER = new RateLimiter(1.0, 1);

    static {
        CANCELLED.cancel();
        CLOSED.close();
        CLOSED_PRIORITY.close();
        CLOSED_SHARDED.close();
        CLOSED_BROADCAST.close();
        HELD.tryLock();
        EXHAUSTED.tryAcquire(1);
        CLOSED_LIMITER.close();
    }

    @AfterAll
    static void stop() {
        JobKt.cancel(SCOPE.getCoroutineContext(), null);
    }

    /** A case: {@code call} must throw {@code type} whose message contains every one of {@code parts}. */
    private static Arguments bad(String name, Class<? extends Throwable> type, Executable call, String... parts) {
        return Arguments.of(Named.of(name, call), type, parts);
    }

    private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
    private static final Class<IllegalStateException> ISE = IllegalStateException.class;
    private static final Class<ClosedChannelException> CLOSED_CHANNEL = ClosedChannelException.class;
    private static final Class<ContextCanceledException> CANCELED = ContextCanceledException.class;

    static Stream<Arguments> cases() {
        Chan<String> in = ChanKt.Chan(0);
        return Stream.of(channels(in), sync(), pipeline(in), rings()).flatMap(s -> s);
    }

    private static Stream<Arguments> channels(Chan<String> in) {
        return Stream.of(
                bad("Chan(-1)", IAE, () -> ChanKt.Chan(-1), "capacity", "-1"),
                bad("Chan(MIN_VALUE)", IAE, () -> ChanKt.Chan(Integer.MIN_VALUE), "capacity", "-2147483648"),
                bad("SpscChan(0)", IAE, () -> SpscChanKt.SpscChan(0), "capacity", "0"),
                bad("SpscChan(1)", IAE, () -> SpscChanKt.SpscChan(1), "capacity", "1"),
                bad("SpscChan(-1)", IAE, () -> SpscChanKt.SpscChan(-1), "capacity", "-1"),
                bad("SpscChan(2^30 + 1)", IAE, () -> SpscChanKt.SpscChan((1 << 30) + 1), "capacity", "1073741825"),
                bad("SpscChan(MAX_VALUE)", IAE, () -> SpscChanKt.SpscChan(HUGE), "capacity", "2147483647"),
                bad("SpscChan(4, spins -1)", IAE, () -> SpscChanKt.SpscChan(4, -1), "spins", "-1"),
                bad("SpscChan(4, 0, yields -1)", IAE, () -> SpscChanKt.SpscChan(4, 0, -1), "yields", "-1"),
                bad("trySend on a closed channel", CLOSED_CHANNEL, () -> CLOSED.trySend("v"), "send on closed channel"),
                bad("close of a closed channel", ISE, CLOSED::close, "close of closed channel"),
                bad("close of a nil channel", ISE, () -> ChanKt.nilChan().close(), "close of nil channel"),
                bad("trySend on a closed SpscChan", CLOSED_CHANNEL, () -> closed(SpscChanKt.SpscChan(4)).trySend("v"), "send on closed channel"),
                bad("asBlockingQueue() of a SpscChan", IAE, () -> ChanBlockingQueueKt.asBlockingQueue(SpscChanKt.SpscChan(4)), "Chan(capacity)"),
                bad("asBlockingQueue() of a ShardedChan", IAE, () -> ChanBlockingQueueKt.asBlockingQueue(new ShardedChan<>(2, 2)), "Chan(capacity)"),
                bad("asBlockingQueue() of a nil channel", IAE, () -> ChanBlockingQueueKt.asBlockingQueue(ChanKt.nilChan()), "Chan(capacity)"),
                bad("queue put on a closed Chan", CLOSED_CHANNEL, () -> ChanBlockingQueueKt.asBlockingQueue(CLOSED).put("v"), "send on closed channel"),
                // PriorityChannel
                bad("PriorityChannel.create(0, 8, d)", IAE, () -> PriorityChannel.create(0, 8, D), "levels", "0"),
                bad("PriorityChannel.create(-1, 8, d)", IAE, () -> PriorityChannel.create(-1, 8, D), "levels", "-1"),
                bad("PriorityChannel.create(MAX_VALUE, 8, d)", IAE, () -> PriorityChannel.create(HUGE, 8, D), "levels", "2147483647"),
                bad("PriorityChannel.create(3, 0, d)", IAE, () -> PriorityChannel.create(3, 0, D), "capacity", "0"),
                bad("PriorityChannel.create(3, -1, d)", IAE, () -> PriorityChannel.create(3, -1, D), "capacity", "-1"),
                bad("PriorityChannel.create(3, 8, 0)", IAE, () -> PriorityChannel.create(3, 8, Duration.ZERO), "agingStep", "0s"),
                bad("PriorityChannel.create(3, 8, -1s)", IAE, () -> PriorityChannel.create(3, 8, Duration.ofSeconds(-1)), "agingStep", "-1s"),
                bad("trySend at priority 3 of 3", IAE, () -> PRIORITY.trySend("v", 3), "priority", "3"),
                bad("trySend at priority -1", IAE, () -> PRIORITY.trySend("v", -1), "priority", "-1"),
                bad("sendBlocking at priority MAX_VALUE", IAE, () -> PRIORITY.sendBlocking("v", HUGE), "priority", "2147483647"),
                bad("sendFuture at priority 9", IAE, () -> PRIORITY.sendFuture("v", 9), "priority", "9"),
                bad("priority trySend on a closed channel", CLOSED_CHANNEL, () -> CLOSED_PRIORITY.trySend("v", 1), "send on closed channel"),
                bad("priority sendBlocking with a cancelled context", CANCELED, () -> full(PriorityChannel.<String>create(1, 1, D)).sendBlocking("v", 0, CANCELLED), "context canceled"),
                // ShardedChan
                bad("ShardedChan(0, 8)", IAE, () -> new ShardedChan<>(0, 8), "lanes", "0"),
                bad("ShardedChan(-1, 8)", IAE, () -> new ShardedChan<>(-1, 8), "lanes", "-1"),
                bad("ShardedChan(MAX_VALUE, 0)", IAE, () -> new ShardedChan<>(HUGE, 0), "lanes", "2147483647"),
                bad("ShardedChan(4, -1)", IAE, () -> new ShardedChan<>(4, -1), "capacityPerLane", "-1"),
                bad("keyed trySend on a closed channel", CLOSED_CHANNEL, () -> CLOSED_SHARDED.trySend("v", "k"), "send on closed channel"),
                bad("sharded sendBlocking with a cancelled context", CANCELED, () -> new ShardedChan<String>(1, 0).sendBlocking("v", "k", CANCELLED), "context canceled"),
                // Selection (the select SPI)
                bad("Selection(false, -1)", IAE, () -> new Selection(false, -1), "expectedCases", "-1"),
                bad("selectBlocking with a cancelled context", CANCELED, () -> receiving(in).selectBlocking(false, Long.MAX_VALUE, CANCELLED), "context canceled"));
    }

    private static Stream<Arguments> sync() {
        return Stream.of(
                bad("Semaphore(0)", IAE, () -> new Semaphore(0), "capacity", "0"),
                bad("Semaphore(-1)", IAE, () -> new Semaphore(-1), "capacity", "-1"),
                bad("tryAcquire(-1)", IAE, () -> new Semaphore(3).tryAcquire(-1), "n", "-1"),
                bad("tryAcquire(MIN_VALUE)", IAE, () -> new Semaphore(3).tryAcquire(Long.MIN_VALUE), "n", "-9223372036854775808"),
                bad("acquireBlocking(ctx, capacity + 1)", IAE, () -> new Semaphore(3).acquireBlocking(null, 4), "n", "4"),
                bad("acquireBlocking(ctx, -1)", IAE, () -> new Semaphore(3).acquireBlocking(null, -1), "n", "-1"),
                bad("release(-1)", IAE, () -> new Semaphore(3).release(-1), "n", "-1"),
                bad("release of a permit not held", ISE, () -> new Semaphore(3).release(1), "released 1 permit(s) but only 0 are held"),
                bad("acquireBlocking with a cancelled context", CANCELED, () -> EXHAUSTED.acquireBlocking(CANCELLED), "context canceled"),
                bad("Barrier(0)", IAE, () -> new Barrier(0), "parties", "0"),
                bad("Barrier(-1)", IAE, () -> new Barrier(-1), "parties", "-1"),
                bad("awaitBlocking with a cancelled context", CANCELED, () -> new Barrier(2).awaitBlocking(CANCELLED), "context canceled"),
                bad("WaitGroup add(-1) from 0", ISE, () -> new WaitGroup().add(-1), "negative WaitGroup counter", "-1"),
                bad("WaitGroup done() at 0", ISE, () -> new WaitGroup().done(), "negative WaitGroup counter"),
                bad("unlock of an unlocked mutex", ISE, () -> new Mutex().unlock(), "unlock of unlocked mutex"),
                bad("lockBlocking with a cancelled context", CANCELED, () -> HELD.lockBlocking(CANCELLED), "context canceled"),
                bad("unlock of an unlocked RWMutex", ISE, () -> new RWMutex().unlock(), "unlock of unlocked RWMutex"),
                bad("rUnlock of an unlocked RWMutex", ISE, () -> new RWMutex().rUnlock(), "rUnlock of unlocked RWMutex"),
                bad("Cond await without the mutex", ISE, () -> new Cond(new Mutex()).awaitBlocking(), "mutex is not held"),
                bad("ErrGroup setLimit(0)", IAE, () -> new ErrGroup().setLimit(0), "limit", "0"),
                // RateLimiter
                bad("RateLimiter(-1, 1)", IAE, () -> new RateLimiter(-1.0, 1), "rate", "-1.0"),
                bad("RateLimiter(NaN, 1)", IAE, () -> new RateLimiter(Double.NaN, 1), "rate", "NaN"),
                bad("RateLimiter(1, -1)", IAE, () -> new RateLimiter(1.0, -1), "burst", "-1"),
                bad("allowN(-1)", IAE, () -> new RateLimiter(1.0, 1).allowN(-1), "n", "-1"),
                bad("reserveN(MIN_VALUE)", IAE, () -> new RateLimiter(1.0, 1).reserveN(Integer.MIN_VALUE), "n", "-2147483648"),
                bad("setRate(-1)", IAE, () -> new RateLimiter(1.0, 1).setRate(-1.0), "rate", "-1.0"),
                bad("setBurst(-1)", IAE, () -> new RateLimiter(1.0, 1).setBurst(-1), "burst", "-1"),
                bad("allow on a closed limiter", ISE, CLOSED_LIMITER::allow, "closed"));
    }

    private static Stream<Arguments> pipeline(Chan<String> in) {
        return Stream.of(
                bad("Scaling.of(0, 2, d)", IAE, () -> Scaling.of(0, 2, D), "min", "0"),
                bad("Scaling.of(3, 2, d)", IAE, () -> Scaling.of(3, 2, D), "max", "2"),
                bad("Scaling.of(1, 2, 0)", IAE, () -> Scaling.of(1, 2, Duration.ZERO), "interval", "0s"),
                bad("Scaling.of(1, 2, d, l, growAtBacklog 0)", IAE, () -> Scaling.of(1, 2, D, null, 0), "growAtBacklog", "0"),
                bad("Scaling.of(1, 2, d, l, 1, idleSamples 0)", IAE, () -> Scaling.of(1, 2, D, null, 1, 0), "idleSamples", "0"),
                bad("Completion.firstK(0)", IAE, () -> Completion.firstK(0), "k", "0"),
                bad("FailurePolicy.retry(0)", IAE, () -> FailurePolicy.retry(0), "times", "0"),
                bad("FailurePolicy.retry(1, -1s, then)", IAE, () -> FailurePolicy.retry(1, Duration.ofSeconds(-1), FailurePolicy.FailFast.INSTANCE), "backoff", "-1s"),
                bad("FailurePolicy.retry(1, d, retry)", IAE, () -> FailurePolicy.retry(1, D, FailurePolicy.retry(1)), "then", "Retry"),
                bad("subscribe(name, -1)", IAE, () -> new Broadcast<String>().subscribe("s", -1), "buffer", "-1"),
                bad("subscribe(name, 0, DROP_OLDEST)", IAE, () -> new Broadcast<String>().subscribe("s", 0, Overflow.DROP_OLDEST), "buffer", "0"),
                bad("subscribe to a closed broadcast", ISE, () -> CLOSED_BROADCAST.subscribe("s"), "subscribe to closed broadcast"),
                bad("WorkStealingPool(0 workers)", IAE, () -> new WorkStealingPool<String>(SCOPE, 0, 4, (w, x, c) -> Unit.INSTANCE), "workers", "0"),
                bad("WorkStealingPool(capacity 0)", IAE, () -> new WorkStealingPool<String>(SCOPE, 2, 0, (w, x, c) -> Unit.INSTANCE), "capacity", "0"),
                bad("WorkStealingPool(MAX_VALUE workers)", IAE, () -> new WorkStealingPool<String>(SCOPE, HUGE, 4, (w, x, c) -> Unit.INSTANCE), "workers", "2147483647"),
                bad("route(name, -1, p)", IAE, () -> routes().route("a", -1, x -> true), "capacity", "-1"),
                bad("route declared twice", IAE, () -> twice(routes()), "route a"),
                bad("multiplex with no routes", IAE, () -> RouterKt.multiplex(SCOPE, in, 1, b -> Unit.INSTANCE), "route"),
                bad("multiplexByKey with no keys", IAE, () -> RouterKt.multiplexByKey(SCOPE, in, List.of(), 1, 1, x -> x), "keys"),
                bad("multiplexByKey(capacity -1)", IAE, () -> RouterKt.multiplexByKey(SCOPE, in, List.of("a"), -1, 1, x -> x), "capacity", "-1"),
                bad("multiplexByKey(deadLetterCapacity -1)", IAE, () -> RouterKt.multiplexByKey(SCOPE, in, List.of("a"), 1, -1, x -> x), "deadLetterCapacity", "-1"),
                bad("take(in, -1)", IAE, () -> OrDoneKt.take(SCOPE, in, -1), "n", "-1"),
                bad("generateFrom(items, -1)", IAE, () -> GeneratorsKt.generateFrom(SCOPE, List.of("v"), -1), "capacity", "-1"),
                bad("consume(in, 0 consumers)", IAE, () -> ConsumersKt.consume(SCOPE, in, 0, (x, c) -> Unit.INSTANCE), "consumers", "0"));
    }

    private static Stream<Arguments> rings() {
        return Stream.of(
                bad("SpscRing(0)", IAE, () -> new SpscRing<>(0), "capacity", "0"),
                bad("SpscRing(1)", IAE, () -> new SpscRing<>(1), "capacity", "1"),
                bad("MpscRing(-1)", IAE, () -> new MpscRing<>(-1), "capacity", "-1"),
                bad("MpmcRing(2^30 + 1)", IAE, () -> new MpmcRing<>((1 << 30) + 1), "capacity", "1073741825"),
                bad("RingBuffer.spsc(MAX_VALUE)", IAE, () -> RingBuffer.spsc(HUGE), "capacity", "2147483647"),
                bad("fill(s, -1)", IAE, () -> new SpscRing<String>(4).fill(() -> "v", -1), "limit", "-1"),
                bad("drain(c, -1)", IAE, () -> new MpmcRing<String>(4).drain(x -> {}, -1), "limit", "-1"),
                bad("IpcChannel.create(f, 0)", IAE, () -> IpcChannel.create(dir.resolve("zero"), 0), "capacity", "0"),
                bad("IpcChannel.create(f, -1)", IAE, () -> IpcChannel.create(dir.resolve("negative"), -1), "capacity", "-1"),
                bad("IpcChannel.create(f, 4097)", IAE, () -> IpcChannel.create(dir.resolve("odd"), 4097), "capacity", "4097"),
                bad("IpcChannel.create(f, MAX_VALUE)", IAE, () -> IpcChannel.create(dir.resolve("huge"), HUGE), "capacity", "2147483647"),
                bad("IpcChannel.open(no such file)", NoSuchFileException.class, () -> IpcChannel.open(dir.resolve("absent")), "absent"),
                bad("offer(a record over maxRecord)", IAE, () -> offerHuge(), "record of", "bytes exceeds the maximum"),
                bad("offer(record, -1, 2)", IndexOutOfBoundsException.class, () -> offerOutOfRange(), "-1"));
    }

    private static <C extends dev.conduit.chan.SendChan<String>> C closed(C chan) {
        chan.close();
        return chan;
    }

    private static PriorityChannel<String> full(PriorityChannel<String> chan) {
        chan.trySend("full", 0);
        return chan;
    }

    private static Selection receiving(Chan<String> in) {
        Selection s = new Selection();
        s.receive(in);
        return s;
    }

    /** A route builder as multiplex hands one to its block (its constructor is internal). */
    private static RouteBuilder<String> routes() {
        @SuppressWarnings("unchecked")
        RouteBuilder<String>[] builder = new RouteBuilder[1];
        RouterKt.multiplex(SCOPE, ChanKt.<String>Chan(0), 1, b -> {
            builder[0] = b;
            b.route("only", 1, x -> true);
            return Unit.INSTANCE;
        });
        return builder[0];
    }

    private static void twice(RouteBuilder<String> routes) {
        routes.route("a", 1, x -> true);
        routes.route("a", 1, x -> true);
    }

    private static void offerHuge() throws IOException {
        try (IpcChannel ipc = IpcChannel.create(dir.resolve("big"), 4096)) {
            ipc.writer().offer(new byte[ipc.maxRecord() + 1]);
        }
    }

    private static void offerOutOfRange() throws IOException {
        try (IpcChannel ipc = IpcChannel.create(dir.resolve("range"), 4096)) {
            ipc.writer().offer(new byte[4], -1, 2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedAtTheCallByName(Executable call, Class<? extends Throwable> type, String[] parts) {
        Throwable e = assertThrows(type, call);
        String message = String.valueOf(e.getMessage());
        for (String part : parts) assertTrue(message.contains(part), "'" + message + "' names '" + part + "'");
    }

    /** The edges that are not bad: zero and huge where they mean something. */
    @Test
    void zeroAndHugeWhereTheyAreAllowed() throws Exception {
        assertEquals(0, ChanKt.Chan(0).getCap(), "0: unbuffered");
        Chan<Integer> unbounded = ChanKt.Chan(HUGE);
        for (int i = 0; i < 10_000; i++) assertTrue(unbounded.trySend(i), "MAX_VALUE: unbounded");
        assertEquals(4, SpscChanKt.SpscChan(3).getCap(), "rounded up to a power of two");
        assertEquals(HUGE, PriorityChannel.create(1, HUGE, Duration.ofNanos(1)).getCap());
        assertEquals(0, new ShardedChan<>(1, 0).getCap(), "unbuffered lanes");
        assertEquals(HUGE, new ShardedChan<>(2, HUGE).getCap(), "clamped");
        assertTrue(new Semaphore(Long.MAX_VALUE).tryAcquire(Long.MAX_VALUE), "every permit of the largest semaphore");
        assertTrue(new Semaphore(3).tryAcquire(0), "no permits: always granted");
        assertFalse(new Semaphore(3).tryAcquire(4), "more than the capacity: false, as Go");
        assertFalse(new Semaphore(3).tryAcquire(Long.MAX_VALUE), "more than the capacity: false, as Go");
        assertEquals(HUGE, new Barrier(HUGE).getParties());
        new ErrGroup().setLimit(-1); // negative: no limit
        assertTrue(new RateLimiter(Double.POSITIVE_INFINITY, 0).allowN(HUGE), "an infinite rate allows any n");
        assertFalse(new RateLimiter(1.0, 1).allowN(2), "more than the burst: false, as Go");
        assertFalse(new RateLimiter(1.0, 1).reserveN(HUGE).isOk(), "more than the burst: not ok, as Go");
        assertEquals(0, new Selection(false, 0).getSize(), "no expected cases: it grows");
        assertEquals(0, new Selection(false, HUGE).getSize(), "a huge hint allocates only what is used");
    }
}
