package dev.conduit.java.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import dev.conduit.Stoppable;
import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.supervisor.ChildInfo;
import dev.conduit.supervisor.RestartStrategy;
import dev.conduit.supervisor.RestartType;
import dev.conduit.supervisor.SupervisorEvent;
import dev.conduit.supervisor.SupervisorFailedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The supervisor through the Java facade, in real time with latches and bounded waits: Java
 * children on their own threads, interrupted when stopped hard; strategies; a two-level tree that
 * escalates; dynamic children; events; builders; nulls.
 */
@Timeout(30)
class SupervisorTest {
    private static final long WAIT_SECONDS = 10;
    private final CancelContext ctx = Context.background().withCancel();

    @AfterEach
    void cancel() {
        ctx.cancel();
    }

    /** Records every event's text; waits, bounded, for one to arrive. */
    private static final class Events {
        private final List<String> seen = new ArrayList<>();

        void listen(Supervisor sup) {
            sup.addListener(e -> {
                synchronized (this) {
                    seen.add(e.toString());
                    notifyAll();
                }
            });
        }

        synchronized void await(String event) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!seen.contains(event)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no event '" + event + "' in " + seen);
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** The events of supervisor {@code name} so far, in order. */
        synchronized List<String> of(String name) {
            return seen.stream().filter(e -> e.startsWith(name + ": ")).map(e -> e.substring(name.length() + 2)).toList();
        }
    }

    /** A Java child that blocks until its context ends or the test makes it fail; counts its runs. */
    private static final class Service implements SupervisedChild {
        private final String id;
        private final BlockingQueue<Optional<Exception>> commands = new LinkedBlockingQueue<>();
        final AtomicInteger runs = new AtomicInteger();

        Service(String id) {
            this.id = id;
        }

        @Override
        public void run(Context ctx) throws Exception {
            runs.incrementAndGet();
            Stoppable watch = ctx.afterFunc(() -> commands.add(Optional.empty()));
            try {
                Optional<Exception> command = commands.take();
                if (command.isPresent()) throw command.get();
            } finally {
                watch.stop();
            }
        }

        void fail() {
            commands.add(Optional.of(new IOException(id + " broke")));
        }
    }

    private static SupervisorConfig.Builder config(String name, RestartStrategy strategy) {
        return SupervisorConfig.builder().name(name).strategy(strategy).fixedBackoff(Duration.ZERO).maxRestarts(5).period(Duration.ofMinutes(1));
    }

