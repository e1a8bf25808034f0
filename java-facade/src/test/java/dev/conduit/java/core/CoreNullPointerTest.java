package dev.conduit.java.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.testing.NullPointerTester;
import dev.conduit.Clock;
import dev.conduit.chan.Chan;
import dev.conduit.chan.ChanKt;
import dev.conduit.chan.ReceiveChan;
import dev.conduit.chan.SelectScope;
import dev.conduit.chan.SendChan;
import dev.conduit.chan.spi.ChannelSource;
import dev.conduit.chan.spi.OperationFuture;
import dev.conduit.chan.spi.Selection;
import dev.conduit.chan.spi.WaitQueue;
import dev.conduit.context.AfterFuncContext;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.pipeline.BroadcastListener;
import dev.conduit.pipeline.Broadcast;
import dev.conduit.pipeline.Completion;
import dev.conduit.pipeline.FailurePolicy;
import dev.conduit.pipeline.FanOut;
import dev.conduit.pipeline.RouteBuilder;
import dev.conduit.pipeline.Scaling;
import dev.conduit.pipeline.ScalingEvent;
import dev.conduit.pipeline.ScalingListener;
import dev.conduit.pool.WorkerPool;
import dev.conduit.pool.WorkerPoolConfig;
import dev.conduit.pool.WorkerPoolListener;
import dev.conduit.pool.WorkerPoolMeterBinder;
import dev.conduit.pool.WorkerProfile;
import dev.conduit.ring.IpcChannel;
import dev.conduit.ring.IpcReader;
import dev.conduit.ring.IpcWriter;
import dev.conduit.ring.MpmcRing;
import dev.conduit.ring.MpscRing;
import dev.conduit.ring.RingBuffer;
import dev.conduit.resilience.CircuitBreaker;
import dev.conduit.resilience.CircuitBreakerConfig;
import dev.conduit.resilience.CircuitBreakerListener;
import dev.conduit.resilience.CircuitBreakerMeterBinder;
import dev.conduit.resilience.RetryConfig;
import dev.conduit.ring.SpscRing;
import dev.conduit.sync.ErrGroup;
import dev.conduit.sync.Mutex;
import dev.conduit.sync.WaitGroup;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kotlin.time.TimeSource;
import kotlinx.coroutines.CoroutineScope;
import kotlinx.coroutines.CoroutineScopeKt;
import kotlinx.coroutines.Job;
import kotlinx.coroutines.JobKt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guava's {@link NullPointerTester} over every public class of the core's Java-visible API (runtime-kt,
 * found by {@link CoreApi}, so a new public class is covered without being listed): every public
 * static method and constructor, and every public instance method on each representative instance of
 * the class, given a null for a parameter that may not be null, throws {@link NullPointerException}
 * at the call (Kotlin's parameter assertions, or {@code Objects.requireNonNull} in the Java sources).
 *
 * <p>Not given a null: a parameter that may legitimately be null ({@link CoreApi#isNullable}: Kotlin's
 * {@code T?}, and a Kotlin type parameter {@code T} without a non-null bound, which channels use for
 * their elements); and no method with a {@code Continuation} parameter is called at all: those are
 * Kotlin's {@code suspend} functions, not for Java (issue 10 hides them from Java).
 *
 * <p>Instance methods need an instance: {@link #makeInstances()} makes the core's own objects per type
 * (several for {@link Context}, one per implementation); Kotlin {@code object}s, companions and enum
 * constants are found by reflection. A type missing from both fails the test, so a new class gets one.
 */
@Timeout(120)
class CoreNullPointerTest {
    @TempDir
    static Path dir;

    private static final CoroutineScope SCOPE = CoroutineScopeKt.CoroutineScope(JobKt.Job(null));
    private static final Chan<Object> CHAN = ChanKt.Chan(1);
    private static final Mutex MUTEX = new Mutex();

    /**
     * Types the core never makes an instance of: callback interfaces a user implements (their
     * implementation's null checks are the user's), so no core instance method of theirs exists.
     */
    private static final List<Class<?>> USER_IMPLEMENTED = List.of(
            AfterFuncContext.class, BroadcastListener.class, CircuitBreakerListener.class, ScalingListener.class,
            IpcReader.RecordHandler.class, WorkerPoolListener.class, dev.conduit.pool.Job.class,
            dev.conduit.supervisor.SupervisorListener.class,
            dev.conduit.supervisor.GoroutineManagerListener.class);

    private static IpcChannel ipc;
    private static WorkerPool pool;
    private static Map<Class<?>, List<Object>> instances;

    /** The core's own objects, per type whose instance methods take references. */
    @BeforeAll
    static void makeInstances() throws IOException {
        ipc = IpcChannel.create(Files.createTempFile(dir, "ipc", ".ring"), 4096);
        CancelContext cancellable = Context.background().withCancel();
        pool = new WorkerPool(WorkerPoolConfig.defaults(), SCOPE, Clock.system());
        dev.conduit.supervisor.GoroutineManager manager = new dev.conduit.supervisor.GoroutineManager(Context.background(), 1, "npe", SCOPE, Clock.system());
        dev.conduit.supervisor.ManagedGoroutineScope goroutineScope = goroutineScope(manager);
        instances = Map.ofEntries(
                Map.entry(dev.conduit.supervisor.GoroutineManager.class, List.of(manager)),
                Map.entry(dev.conduit.supervisor.ManagedGoroutine.class, List.of(goroutineScope.getGoroutine())),
                Map.entry(dev.conduit.supervisor.ManagedGoroutineScope.class, List.of(goroutineScope)),
                Map.entry(Clock.class, List.of(Clock.system(), Clock.Companion.of(SCOPE, TimeSource.Monotonic.INSTANCE))),
                Map.entry(Context.class, List.of(Context.background(), Context.todo(), cancellable,
                        Context.background().withTimeout(Duration.ofHours(1)), Context.background().withoutCancel(),
                        Context.background().withValue("k", "v"))),
                Map.entry(CancelContext.class, List.of(cancellable, Context.background().withDeadline(Instant.now().plusSeconds(3600)))),
                Map.entry(ChannelSource.class, List.of(CHAN)),
                Map.entry(SelectScope.class, List.of(internal("dev.conduit.chan.SelectScopeImpl", false))),
                Map.entry(Selection.class, List.of(new Selection())),
                Map.entry(OperationFuture.class, List.of(new OperationFuture<>(() -> true))),
                Map.entry(WaitQueue.class, List.of(new WaitQueue())),
                Map.entry(Broadcast.class, List.of(new Broadcast<>())),
                Map.entry(ScalingEvent.class, List.of(new ScalingEvent(1, 2, ScalingEvent.Reason.values()[0], 0, 0))),
                Map.entry(RouteBuilder.class, List.of(internal(RouteBuilder.class.getName()))),
                Map.entry(IpcReader.class, List.of(ipc.reader())),
                Map.entry(IpcWriter.class, List.of(ipc.writer())),
                Map.entry(SpscRing.class, List.of(new SpscRing<>(4))),
                Map.entry(MpscRing.class, List.of(new MpscRing<>(4))),
                Map.entry(MpmcRing.class, List.of(new MpmcRing<>(4))),
                Map.entry(RingBuffer.class, List.of(RingBuffer.spsc(4), RingBuffer.mpsc(4), RingBuffer.mpmc(4))),
                Map.entry(ErrGroup.class, List.of(new ErrGroup())),
                Map.entry(WaitGroup.class, List.of(new WaitGroup())),
                Map.entry(WorkerPool.class, List.of(pool)),
                Map.entry(WorkerPoolConfig.Builder.class, List.of(WorkerPoolConfig.builder())),
                Map.entry(WorkerProfile.class, List.of(new WorkerProfile(java.util.Set.of(), 1))),
                Map.entry(WorkerPoolMeterBinder.class, List.of(new WorkerPoolMeterBinder(pool))),
                Map.entry(CircuitBreaker.class, List.of(new CircuitBreaker("npe"))),
                Map.entry(CircuitBreakerConfig.Builder.class, List.of(CircuitBreakerConfig.builder())),
                Map.entry(RetryConfig.Builder.class, List.of(RetryConfig.builder())),
                Map.entry(dev.conduit.LiveGoroutine.class, List.of(new dev.conduit.LiveGoroutine("npe", "thread", List.of(), new Object(), () -> true))),
                Map.entry(dev.conduit.testing.GoLeakExtension.class, List.of(new dev.conduit.testing.GoLeakExtension())),
                Map.entry(CircuitBreakerMeterBinder.class, List.of(new CircuitBreakerMeterBinder(new CircuitBreaker("npe")))),
                Map.entry(dev.conduit.supervisor.Supervisor.class,
                        List.of(new dev.conduit.supervisor.Supervisor(new dev.conduit.supervisor.SupervisorConfig()))));
    }

    /** The scope a goroutine of {@code manager} ran in, taken from inside it (a block that never suspends). */
    private static dev.conduit.supervisor.ManagedGoroutineScope goroutineScope(dev.conduit.supervisor.GoroutineManager manager) {
        java.util.concurrent.CompletableFuture<dev.conduit.supervisor.ManagedGoroutineScope> scope = new java.util.concurrent.CompletableFuture<>();
        manager.tryGo("npe", Map.of(), (self, ctx, continuation) -> {
            scope.complete(self);
            return kotlin.Unit.INSTANCE;
        });
        return scope.join();
    }

    private final NullPointerTester tester = new NullPointerTester()
            .setDefault(Duration.class, Duration.ofMillis(1))
            .setDefault(Instant.class, Instant.now().plusSeconds(3600))
            .setDefault(Context.class, Context.background())
            .setDefault(Clock.class, Clock.system())
            .setDefault(CoroutineScope.class, SCOPE)
            .setDefault(Job.class, JobKt.Job(null))
            .setDefault(TimeSource.class, TimeSource.Monotonic.INSTANCE)
            .setDefault(Chan.class, CHAN)
            .setDefault(SendChan.class, CHAN)
            .setDefault(ReceiveChan.class, CHAN)
            .setDefault(Mutex.class, MUTEX)
            .setDefault(Scaling.class, Scaling.of(1, 2, Duration.ofMillis(10)))
            .setDefault(FailurePolicy.class, FailurePolicy.FailFast.INSTANCE)
            .setDefault(Completion.class, Completion.All.INSTANCE)
            .setDefault(WorkerPoolConfig.class, WorkerPoolConfig.defaults())
            .setDefault(CircuitBreakerConfig.class, CircuitBreakerConfig.defaults());

    @AfterAll
    static void stop() throws IOException {
        Stream.concat(instances.get(Context.class).stream(), instances.get(CancelContext.class).stream())
                .filter(CancelContext.class::isInstance)
                .forEach(c -> ((CancelContext) c).cancel());
        pool.shutdownNow();
        JobKt.cancel(SCOPE.getCoroutineContext(), null);
        ipc.close();
    }

    @TestFactory
    Stream<DynamicTest> everyPublicCoreClassRefusesNullsAtTheCall() {
        return CoreApi.classes().stream().map(type -> DynamicTest.dynamicTest(type.getName(), () -> check(type)));
    }

    /** The scan finds the public API and leaves Kotlin's internals out: a check on the scanner itself. */
    @Test
    void theScanSeesWhatJavaSees() throws Exception {
        List<Class<?>> api = CoreApi.classes();
        assertTrue(api.size() >= 100, "the core's public classes, found: " + api.size());
        for (Class<?> type : List.of(Chan.class, Context.class, Context.Companion.class, SpscRing.class, Mutex.class, Broadcast.class)) {
            assertTrue(api.contains(type), type + " is public API");
        }
        for (String internal : List.of("dev.conduit.chan.ChanImpl", "dev.conduit.chan.NilChan", "dev.conduit.context.CancelCtx",
                "dev.conduit.chan.SelectScopeImpl", "dev.conduit.chan.spi.CoroutineWaiter", "dev.conduit.ring.RingBase")) {
            assertFalse(api.contains(Class.forName(internal)), internal + " is internal (Kotlin) or package-private (Java)");
        }
        assertFalse(CoreApi.isApiMember(FanOut.class.getConstructors()[0]), "FanOut's constructor is internal");
        Method closeIfOpen = Class.forName("dev.conduit.chan.ChanImplKt").getMethod("closeIfOpen", SendChan.class);
        assertFalse(CoreApi.isApiMember(closeIfOpen), "a top-level internal function");
        assertTrue(CoreApi.isNullable(Context.class.getMethod("withValue", Object.class, Object.class), 1), "withValue(key, value: Any?)");
        assertFalse(CoreApi.isNullable(Context.class.getMethod("withValue", Object.class, Object.class), 0), "withValue(key: Any, ...)");
        assertTrue(CoreApi.isNullable(SendChan.class.getMethod("trySend", Object.class), 0), "a channel's element T admits null");
        assertFalse(CoreApi.isNullable(SpscRing.class.getMethod("offer", Object.class), 0), "a ring (Java) refuses null elements");
    }

    private void check(Class<?> type) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && testable(m)) testParameters(null, m, failures);
        }
        if (!Modifier.isAbstract(type.getModifiers())) {
            for (Constructor<?> c : type.getConstructors()) {
                if (testable(c)) testParameters(null, c, failures);
            }
        }
        List<Method> methods = Arrays.stream(type.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && testable(m) && takesNonNull(m))
                .toList();
        if (!methods.isEmpty() && !USER_IMPLEMENTED.contains(type)) {
            for (Object instance : representatives(type)) {
                for (Method m : methods) testParameters(instance, m, failures);
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " parameter(s) accept null:\n" + String.join("\n", failures));
    }

    /** Part of the API and callable from Java: not a suspend function (a {@code Continuation} parameter). */
    private static boolean testable(Executable member) {
        return CoreApi.isApiMember(member) && !CoreApi.suspends(member);
    }

    private static boolean takesNonNull(Executable member) {
        for (int i = 0; i < member.getParameterCount(); i++) {
            if (!member.getParameterTypes()[i].isPrimitive() && !CoreApi.isNullable(member, i)) return true;
        }
        return false;
    }

    private void testParameters(Object instance, Executable member, List<String> failures) {
        for (int i = 0; i < member.getParameterCount(); i++) {
            if (member.getParameterTypes()[i].isPrimitive() || CoreApi.isNullable(member, i)) continue;
            try {
                if (member instanceof Method m) tester.testMethodParameter(instance, m, i);
                else tester.testConstructorParameter((Constructor<?>) member, i);
            } catch (AssertionError | RuntimeException e) {
                String on = instance == null ? "" : " on " + instance.getClass().getName();
                failures.add(member.toGenericString() + on + ", parameter " + i + ": " + e.getMessage()
                        + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            }
        }
    }

    /** Instances of {@code type} to call its instance methods on. */
    private static List<Object> representatives(Class<?> type) throws Exception {
        if (type.isEnum()) return List.of(type.getEnumConstants()[0]);
        for (Field f : type.getFields()) { // a Kotlin object
            if (f.getName().equals("INSTANCE") && Modifier.isStatic(f.getModifiers()) && f.getType() == type) return List.of(f.get(null));
        }
        if (type.getEnclosingClass() != null) { // a companion
            for (Field f : type.getEnclosingClass().getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == type) return List.of(f.get(null));
            }
        }
        List<Object> made = instances.get(type);
        if (made == null) {
            fail(type.getName() + " has public instance methods taking references but no representative instance:"
                    + " add one to CoreNullPointerTest.makeInstances(), or to USER_IMPLEMENTED if only users implement it");
        }
        return made;
    }

    /**
     * An instance of a type the core keeps {@code internal} (its only implementation of a public
     * interface, or a class only a builder lambda receives), made through its bytecode-public constructor.
     */
    private static Object internal(String className, Object... args) {
        try {
            for (Constructor<?> c : Class.forName(className).getConstructors()) {
                if (c.getParameterCount() == args.length) return c.newInstance(args);
            }
            throw new IllegalStateException("no constructor of " + className + " takes " + args.length + " arguments");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
