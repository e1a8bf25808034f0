package dev.conduit.java.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.pipeline.BroadcastListener;
import dev.conduit.pipeline.Overflow;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PatternsTest {
    @Test
    void broadcastWithOneSlowSubscriberPerPolicy() throws Exception {
        AtomicLong reportedDrops = new AtomicLong();
        Broadcast<Integer> b = Broadcast.create(new BroadcastListener<Integer>() {
            @Override
            public void onDropped(dev.conduit.pipeline.Subscription<?> subscription, Integer item) {
                reportedDrops.incrementAndGet();
            }
        });
        Subscription<Integer> oldest = b.subscribe("oldest", 2, Overflow.DROP_OLDEST);
        Subscription<Integer> newest = b.subscribe("newest", 2, Overflow.DROP_NEWEST);
        Subscription<Integer> cut = b.subscribe("cut", 2, Overflow.DISCONNECT);
        for (int i = 0; i < 6; i++) b.publish(i);
        b.close();
        assertEquals(List.of(4, 5), oldest.items().stream().collect(Collectors.toList()));
        assertEquals(List.of(0, 1), newest.items().stream().collect(Collectors.toList()));
        assertTrue(cut.disconnected());
        assertEquals(8, reportedDrops.get());
        assertThrows(IllegalStateException.class, () -> b.publish(7));
    }

    @Test
    void subscriptionsPublishAsyncAndUnsubscribe() throws Exception {
        Broadcast<String> b = Broadcast.create();
        Subscription<String> sub = b.subscribe("reader");
        assertEquals("reader", sub.name());
        assertEquals(16, sub.buffer());
        assertEquals(Overflow.BLOCK, sub.overflow());
        assertEquals(List.of(sub.unwrap()), b.subscriptions().stream().map(Subscription::unwrap).collect(Collectors.toList()));
        b.publishAsync("async").get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("async", sub.items().receive());
        sub.unsubscribe();
        assertTrue(b.subscriptions().isEmpty());
        assertFalse(sub.items().receiveOk().isOk(), "an unsubscribed subscription's channel closes");
        b.publish("nobody listens");
        assertEquals(0, sub.dropped());
        assertFalse(sub.disconnected());
        assertSame(sub.unwrap(), Subscription.wrap(sub.unwrap()).unwrap());
        b.close();
        b.close(); // idempotent
        java.util.concurrent.ExecutionException closed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> b.publishAsync("late").get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, closed.getCause());
        assertThrows(IllegalStateException.class, () -> b.subscribe("late"));
    }

    @SuppressWarnings("DataFlowIssue")
    @Test
    void nullItemsAreRefusedAtThePublishAndTheSubmit() throws Exception {
        Broadcast<String> b = Broadcast.create();
        Subscription<String> sub = b.subscribe("reader");
        assertEquals("item", assertThrows(NullPointerException.class, () -> b.publish(null)).getMessage());
        assertEquals("item", assertThrows(NullPointerException.class, () -> b.publishAsync(null)).getMessage());
        assertEquals(null, sub.items().tryReceiveOk(), "no subscriber got a null");
        try (Pipeline p = Pipeline.create()) {
            WorkStealingPool<String> pool = p.workStealing(2, (worker, item) -> {});
            assertEquals("item", assertThrows(NullPointerException.class, () -> pool.submit(null)).getMessage());
            assertEquals("item", assertThrows(NullPointerException.class, () -> pool.submitTo(0, null)).getMessage());
            pool.close();
            pool.join();
            assertEquals(List.of(0L, 0L), pool.processed());
        }
    }

    @Test
    void workStealingSubmitsRoundRobinAndRefusesAfterClose() throws Exception {
        ConcurrentHashMap<Integer, Integer> seen = new ConcurrentHashMap<>();
        try (Pipeline p = Pipeline.create()) {
            WorkStealingPool<Integer> pool = p.workStealing(3, 8, (worker, item) -> seen.merge(item, 1, Integer::sum));
            assertEquals(3, pool.workers());
            for (int i = 0; i < 30; i++) pool.submit(i);
            pool.close();
            pool.join();
            assertEquals(30, seen.size());
            assertEquals(30L, pool.processed().stream().mapToLong(Long::longValue).sum());
            assertEquals("submit to closed pool", assertThrows(IllegalStateException.class, () -> pool.submit(99)).getMessage());
            assertSame(pool.unwrap(), WorkStealingPool.wrap(pool.unwrap()).unwrap());
        }
    }

    @Test
    void workStealingSpreadsOneLoadedQueue() throws Exception {
        ConcurrentHashMap<Integer, Integer> seen = new ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch thiefWorked = new java.util.concurrent.CountDownLatch(1);
        try (Pipeline p = Pipeline.create()) {
            WorkStealingPool<Integer> pool = p.workStealing(4, (worker, item) -> {
                // The owner of the loaded queue holds its first item until a thief has done one.
                if (worker == 0) assertTrue(thiefWorked.await(30, java.util.concurrent.TimeUnit.SECONDS));
                else thiefWorked.countDown();
                seen.merge(item, 1, Integer::sum);
            });
            for (int i = 0; i < 200; i++) pool.submitTo(0, i);
            pool.close();
            pool.join();
            assertEquals(200, seen.size());
            assertTrue(seen.values().stream().allMatch(n -> n == 1));
            assertTrue(pool.stolen().stream().mapToLong(Long::longValue).sum() > 0, "idle workers stole: " + pool.stolen());
        }
    }

    @Test
    void consumeSharesAnInputAmongThreads() throws Exception {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        try (Pipeline p = Pipeline.create()) {
            ReceiveChannel<Integer> in = p.generate(java.util.stream.IntStream.range(0, 100).boxed().collect(Collectors.toList()));
            p.consume(in, 3, item -> assertTrue(seen.add(item)));
            p.await();
        }
        assertEquals(100, seen.size());
    }
}