    static Stream<Arguments> strategies() {
        return Stream.of(
                Arguments.of(RestartStrategy.ONE_FOR_ONE, List.of(
                        "child b failed: java.io.IOException: b broke",
                        "restarting [b] in 0s (attempt 1, after b)", "child b started (restart 1)")),
                Arguments.of(RestartStrategy.ONE_FOR_ALL, List.of(
                        "child b failed: java.io.IOException: b broke", "child c stopped", "child a stopped",
                        "restarting [a, b, c] in 0s (attempt 1, after b)",
                        "child a started (restart 1)", "child b started (restart 1)", "child c started (restart 1)")),
                Arguments.of(RestartStrategy.REST_FOR_ONE, List.of(
                        "child b failed: java.io.IOException: b broke", "child c stopped",
                        "restarting [b, c] in 0s (attempt 1, after b)", "child b started (restart 1)", "child c started (restart 1)")));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void eachStrategyRestartsItsChildrenInOrderAndAllStopInReverse(RestartStrategy strategy, List<String> afterFailure) throws Exception {
        Service a = new Service("a");
        Service b = new Service("b");
        Service c = new Service("c");
        Supervisor sup = Supervisor.create(config("app", strategy)
                .child(ChildSpec.create("a", a)).child(ChildSpec.create("b", b)).child(ChildSpec.create("c", c)).build());
        Events events = new Events();
        events.listen(sup);
        CompletableFuture<Void> running = sup.runAsync(ctx);
        events.await("app: child c started");
        b.fail();
        events.await("app: " + afterFailure.get(afterFailure.size() - 1));
        ctx.cancel();
        running.get(WAIT_SECONDS, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>(List.of("started", "child a started", "child b started", "child c started"));
        expected.addAll(afterFailure);
        expected.addAll(List.of("stopping", "child c stopped", "child b stopped", "child a stopped", "stopped"));
        assertEquals(expected, events.of("app"));
        List<Integer> runs = List.of(a.runs.get(), b.runs.get(), c.runs.get());
        List<Integer> restarts = sup.children().stream().map(ChildInfo::getRestarts).toList();
        assertEquals(runs.stream().map(n -> n - 1).toList(), restarts, "each restart ran the child again: runs " + runs);
        assertEquals(strategy == RestartStrategy.ONE_FOR_ONE ? List.of(0, 1, 0) : strategy == RestartStrategy.ONE_FOR_ALL ? List.of(1, 1, 1) : List.of(0, 1, 1),
                restarts);
        assertEquals("java.io.IOException: b broke", String.valueOf(sup.children().get(1).getLastFailure()));
    }

    @Test
    void restartTypesDecideWhetherAnEndedChildRunsAgain() throws Exception {
        Service permanent = new Service("permanent");
        Service temporary = new Service("temporary");
        Supervisor sup = Supervisor.create(config("app", RestartStrategy.ONE_FOR_ONE)
                .child(ChildSpec.create("permanent", permanent))
                .child(ChildSpec.builder("transient", childCtx -> {}).restart(RestartType.TRANSIENT).build())
                .child(ChildSpec.builder("temporary", temporary).restart(RestartType.TEMPORARY).build())
                .build());
        Events events = new Events();
        events.listen(sup);
        CompletableFuture<Void> running = sup.runAsync(ctx);
        events.await("app: child transient exited");
        events.await("app: child temporary started");
        permanent.fail();
        temporary.fail();
        events.await("app: child permanent started (restart 1)");
        events.await("app: child temporary failed: java.io.IOException: temporary broke");
        assertEquals(List.of("permanent RUNNING", "transient STOPPED", "temporary STOPPED"),
                sup.children().stream().map(i -> i.getId() + " " + i.getState()).toList());
        ctx.cancel();
        running.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of("restarting [permanent] in 0s (attempt 1, after permanent)"),
                events.of("app").stream().filter(e -> e.startsWith("restarting")).toList(), "only the permanent child restarted");
        assertEquals(List.of(2, 1), List.of(permanent.runs.get(), temporary.runs.get()));
    }

    @Test
    void aBlockingChildIsInterruptedOnAHardStopAndOneThatIgnoresInterruptsIsAbandoned() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SupervisedChild sleeper = childCtx -> {
            try {
                new CountDownLatch(1).await(); // ignores its context, answers an interrupt
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        };
        SupervisedChild deaf = childCtx -> {
            while (true) {
                try {
                    if (release.await(60, TimeUnit.SECONDS)) return;
                } catch (InterruptedException ignored) {
                    // ignores interrupts too, until the test releases it
                }
            }
        };
        Supervisor sup = Supervisor.create(config("app", RestartStrategy.ONE_FOR_ONE)
                .child(ChildSpec.builder("sleeper", sleeper).shutdownTimeout(Duration.ofMillis(50)).build())
                .child(ChildSpec.builder("deaf", deaf).shutdownTimeout(Duration.ofMillis(50)).build())
                .build());
        Events events = new Events();
        events.listen(sup);
        Thread runner = new Thread(() -> {
            try {
                sup.run(ctx);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        runner.start();
        events.await("app: child deaf started");
        ctx.cancel();
        runner.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        try {
            assertFalse(runner.isAlive(), "run returned though a child ignores interrupts");
            assertTrue(interrupted.await(0, TimeUnit.SECONDS), "the sleeper's thread was interrupted");
            assertEquals(List.of("stopping", "child deaf ignored cancellation, abandoned after 100ms", "child sleeper stopped (forced)", "stopped"),
                    events.of("app").subList(3, 7));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aTwoLevelTreeEscalatesFromTheInnerSupervisorToTheOuter() throws Exception {
        Service steady = new Service("steady");
        Supervisor inner = Supervisor.create(config("inner", RestartStrategy.ONE_FOR_ONE).maxRestarts(1)
                .child(ChildSpec.create("flaky", childCtx -> {
                    throw new IOException("flaky down");
                }))
                .build());
        Supervisor outer = Supervisor.create(config("outer", RestartStrategy.ONE_FOR_ONE).maxRestarts(1)
                .child(ChildSpec.create("steady", steady))
                .child(ChildSpec.builder("inner", inner).shutdownTimeout(Duration.ofSeconds(5)).build())
                .build());
        Events events = new Events();
        events.listen(inner);
        events.listen(outer);
        SupervisorFailedException failure = assertThrows(SupervisorFailedException.class, () -> outer.run(ctx));
        assertEquals("outer", failure.getSupervisor());
        SupervisorFailedException innerFailure = assertInstanceOf(SupervisorFailedException.class, failure.getCause());
        assertEquals("inner", innerFailure.getSupervisor());
        assertEquals("flaky down", assertInstanceOf(IOException.class, innerFailure.getCause()).getMessage());
        List<String> innerRun = List.of("started", "child flaky started", "child flaky failed: java.io.IOException: flaky down",
                "restarting [flaky] in 0s (attempt 1, after flaky)", "child flaky started (restart 1)",
                "child flaky failed: java.io.IOException: flaky down", "more than 1 restarts in 1m, giving up",
                "stopping (" + innerFailure + ")", "stopped (failed)");
        List<String> twice = new ArrayList<>(innerRun);
        twice.addAll(innerRun);
        assertEquals(twice, events.of("inner"), "inner ran twice, giving up each time");
        assertEquals(List.of("started", "child steady started", "child inner started",
                "child inner failed: " + innerFailure, "restarting [inner] in 0s (attempt 1, after inner)", "child inner started (restart 1)",
                "child inner failed: " + innerFailure, "more than 1 restarts in 1m, giving up",
                "stopping (" + failure + ")", "child steady stopped", "stopped (failed)"), events.of("outer"));
        assertEquals(1, steady.runs.get(), "the steady sibling ran once");
    }

    @Test
    void aHealthCheckSayingUnhealthyRestartsTheChild() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        SupervisedChild sick = new SupervisedChild() {
            @Override
            public void run(Context childCtx) throws Exception {
                childCtx.doneFuture().get();
            }

            @Override
            public boolean health() {
                return polls.incrementAndGet() != 2;
            }
        };
        Supervisor sup = Supervisor.create(config("app", RestartStrategy.ONE_FOR_ONE)
                .child(ChildSpec.builder("sick", sick).healthInterval(Duration.ofMillis(10)).build()).build());
        Events events = new Events();
        events.listen(sup);
        CompletableFuture<Void> running = sup.runAsync(ctx);
        events.await("app: child sick started (restart 1)");
        ctx.cancel();
        running.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of("started", "child sick started", "child sick unhealthy", "child sick stopped",
                "restarting [sick] in 0s (attempt 1, after sick)", "child sick started (restart 1)"), events.of("app").subList(0, 6));
    }

    @Test
    void dynamicChildrenStartFromTheTemplateAndAreRemovedWhenTerminated() throws Exception {
        List<Object> made = new ArrayList<>();
        Supervisor sup = Supervisor.create(config("conns", RestartStrategy.SIMPLE_ONE_FOR_ONE)
                .template(ChildTemplate.builder("conn", args -> {
                    made.add(args);
                    return new Service(String.valueOf(args));
                }).restart(RestartType.TRANSIENT).build())
                .build());
        assertThrows(IllegalStateException.class, () -> sup.startChild("early"), "not running yet");
        Events events = new Events();
        events.listen(sup);
        CompletableFuture<Void> running = sup.runAsync(ctx);
        events.await("conns: started");
        assertEquals("conn-1", sup.startChild("alice"));
        assertEquals("conn-2", sup.startChild("bob"));
        assertEquals(List.of("conn-1 RUNNING", "conn-2 RUNNING"), sup.children().stream().map(i -> i.getId() + " " + i.getState()).toList());
        assertTrue(sup.terminateChild("conn-1"));
        assertFalse(sup.terminateChild("conn-1"), "already gone");
        assertEquals(List.of("conn-2"), sup.children().stream().map(ChildInfo::getId).toList());
        assertEquals(List.of("alice", "bob"), made);
        running.cancel(true);
        assertThrows(CancellationException.class, () -> running.get(WAIT_SECONDS, TimeUnit.SECONDS));
        events.await("conns: stopped");
        assertEquals(List.of("conn-2 STOPPED"), sup.children().stream().map(i -> i.getId() + " " + i.getState()).toList(),
                "cancelling the run's future stopped the children");
    }

    @Test
    void aTemplateFactoryThatReturnsNullIsRefusedNamingItAndStartsNothing() throws Exception {
        Supervisor sup = Supervisor.create(config("conns", RestartStrategy.SIMPLE_ONE_FOR_ONE)
                .template(ChildTemplate.builder("conn", args -> args == null ? null : new Service(String.valueOf(args))).build())
                .build());
        Events events = new Events();
        events.listen(sup);
        CompletableFuture<Void> running = sup.runAsync(ctx);
        events.await("conns: started");
        NullPointerException e = assertThrows(NullPointerException.class, () -> sup.startChild(null));
        assertEquals("the template's factory returned null", e.getMessage());
        assertEquals(List.of(), sup.children(), "nothing started");
        assertEquals("conn-1", sup.startChild("alice"), "the template still works");
        running.cancel(true);
        assertThrows(CancellationException.class, () -> running.get(WAIT_SECONDS, TimeUnit.SECONDS));
        events.await("conns: stopped");
    }

    @Test
    void interruptingTheRunStopsTheChildrenAndThrowsInterruptedException() throws Exception {
        Supervisor sup = Supervisor.create(config("app", RestartStrategy.ONE_FOR_ALL)
                .child(ChildSpec.create("a", new Service("a"))).child(ChildSpec.create("b", new Service("b"))).build());
        Events events = new Events();
        events.listen(sup);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread runner = new Thread(() -> {
            try {
                sup.run(ctx);
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        runner.start();
        events.await("app: child b started");
        runner.interrupt();
        assertInstanceOf(InterruptedException.class, thrown.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("stopping", "child b stopped", "child a stopped", "stopped"), events.of("app").subList(3, 7));
    }

    @Test
    void buildersRejectBadValuesNamingThem() {
        SupervisedChild child = c -> {};
        assertEquals("maxRestarts must be >= 0, but was -1",
                assertThrows(IllegalArgumentException.class, () -> SupervisorConfig.builder().maxRestarts(-1)).getMessage());
        assertEquals("period must be > 0, but was PT0S",
                assertThrows(IllegalArgumentException.class, () -> SupervisorConfig.builder().period(Duration.ZERO)).getMessage());
        assertEquals("name must not be blank, but was ''",
                assertThrows(IllegalArgumentException.class, () -> SupervisorConfig.builder().name("")).getMessage());
        assertEquals("shutdownTimeout must be > 0, but was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> ChildSpec.builder("a", child).shutdownTimeout(Duration.ofSeconds(-1))).getMessage());
        assertEquals("healthInterval must be > 0, but was PT0S",
                assertThrows(IllegalArgumentException.class, () -> ChildTemplate.builder("t", a -> child).healthInterval(Duration.ZERO)).getMessage());
        assertEquals("id must not be blank, but was ' '",
                assertThrows(IllegalArgumentException.class, () -> ChildSpec.create(" ", child)).getMessage());
        assertEquals("children ids must be unique, but 'a' appears twice",
                assertThrows(IllegalArgumentException.class, () -> SupervisorConfig.builder()
                        .child(ChildSpec.create("a", child)).child(ChildSpec.create("a", child)).build()).getMessage());
        assertEquals("a SIMPLE_ONE_FOR_ONE supervisor needs a template, but template was null",
                assertThrows(IllegalArgumentException.class, () -> SupervisorConfig.builder().strategy(RestartStrategy.SIMPLE_ONE_FOR_ONE).build()).getMessage());
        SupervisorConfig config = SupervisorConfig.builder().exponentialBackoff(Duration.ofMillis(10), 2.0, Duration.ofMillis(30)).build();
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(30)),
                List.of(config.backoffBefore(1), config.backoffBefore(2), config.backoffBefore(3)));
        ChildSpec spec = ChildSpec.builder("a", child).restart(RestartType.TEMPORARY).healthInterval(Duration.ofSeconds(1)).build();
        assertEquals(List.of("a", RestartType.TEMPORARY, Optional.of(Duration.ofSeconds(5)), Optional.of(Duration.ofSeconds(1))),
                List.of(spec.id(), spec.restart(), spec.shutdownTimeout(), spec.healthInterval()));
        assertSame(spec.unwrap(), ChildSpec.wrap(spec.unwrap()).unwrap());
        assertEquals(Optional.empty(), ChildSpec.builder("forever", child).shutdownTimeout(java.time.temporal.ChronoUnit.FOREVER.getDuration())
                .build().shutdownTimeout(), "a timeout too long for nanoseconds waits for ever");
    }

    @Test
    void everyPublicMethodRefusesNulls() throws Exception {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Duration.class, Duration.ofMillis(1))
                .setDefault(Context.class, Context.background())
                .setDefault(SupervisedChild.class, c -> {})
                .setDefault(ChildTemplate.Factory.class, a -> c -> {})
                .setDefault(SupervisorConfig.class, SupervisorConfig.defaults())
                .setDefault(dev.conduit.supervisor.SupervisorListener.class, e -> {});
        Supervisor sup = Supervisor.create(SupervisorConfig.defaults());
        tester.setDefault(Supervisor.class, sup);
        for (Class<?> c : List.of(Supervisor.class, SupervisorConfig.class, ChildSpec.class, ChildTemplate.class)) tester.testAllPublicStaticMethods(c);
        tester.testAllPublicInstanceMethods(sup);
        tester.testAllPublicInstanceMethods(SupervisorConfig.builder());
        tester.testAllPublicInstanceMethods(SupervisorConfig.defaults());
        tester.testAllPublicInstanceMethods(ChildSpec.builder("a", c -> {}));
        tester.testAllPublicInstanceMethods(ChildSpec.create("a", c -> {}));
        tester.testAllPublicInstanceMethods(ChildTemplate.builder("t", a -> c -> {}));
        tester.testAllPublicInstanceMethods(ChildTemplate.create("t", a -> c -> {}));
    }

    @Test
    void eventsAreTypedForJava() throws Exception {
        Service s = new Service("s");
        Supervisor sup = Supervisor.create(config("app", RestartStrategy.ONE_FOR_ONE).child(ChildSpec.create("s", s)).build());
        List<SupervisorEvent> typed = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch restarted = new CountDownLatch(1);
        sup.addListener(e -> {
            synchronized (typed) {
                typed.add(e);
            }
            if (e instanceof SupervisorEvent.ChildStarted start) (start.getRestarts() == 0 ? started : restarted).countDown();
        });
        CompletableFuture<Void> running = sup.runAsync(ctx);
        assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(dev.conduit.supervisor.ChildState.RUNNING, sup.children().get(0).getState());
        s.fail();
        assertTrue(restarted.await(WAIT_SECONDS, TimeUnit.SECONDS));
        ctx.cancel();
        running.get(WAIT_SECONDS, TimeUnit.SECONDS);
        synchronized (typed) {
            SupervisorEvent.ChildFailed failed = (SupervisorEvent.ChildFailed) typed.stream().filter(SupervisorEvent.ChildFailed.class::isInstance).findFirst().orElseThrow();
            assertEquals("s", failed.getChildId());
            assertEquals("s broke", failed.getError().getMessage());
            SupervisorEvent.RestartScheduled scheduled = (SupervisorEvent.RestartScheduled) typed.stream()
                    .filter(SupervisorEvent.RestartScheduled.class::isInstance).findFirst().orElseThrow();
            assertEquals(List.of(List.of("s"), 0L, 1), List.of(scheduled.getChildIds(), scheduled.getDelayNanos(), scheduled.getAttempt()));
            assertInstanceOf(SupervisorEvent.Stopped.class, typed.get(typed.size() - 1));
        }
    }
}
