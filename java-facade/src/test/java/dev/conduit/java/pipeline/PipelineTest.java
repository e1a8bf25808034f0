package dev.conduit.java.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.CancelContext;
import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.context.Contexts;
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

        try (CancelContext ctx = Contexts.withCancel(Contexts.background())) {
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
        }
    }

    @Test
    void gatherQuorumAndPublisherBridges() throws Exception {
        try (Pipeline p = Pipeline.create()) {
            ReceiveChannel<String> a = p.generate(List.of("a"), 1);
            ReceiveChannel<String> b = p.generate(out -> new java.util.concurrent.CountDownLatch(1).await(), 1); // never answers
            ReceiveChannel<String> c = p.generate(List.of("c"), 1);
            Gathered<String> got = Gather.create(List.of(a, b, c), Duration.ofMillis(200), Completion.Quorum.INSTANCE).run();
            assertEquals(Map.of(0, "a", 2, "c"), got.getValues());

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
