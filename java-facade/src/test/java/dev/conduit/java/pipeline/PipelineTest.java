package dev.conduit.java.pipeline;

import dev.conduit.context.Context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextCanceledException;
import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.pipeline.Completion;
import dev.conduit.pipeline.FailurePolicy;
import dev.conduit.pipeline.FanOutException;
import dev.conduit.pipeline.Gathered;
import dev.conduit.pipeline.Scaling;
import dev.conduit.pipeline.ScalingEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PipelineTest {
    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    @SuppressWarnings("DataFlowIssue")
    void nullArgumentsAreRefusedByName() throws Exception {
        try (Pipeline p = Pipeline.create()) {
            ReceiveChannel<Integer> in = p.generate(range(0, 3));
            assertEquals("input",
                    assertThrows(NullPointerException.class, () -> p.map(null, x -> x)).getMessage());
            assertEquals("fn",
                    assertThrows(NullPointerException.class, () -> p.map(in, StageConfig.defaults(), null)).getMessage());
            assertEquals("policy",
                    assertThrows(NullPointerException.class, () -> p.fanOut(in, 2, null, x -> x)).getMessage());
            assertEquals("generator",
                    assertThrows(NullPointerException.class, () -> p.generate((Generator<Integer>) null)).getMessage());
            assertEquals("workers must be >= 1, but was 0",
                    assertThrows(IllegalArgumentException.class, () -> StageConfig.builder().workers(0)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> p.take(in, -1));
            p.cancel();
        }
    }

    @Test
    void aStageOnAClosedOrCancelledPipelineIsRefused() throws Exception {
        Pipeline p = Pipeline.create();
        p.close();
        assertEquals("the pipeline is closed or cancelled",
                assertThrows(IllegalStateException.class, () -> p.generate(range(0, 3))).getMessage());
        try (CancelContext ctx = Context.background().withCancel()) {
            Pipeline q = Pipeline.create(ctx);
            ctx.cancel();
            q.await(Duration.ofSeconds(10));
            assertSame(ctx.getErr(), assertThrows(ContextCanceledException.class, () -> q.generate(range(0, 3))));
            q.close();
            assertSame(ctx.getErr(), assertThrows(ContextCanceledException.class, () -> Pipeline.create(ctx)));
        }
    }

    @Test
    void nullItemsAndNullResultsAreRefusedByName() throws Exception {
        try (Pipeline p = Pipeline.create()) {
            List<Integer> withNull = java.util.Arrays.asList(1, null, 3);
            assertEquals("items[1]", assertThrows(NullPointerException.class, () -> p.generate(withNull)).getMessage());
        }
        Pipeline p = Pipeline.create();
        ReceiveChannel<Integer> out = p.map(p.generate(range(0, 3)), x -> x == 1 ? null : x);
        out.stream().count();
        PipelineException e = assertThrows(PipelineException.class, p::await);
        assertInstanceOf(NullPointerException.class, e.getCause());
        assertEquals("fn returned null for 1", e.getCause().getMessage());
        assertThrows(PipelineException.class, p::close);

        Pipeline q = Pipeline.create();
        Iterable<Integer> lazy = () -> java.util.Arrays.asList(5, null).iterator(); // not a Collection: checked when reached
        assertEquals(List.of(5), q.generate(lazy).stream().collect(Collectors.toList()));
        assertEquals("items[1] is null", assertThrows(PipelineException.class, q::await).getCause().getMessage());
        assertThrows(PipelineException.class, q::close);
    }

    @Test
    void anErrorFromAStageIsRethrownUnwrappedAndAwaitAsyncFailsWithTheStageException() throws Exception {
        Pipeline p = Pipeline.create();
        p.generate(out -> {
            throw new AssertionError("broken invariant");
        });
        java.util.concurrent.ExecutionException async = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> p.awaitAsync().get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("broken invariant", async.getCause().getMessage());
        assertEquals("broken invariant", assertThrows(AssertionError.class, p::await).getMessage());
        assertThrows(AssertionError.class, p::close);
    }

    @Test
    void closeWaitsForTheStagesEvenWhenInterruptedAndKeepsTheInterrupt() throws Exception {
        Pipeline p = Pipeline.create();
        p.generate(out -> {
            while (true) out.send(1); // blocks: nobody reads
        });
        Thread.currentThread().interrupt();
        p.close();
        assertTrue(Thread.interrupted(), "close set the interrupt status again");
        assertFalse(p.isRunning(), "every stage stopped before close returned");
    }

    @Test
    void defaultOverloadsAndAFanOutWithAConfig() throws Exception {
        try (Pipeline p = Pipeline.create()) {
            assertEquals(List.of(0, 2, 4), p.filter(p.generate(range(0, 6)), x -> x % 2 == 0).stream().collect(Collectors.toList()));
            assertEquals(List.of(0, 0, 1, 1), p.flatMap(p.generate(range(0, 2)), x -> List.of(x, x)).stream().collect(Collectors.toList()));
            assertEquals(List.of(1, 1, 2, 2), p.merge(p.tee(p.generate(List.of(1, 2)))).stream().sorted().collect(Collectors.toList()));
            StageConfig ordered = StageConfig.builder().workers(4).ordered(true).capacity(2).build();
            FanOut<Integer, Integer> fan = p.fanOut(p.generate(range(0, 20)), ordered, FailurePolicy.FailFast.INSTANCE, x -> x * 2);
            List<Integer> doubled = new ArrayList<>();
            for (int i = 0; i < 20; i++) doubled.add(i * 2);
            assertEquals(doubled, fan.results().stream().collect(Collectors.toList()), "an ordered fan-out keeps input order");
            fan.await();
            assertSame(fan.unwrap(), FanOut.wrap(fan.unwrap()).unwrap());
            StageConfig scaled = StageConfig.builder().scaling(Scaling.of(1, 2, Duration.ofMillis(10))).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.fanOut(p.generate(range(0, 1)), scaled, FailurePolicy.FailFast.INSTANCE, x -> x));
            assertTrue(e.getMessage().startsWith("config.scaling must be null"), e.getMessage());
            p.cancel();
        }
    }

    @Test
    void stagesWithBlockingJavaFunctionsKeepOrder() throws Exception {
        try (Pipeline p = Pipeline.create()) {
            ReceiveChannel<Integer> nums = p.generate(range(0, 50));
            ReceiveChannel<Integer> squares = p.map(nums, StageConfig.builder().workers(4).build(), x -> x * x);
            ReceiveChannel<Integer> even = p.filter(squares, StageConfig.defaults(), x -> x % 2 == 0);
            ReceiveChannel<String> words = p.flatMap(even, StageConfig.builder().workers(2).capacity(4).build(), x -> List.of("n" + x, "."));
            List<String> got = words.stream().collect(Collectors.toList());
            List<String> expected = new ArrayList<>();
            for (int x = 0; x < 50; x += 2) {
                expected.add("n" + x * x);
                expected.add(".");
            }
            assertEquals(expected, got);
            p.await();
        }
    }

    @Test
    void closingStopsAnEndlessGeneratorAndLeavesNothingRunning() throws Exception {
        Pipeline p = Pipeline.create();
        ReceiveChannel<Integer> endless = p.generate(out -> {
            int i = 0;
            while (true) out.send(i++);
        });
        List<Integer> firstThree = p.take(p.map(endless, x -> x + 1), 3).stream().collect(Collectors.toList());
        assertEquals(List.of(1, 2, 3), firstThree);
        assertTrue(p.isRunning(), "the generator is still blocked on send");
        p.close();
        assertFalse(p.isRunning(), "close waits until every stage has stopped");
    }

    @Test
    void aFailingStageFailsThePipelineAndACancelledContextStopsIt() throws Exception {
        Pipeline p = Pipeline.create();
        ReceiveChannel<Integer> out = p.map(p.generate(range(0, 100)), x -> {
            if (x == 7) throw new IOException("bad record " + x);
            return x;
        });
        out.stream().count();
        PipelineException e = assertThrows(PipelineException.class, p::await);
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals("bad record 7", e.getCause().getMessage());
        assertSame(e.getCause(), assertThrows(PipelineException.class, p::close).getCause());

        try (CancelContext ctx = Context.background().withCancel()) {
            Pipeline q = Pipeline.create(ctx);
            q.generate(o -> {
                while (true) o.send(1);
            });
            ctx.cancel();
            q.await(Duration.ofSeconds(10));
            assertFalse(q.isRunning());
        }
    }

    @Test
    void fanOutCollectAllReportsEveryFailedInput() throws Exception {
        try (Pipeline p = Pipeline.create()) {
            FanOut<Integer, Integer> fan = p.fanOut(p.generate(range(1, 21)), 4, FailurePolicy.CollectAll.INSTANCE, x -> {
                if (x % 7 == 0) throw new IllegalStateException("no sevens: " + x);
                return x * 10;
            });
            java.util.concurrent.CompletableFuture<Void> outcome = fan.awaitAsync();
            List<Integer> results = fan.results().stream().sorted().collect(Collectors.toList());
            assertEquals(18, results.size());
            java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class, outcome::get);
            assertTrue(failed.getCause() instanceof FanOutException);
            FanOutException e = assertThrows(FanOutException.class, fan::await);
            assertEquals(List.of(7, 14), e.getFailures().stream().map(f -> (Integer) f.getInput()).sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void retryThenFailFastAndDynamicScalingFromJava() throws Exception {
        ConcurrentHashMap<Integer, Integer> tries = new ConcurrentHashMap<>();
        try (Pipeline p = Pipeline.create()) {
            FanOut<Integer, Integer> fan = p.fanOut(p.generate(range(0, 5)), 2,
                    FailurePolicy.retry(2, Duration.ofMillis(1), FailurePolicy.FailFast.INSTANCE), x -> {
                        if (tries.merge(x, 1, Integer::sum) < 2) throw new IOException("flaky " + x);
                        return x;
                    });
            assertEquals(range(0, 5), fan.results().stream().sorted().collect(Collectors.toList()));
            fan.await();
        }
        CopyOnWriteArrayList<ScalingEvent> events = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch grew = new java.util.concurrent.CountDownLatch(1);
        try (Pipeline p = Pipeline.create()) {
            Scaling scaling = Scaling.of(1, 4, Duration.ofMillis(5), e -> {
                events.add(e);
                if (e.getTo() > e.getFrom()) grew.countDown();
            });
            ReceiveChannel<Integer> work = p.generate(range(0, 200), 200);
            long n = p.map(work, StageConfig.builder().scaling(scaling).ordered(false).build(), x -> {
                // Blocking Java code in the stage: held until the 200-item backlog grew the stage.
                assertTrue(grew.await(30, java.util.concurrent.TimeUnit.SECONDS));
                return x;
            }).stream().count();
            assertEquals(200, n);
        }
        assertTrue(events.stream().anyMatch(e -> e.getTo() > e.getFrom()), "a backlog of 200 slow items grew the stage: " + events);
        assertTrue(events.stream().allMatch(e -> e.getTo() >= 1 && e.getTo() <= 4));
    }

    @Test
    void teeMergeBatchAndMultiplex() throws Exception {
        try (Pipeline p = Pipeline.create()) {
            List<ReceiveChannel<Integer>> both = p.tee(p.generate(range(0, 10)), 10);
            List<Integer> merged = p.merge(both).stream().sorted().collect(Collectors.toList());
            List<Integer> twice = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                twice.add(i);
                twice.add(i);
            }
            assertEquals(twice, merged);

            List<List<Integer>> batches = p.batch(p.generate(range(0, 10)), 4, Duration.ofSeconds(10)).stream().collect(Collectors.toList());
            assertEquals(List.of(range(0, 4), range(4, 8), range(8, 10)), batches);

            Map<String, Predicate<String>> routes = new LinkedHashMap<>();
            routes.put("errors", s -> s.startsWith("ERROR"));
            routes.put("warnings", s -> s.startsWith("WARN"));
            Router<String, String> router = p.multiplex(p.generate(List.of("ERROR a", "INFO b", "WARN c", "ERROR d")), routes);
            ReceiveChannel<String> errors = router.get("errors");
            ReceiveChannel<String> warnings = router.get("warnings");
            ReceiveChannel<?> dead = router.deadLetters();
            assertEquals("ERROR a", errors.receive());
            assertEquals("INFO b", ((dev.conduit.pipeline.DeadLetter<?>) dead.receive()).getMessage());
            assertEquals("WARN c", warnings.receive());
            assertEquals("ERROR d", errors.receive());
            assertEquals(java.util.Set.of("errors", "warnings"), router.keys());
            assertThrows(IllegalArgumentException.class, () -> router.get("nope"));
            assertSame(router.unwrap(), Router.wrap(router.unwrap()).unwrap());
        }
    }

    @Test
    void gatherQuorumAndPublisherBridges() throws Exception {
        try (Pipeline p = Pipeline.create()) {
            ReceiveChannel<String> a = p.generate(List.of("a"), 1);
            ReceiveChannel<String> b = p.generate(out -> new java.util.concurrent.CountDownLatch(1).await(), 1); // never answers
            ReceiveChannel<String> c = p.generate(List.of("c"), 1);
            // A quorum returns as soon as two answered, so a long per-source timeout costs nothing
            // (a short one could expire before a or c answers on a busy machine).
            Gather<String> quorum = Gather.create(List.of(a, b, c), Duration.ofSeconds(10), Completion.Quorum.INSTANCE);
            Gathered<String> got = quorum.run();
            assertEquals(Map.of(0, "a", 2, "c"), got.getValues());
            // Run again: a and c are closed and drained now, so a quorum can no longer be met.
            java.util.concurrent.ExecutionException again = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> quorum.runAsync().get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertInstanceOf(dev.conduit.pipeline.GatherException.class, again.getCause());
            ReceiveChannel<String> d = p.generate(List.of("d"), 1);
            assertEquals(Map.of(0, "d"), Gather.create(List.of(d), Duration.ofSeconds(10), Completion.firstK(1)).runAsync()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).getValues());

            // Round trip: a channel as a Flow.Publisher, and that publisher back into a channel.
            ReceiveChannel<Integer> roundTrip = p.fromPublisher(p.generate(range(0, 100)).asPublisher(), 4);
            assertEquals(range(0, 100), roundTrip.stream().collect(Collectors.toList()));

            List<Integer> received = new CopyOnWriteArrayList<>();
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            p.generate(range(0, 20)).asPublisher().subscribe(new java.util.concurrent.Flow.Subscriber<>() {
                @Override public void onSubscribe(java.util.concurrent.Flow.Subscription s) { s.request(Long.MAX_VALUE); }
                @Override public void onNext(Integer item) { received.add(item); }
                @Override public void onError(Throwable t) { done.completeExceptionally(t); }
                @Override public void onComplete() { done.complete(null); }
            });
            done.get();
            assertEquals(range(0, 20), received);
            p.cancel();
        }
    }
}
