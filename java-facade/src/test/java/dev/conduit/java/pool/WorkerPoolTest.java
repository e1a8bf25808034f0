package dev.conduit.java.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import dev.conduit.context.Context;
import dev.conduit.pool.JobRejectedException;
import dev.conduit.pool.WorkerPoolConfig;
import dev.conduit.pool.WorkerProfile;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool through the Java facade: futures, checked exceptions, cancellation, shutdown, bad input. */
@Timeout(30)
class WorkerPoolTest {
    private final WorkerPool pool = WorkerPool.create(WorkerPoolConfig.builder().minWorkers(1).maxWorkers(1).queueCapacity(2).build());

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aPoolOnAnExecutorRunsItsNonBlockingJobsOnThatExecutorsThreads() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> new Thread(r, "own-worker"));
        WorkerPool own = WorkerPool.create(WorkerPoolConfig.builder().minWorkers(2).maxWorkers(2).build(), threads);
        try {
            Job<String> where = Job.builder().blocking(false).build(ctx -> Thread.currentThread().getName());
            String thread = own.submit(where).get(5, TimeUnit.SECONDS);
            assertTrue(thread.startsWith("own-worker"), thread); // kotlinx's debug mode appends " @coroutine#N"
            assertEquals(List.of(), own.shutdown(Context.background()));
        } finally {
            own.shutdownNow();
            threads.shutdown();
        }
        assertTrue(threads.awaitTermination(5, TimeUnit.SECONDS), "the pool left the executor's threads idle");
    }

    @Test
    void aGracefulShutdownReturnsOnlyOnceEveryFinishedJobsFutureIsDone() throws Exception {
        // The pool drains under its lock and completes a job's future after it: shutdown must
        // not return between the two (it did; a future could still be pending when it returned).
        for (int round = 0; round < 50; round++) {
            WorkerPool p = WorkerPool.create(WorkerPoolConfig.builder().minWorkers(2).maxWorkers(2).queueCapacity(16).build());
            try {
                List<CompletableFuture<Integer>> futures = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    futures.add(p.submit(ctx -> n));
                }
                assertEquals(List.of(), p.shutdown(Context.background()));
                for (CompletableFuture<Integer> f : futures) assertTrue(f.isDone(), "round " + round + ": a finished job's future was not done");
            } finally {
                p.shutdownNow();
            }
        }
    }

    @Test
    void javaReadsEveryDurationOfAConfigAsAJavaDuration() {
        WorkerPoolConfig c = WorkerPoolConfig.builder().agingStep(Duration.ofMillis(250)).keepAlive(Duration.ofSeconds(7))
                .checkInterval(Duration.ofMillis(20)).stuckGrace(Duration.ofSeconds(3)).build();
        assertEquals(Duration.ofMillis(250), c.getAgingStep());
        assertEquals(Duration.ofSeconds(7), c.getKeepAlive());
        assertEquals(Duration.ofMillis(20), c.getCheckInterval());
        assertEquals(Duration.ofSeconds(3), c.getStuckGrace());
        assertEquals(Duration.ofSeconds(1), WorkerPoolConfig.defaults().getAgingStep());
    }

    @Test
    void aJobsValueAndItsCheckedExceptionReachTheFuture() throws Exception {
        assertEquals("done", pool.submit(ctx -> "done").get(5, TimeUnit.SECONDS));
        IOException thrown = new IOException("disk");
        CompletableFuture<Object> f = pool.submit(ctx -> {
            throw thrown;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertSame(thrown, e.getCause(), "the very exception the job threw");
    }

    @Test
    void cancellingTheFutureInterruptsTheRunningJobAndRemovesAQueuedOne() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CompletableFuture<Object> running = pool.submit(ctx -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return null;
        });
        AtomicBoolean queuedRan = new AtomicBoolean();
        CompletableFuture<Object> queued = pool.submit(ctx -> {
            queuedRan.set(true);
            return null;
        });
        assertTrue(started.await(5, TimeUnit.SECONDS), "the first job started");
        assertTrue(queued.cancel(true), "a queued job is withdrawn");
        assertTrue(running.cancel(true), "a running job is cancelled");
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "its thread was interrupted");
        assertThrows(CancellationException.class, running::join);
        assertEquals(7, pool.submit(ctx -> 7).get(5, TimeUnit.SECONDS));
        assertFalse(queuedRan.get(), "the withdrawn job never ran");
    }

    @Test
    void aFullQueueRefusesTrySubmitAndShutdownReturnsTheJobsThatNeverRan() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        pool.submit(ctx -> {
            started.countDown();
            gate.await();
            return null;
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Job<Integer> a = ctx -> 1;
        Job<Integer> b = ctx -> 2;
        List<CompletableFuture<Integer>> fs = pool.submitAll(List.of(a, b));
        assertTrue(pool.trySubmit(ctx -> 3).isEmpty(), "the queue (capacity 2) is full");
        List<Job<?>> unrun = pool.shutdown(Context.background().withTimeout(Duration.ofMillis(50)));
        assertEquals(List.of(a, b), unrun, "the very jobs that never ran, in order");
        for (CompletableFuture<Integer> f : fs) {
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertEquals(JobRejectedException.Reason.SHUTDOWN, ((JobRejectedException) e.getCause()).getReason());
        }
        assertThrows(JobRejectedException.class, () -> pool.submit(ctx -> 4));
        gate.countDown();
    }

    @Test
    void capabilitiesPrioritiesAndNonBlockingJobs() throws Exception {
        WorkerPool gpu = WorkerPool.create(WorkerPoolConfig.builder().minWorkers(2).maxWorkers(2)
                .profiles(List.of(new WorkerProfile(Set.of(), 1), new WorkerProfile(Set.of("gpu"), 1))).build());
        try {
            AtomicInteger n = new AtomicInteger();
            Job<Integer> inline = Job.builder().blocking(false).requires("gpu").priority(2).build(ctx -> n.incrementAndGet());
            assertEquals(1, gpu.submit(inline).get(5, TimeUnit.SECONDS));
            JobRejectedException e = assertThrows(JobRejectedException.class, () -> gpu.submit(Job.builder().requires("tpu").build(ctx -> 0)));
            assertTrue(e.getMessage().contains("tpu"), e.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> gpu.submit(Job.builder().priority(7).build(ctx -> 0)));
            assertEquals("priority must be in 0 until 3, but was 7", bad.getMessage());
            assertEquals("timeout must be > 0, but was PT0S",
                    assertThrows(IllegalArgumentException.class, () -> Job.builder().timeout(Duration.ZERO)).getMessage());
        } finally {
            gpu.shutdownNow();
        }
    }

    @Test
    void aTimedOutJobIsInterrupted() throws Exception {
        CompletableFuture<Object> f = pool.submit(Job.builder().timeout(Duration.ofMillis(50)).build(ctx -> {
            new CountDownLatch(1).await();
            return null;
        }));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof dev.conduit.pool.JobTimeoutException, String.valueOf(e.getCause()));
    }

    @Test
    void aBlockedSubmitEndsWithInterruptedException() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        pool.submit(ctx -> gate.await(10, TimeUnit.SECONDS));
        Thread.currentThread().interrupt(); // a submit that finds room returns; the first that must wait throws
        assertThrows(InterruptedException.class, () -> {
            while (true) pool.submit(ctx -> 4);
        });
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was consumed by the exception");
        gate.countDown();
    }

    @Test
    void anInterruptedSubmitAllWithdrawsTheJobsItHadHandedOver() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Object> blocker = pool.submit(ctx -> {
            started.countDown();
            return gate.await(10, TimeUnit.SECONDS);
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        AtomicInteger ran = new AtomicInteger();
        List<Job<Integer>> batch = List.of(ctx -> ran.incrementAndGet(), ctx -> ran.incrementAndGet(), ctx -> ran.incrementAndGet());
        Thread.currentThread().interrupt(); // two fit in the queue; the third must wait, and the wait is interrupted
        assertThrows(InterruptedException.class, () -> pool.submitAll(batch));
        assertEquals(3, pool.metrics().getSubmitted(), "the blocker and two of the batch were handed over");
        assertEquals(0, pool.metrics().getQueued(), "the two queued jobs of the interrupted batch were taken out");
        assertEquals(2, pool.metrics().getCancelled());
        gate.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        assertEquals(7, pool.submit(ctx -> 7).get(5, TimeUnit.SECONDS));
        assertEquals(0, ran.get(), "no job of the interrupted batch ran");
    }

    @Test
    void everyPublicMethodRefusesNulls() {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Context.class, Context.background())
                .setDefault(Duration.class, Duration.ofSeconds(1))
                .setDefault(WorkerPoolConfig.class, WorkerPoolConfig.defaults());
        tester.testAllPublicStaticMethods(WorkerPool.class);
        tester.testAllPublicStaticMethods(Job.class);
        tester.testAllPublicInstanceMethods(pool);
        tester.testAllPublicInstanceMethods(Job.builder());
    }
}
