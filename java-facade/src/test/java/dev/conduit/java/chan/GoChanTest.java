package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.conduit.chan.Received;
import dev.conduit.java.Go;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subset of Go's channel tests ported to the Java facade, with blocked threads instead of
 * goroutines: from {@code src/runtime/chan_test.go} TestSelectFairness, TestSelectStress,
 * TestMultiConsumer, TestSelfSelect, TestNonblockSelectRace, TestNonblockSelectRace2 and
 * TestPseudoRandomSend; from {@code test/chan/} fifo.go, nonblock.go and goroutines.go
 * (golang/go). The Kotlin suites {@code GoChanRuntimeTest}, {@code GoChanSelectTest} and
 * {@code GoChanProgramsTest} in runtime-kt port the whole set, and say what is skipped and why.
 *
 * <p>Adaptations: Go's nil channel for a finished select case is {@link Channel#nil()}; Go's
 * retries with sleeps (nonblock.go) become a bounded spin that retries the non-blocking
 * operation until the other thread is there, with a deadline as the hang guard; every thread
 * is joined with a bound, and a failure on any thread fails the test. Sizes are Go's
 * {@code testing.Short()} sizes, or smaller for platform threads; {@code -Dconduit.stress=true}
 * gives Go's full sizes.
 */
@Timeout(120)
class GoChanTest {
    private static final boolean STRESS = Boolean.getBoolean("conduit.stress");
    private static final Duration BOUND = Duration.ofSeconds(60);

    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @AfterEach
    void noThreadFailed() {
        Throwable first = failures.poll();
        if (first != null) {
            for (Throwable more; (more = failures.poll()) != null; ) first.addSuppressed(more);
            throw new AssertionError("a test thread failed", first);
        }
    }

    /** Port of fifo.go, AsynchFifo: a buffered channel returns its values in order. */
    @Test
    void fifoAsynch() throws Exception {
        int n = 10;
        Channel<Integer> ch = Channel.create(n);
        for (int i = 0; i < n; i++) ch.send(i);
        for (int i = 0; i < n; i++) assertEquals(i, ch.receive());
    }

    /**
     * Port of fifo.go, SynchFifo: a chain of threads, each waiting for its predecessor's
     * token, reads an unbuffered channel; thread i must read value i.
     */
    @Test
    void fifoSynch() throws Exception {
        int n = 10;
        Channel<Integer> ch = Channel.create();
        Channel<Integer> start = Channel.create();
        Channel<Integer> in = start;
        List<Thread> chain = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Channel<Integer> out = Channel.create();
            Channel<Integer> myIn = in;
            int expected = i;
            chain.add(spawn("chain-" + i, () -> {
                myIn.receive();
                assertEquals(expected, ch.receive(), "chain " + expected);
                out.send(1);
            }));
            in = out;
        }
        start.send(0, BOUND);
        for (int i = 0; i < n; i++) ch.send(i, BOUND);
        assertEquals(1, in.receive(BOUND));
        join(chain);
    }

    /**
     * Port of nonblock.go: for unbuffered and 1-buffered channels of four element types, a
     * non-blocking receive from an empty channel fails; a non-blocking send succeeds once a
     * receiver waits (or there is room), and a non-blocking receive once a sender waits (or
     * has buffered its value). Both with Select's orElse and with trySend/tryReceive.
     */
    @Test
    void nonblock() throws Exception {
        for (boolean useSelect : new boolean[] {true, false}) {
            for (int buffer = 0; buffer < 2; buffer++) {
                nonblockRound(buffer, useSelect, 123, 234);
                nonblockRound(buffer, useSelect, 123456L, 234567L);
                nonblockRound(buffer, useSelect, true, true);
                nonblockRound(buffer, useSelect, "hello", "hello again");
            }
        }
    }

    private <T> void nonblockRound(int buffer, boolean useSelect, T toReceiver, T fromSender) throws Exception {
        String what = "buffer=" + buffer + ", " + toReceiver.getClass().getSimpleName()
                + (useSelect ? ", select" : ", try");
        Channel<T> c = Channel.create(buffer);
        Channel<Boolean> sync = Channel.create();
        List<T> got = new ArrayList<>();
        BooleanSupplier trySend = () -> useSelect
                ? runSelect(Select.create().onSend(c, toReceiver, () -> {}).orElse(() -> {})) == 0
                : c.trySend(toReceiver);
        BooleanSupplier tryReceive = () -> {
            if (useSelect) return runSelect(Select.create().onReceive(c, got::add).orElse(() -> {})) == 0;
            Optional<T> v = c.tryReceive();
            v.ifPresent(got::add);
            return v.isPresent();
        };

        assertFalse(tryReceive.getAsBoolean(), what + ": received from an empty channel");

        Thread receiver = spawn("receiver", () -> {
            assertEquals(toReceiver, c.receive(), what);
            sync.send(true);
        });
        retryUntil(what + ": send to a waiting receiver", trySend);
        assertTrue(sync.receive(BOUND));

        Thread sender = spawn("sender", () -> {
            c.send(fromSender);
            sync.send(true);
        });
        if (buffer > 0) sync.receive(BOUND);
        retryUntil(what + ": receive from a waiting sender", tryReceive);
        assertEquals(List.of(fromSender), got, what);
        if (buffer == 0) sync.receive(BOUND);
        join(List.of(receiver, sender));
    }

    /**
     * Port of TestSelectFairness (chan_test.go): a thread selects over two never-ready
     * unbuffered channels and two always-ready buffered ones, 10,000 times; each ready one must
     * win about half of them. The count of c1 is Binomial(10000, 1/2) (mean 5000, standard
     * deviation 50) for a uniform choice; like Go the bound is 10 standard deviations, which a
     * correct implementation exceeds with probability about 1.3e-23 (far below 1e-9).
     */
    @Test
    void selectFairness() throws Exception {
        int trials = 10_000;
        Channel<Integer> c1 = Channel.create(trials + 1);
        Channel<Integer> c2 = Channel.create(trials + 1);
        for (int i = 0; i < trials + 1; i++) {
            c1.send(1);
            c2.send(2);
        }
        Channel<Integer> c3 = Channel.create();
        Channel<Integer> c4 = Channel.create();
        Channel<Integer> out = Channel.create();
        Channel<Integer> done = Channel.create();
        Thread worker = spawn("fairness", () -> {
            int[] b = {0};
            boolean[] stop = {false};
            while (!stop[0]) {
                Select.create()
                        .onReceive(c3, v -> b[0] = v)
                        .onReceive(c4, v -> b[0] = v)
                        .onReceive(c1, v -> b[0] = v)
                        .onReceive(c2, v -> b[0] = v)
                        .run();
                Select.create().onSend(out, b[0], () -> {}).onReceiveOk(done, r -> stop[0] = true).run();
            }
        });
        int cnt1 = 0;
        int cnt2 = 0;
        for (int i = 0; i < trials; i++) {
            int b = out.receive(BOUND);
            if (b == 1) cnt1++;
            else if (b == 2) cnt2++;
            else fail("unexpected value " + b + " on channel");
        }
        done.close();
        join(List.of(worker));
        assertTrue(cnt1 >= 4_500 && cnt1 <= 5_500,
                "unfair select: in " + trials + " trials, results were " + cnt1 + ", " + cnt2);
    }

    /**
     * Port of TestSelectStress (chan_test.go): on two unbuffered channels and two with
     * capacities 2 and 3, a plain sender and a plain receiver per channel, one thread sending
     * through a four-case select and one receiving through one, a finished channel's case
     * switched to the nil channel. Everything must complete; beyond Go's check, the values are
     * distinct (plain sender 0 until n, select sender n until 2n) and each must arrive exactly
     * once, and every channel ends empty. Go's 10^5 per channel under -Dconduit.stress=true,
     * its short size (10^4) otherwise.
     */
    @Test
    void selectStress() throws Exception {
        int n = STRESS ? 100_000 : 10_000;
        List<Channel<Integer>> c = List.of(Channel.create(), Channel.create(), Channel.create(2), Channel.create(3));
        int[][] plainCounts = new int[4][2 * n];
        int[][] selectCounts = new int[4][2 * n];
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Channel<Integer> ch = c.get(k);
            int[] counts = plainCounts[k];
            threads.add(spawn("sender-" + k, () -> {
                for (int i = 0; i < n; i++) ch.send(i);
            }));
            threads.add(spawn("receiver-" + k, () -> {
                for (int i = 0; i < n; i++) counts[ch.receive()]++;
            }));
        }
        threads.add(spawn("select-sender", () -> {
            int[] sent = new int[4];
            List<Channel<Integer>> c1 = new ArrayList<>(c);
            for (int i = 0; i < 4 * n; i++) {
                Select s = Select.create();
                for (int k : new int[] {3, 2, 0, 1}) {
                    int kk = k;
                    s.onSend(c1.get(k), n + sent[k], () -> {
                        if (++sent[kk] == n) c1.set(kk, Channel.nil());
                    });
                }
                s.run();
            }
            assertEquals(List.of(n, n, n, n), List.of(sent[0], sent[1], sent[2], sent[3]));
        }));
        threads.add(spawn("select-receiver", () -> {
            int[] received = new int[4];
            List<Channel<Integer>> c1 = new ArrayList<>(c);
            for (int i = 0; i < 4 * n; i++) {
                Select s = Select.create();
                for (int k = 0; k < 4; k++) {
                    int kk = k;
                    s.onReceive(c1.get(k), v -> {
                        selectCounts[kk][v]++;
                        if (++received[kk] == n) c1.set(kk, Channel.nil());
                    });
                }
                s.run();
            }
            assertEquals(List.of(n, n, n, n), List.of(received[0], received[1], received[2], received[3]));
        }));
        join(threads);
        for (int k = 0; k < 4; k++) {
            for (int v = 0; v < 2 * n; v++) {
                int times = plainCounts[k][v] + selectCounts[k][v];
                if (times != 1) fail("c[" + k + "]: value " + v + " received " + times + " times");
            }
            assertEquals(0, c.get(k).len());
        }
    }

    /**
     * Port of TestMultiConsumer (chan_test.go): 23 worker threads range over a work channel
     * (some yielding, to disturb its order) and forward to a result channel, closed once the
     * work channel is closed and every worker is done; every item must arrive exactly once.
     * Go's 271,828 items under -Dconduit.stress=true, a tenth otherwise.
     */
    @Test
    void multiConsumer() throws Exception {
        int nwork = 23;
        int niter = STRESS ? 271_828 : 27_183;
        int[] pn = {2, 3, 7, 11, 13, 17, 19, 23, 27, 31};
        Channel<Integer> q = Channel.create(nwork * 3);
        Channel<Integer> r = Channel.create(nwork * 3);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < nwork; i++) {
            int w = i;
            workers.add(spawn("worker-" + w, () -> {
                for (int v : q) {
                    if (pn[w % pn.length] == v) Thread.yield();
                    r.send(v);
                }
            }));
        }
        AtomicLong expect = new AtomicLong();
        Thread feeder = spawn("feeder", () -> {
            for (int i = 0; i < niter; i++) {
                int v = pn[i % pn.length];
                expect.addAndGet(v);
                q.send(v);
            }
            q.close();
            join(workers);
            r.close();
        });
        int n = 0;
        long s = 0;
        for (Received<Integer> v = r.receiveOk(); v.isOk(); v = r.receiveOk()) {
            n++;
            s += v.getValue();
        }
        join(List.of(feeder));
        assertEquals(niter, n, "items");
        assertEquals(expect.get(), s, "sum");
    }

    /**
     * Port of TestSelfSelect (chan_test.go): two threads each run 1000 selects that send and
     * receive on the same channel; nothing may deadlock, and on an unbuffered channel no
     * select may receive its own value.
     */
    @Test
    void selfSelect() throws Exception {
        int iterations = STRESS ? 10_000 : 1_000;
        for (int cap : new int[] {0, 10}) {
            Channel<Integer> c = Channel.create(cap);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                int me = p;
                threads.add(spawn("self-select-" + p + "-cap-" + cap, () -> {
                    for (int i = 0; i < iterations; i++) {
                        int iteration = i;
                        java.util.function.Consumer<Integer> check = v -> {
                            if (cap == 0 && v == me) fail("self receive: thread " + me + ", iteration " + iteration);
                        };
                        if (me == 0 || i % 2 == 0) {
                            Select.create().onSend(c, me, () -> {}).onReceive(c, check).run();
                        } else {
                            Select.create().onReceive(c, check).onSend(c, me, () -> {}).run();
                        }
                    }
                }));
            }
            join(threads);
        }
    }

    /**
     * Port of TestNonblockSelectRace (chan_test.go): at least one of c1 and c2 is always ready
     * once the thread starts, so its select with orElse must never take orElse.
     */
    @Test
    void nonblockSelectRace() throws Exception {
        nonblockSelectRace(false);
    }

    /** Port of TestNonblockSelectRace2 (chan_test.go): as {@link #nonblockSelectRace()}, with c2 closed. */
    @Test
    void nonblockSelectRace2() throws Exception {
        nonblockSelectRace(true);
    }

    private void nonblockSelectRace(boolean closeC2) throws Exception {
        int n = STRESS ? 100_000 : 1_000;
        Channel<Boolean> done = Channel.create(1);
        for (int i = 0; i < n; i++) {
            Channel<Integer> c1 = Channel.create(1);
            Channel<Integer> c2 = closeC2 ? Channel.create() : Channel.create(1);
            c1.send(1);
            go(() -> {
                int fired = Select.create()
                        .onReceiveOk(c1, v -> {})
                        .onReceiveOk(c2, v -> {})
                        .orElse(() -> {})
                        .run();
                done.send(fired != 2);
            });
            if (closeC2) c2.close();
            else c2.send(1);
            Select.create().onReceive(c1, v -> {}).orElse(() -> {}).run();
            assertTrue(done.receive(BOUND), "iteration " + i + ": no chan is ready");
        }
    }

    /**
     * Port of TestPseudoRandomSend (chan_test.go): 100 selects each offer 1 and 0 on one
     * channel; both values must appear more than 10 times. For a uniform choice the number of
     * zeros is Binomial(100, 1/2), outside 11..89 with probability 3.1e-17 per channel.
     */
    @Test
    void pseudoRandomSend() throws Exception {
        int n = 100;
        for (int cap : new int[] {0, n}) {
            Channel<Integer> c = Channel.create(cap);
            int[] l = new int[n];
            Thread reader = spawn("reader", () -> {
                for (int i = 0; i < n; i++) {
                    Thread.yield();
                    l[i] = c.receive();
                }
            });
            for (int i = 0; i < n; i++) Select.create().onSend(c, 1, () -> {}).onSend(c, 0, () -> {}).run();
            join(List.of(reader));
            int n1 = 0;
            for (int v : l) n1 += v;
            int n0 = n - n1;
            assertTrue(n0 > n / 10 && n1 > n / 10,
                    "want pseudorandom, got " + n0 + " zeros and " + n1 + " ones (chan cap " + cap + ")");
        }
    }

    /**
     * Port of goroutines.go: a chain of goroutines ({@link Go#go}: 10,000 on virtual threads,
     * 1,000 on the JDK 17 thread pool; 100,000 and 10,000 under -Dconduit.stress=true), each
     * passing one value from its right channel to its left; the value sent in at the right end
     * comes out at the left, and every goroutine finishes.
     */
    @Test
    void goroutineRing() throws Exception {
        int n = Go.usesVirtualThreads() ? (STRESS ? 100_000 : 10_000) : (STRESS ? 10_000 : 1_000);
        CountDownLatch finished = new CountDownLatch(n);
        Channel<Integer> leftmost = Channel.create();
        Channel<Integer> left = leftmost;
        for (int i = 0; i < n; i++) {
            Channel<Integer> right = Channel.create();
            Channel<Integer> l = left;
            go(() -> {
                try {
                    l.send(right.receive());
                } finally {
                    finished.countDown();
                }
            });
            left = right;
        }
        Channel<Integer> rightmost = left;
        go(() -> rightmost.send(1));
        assertEquals(1, leftmost.receive(BOUND));
        assertTrue(finished.await(BOUND.toSeconds(), TimeUnit.SECONDS), "goroutines still running: " + finished.getCount());
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** Starts {@code task} on a new daemon platform thread; a failure there fails the test. */
    private Thread spawn(String name, Go.Task task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Runs {@code task} as a goroutine ({@link Go#go}); a failure there fails the test. */
    private void go(Go.Task task) {
        Go.go(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        });
    }

    /** Joins every thread within {@link #BOUND} in all; fails if one is still running. */
    private static void join(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertFalse(t.isAlive(), t.getName() + " did not finish");
        }
    }

    /**
     * Retries a non-blocking {@code attempt} until it succeeds: Go's retry-with-sleep loop in
     * nonblock.go, spinning instead of sleeping, with a deadline as the hang guard.
     */
    private static void retryUntil(String what, BooleanSupplier attempt) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!attempt.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail(what + ": never succeeded");
            Thread.yield();
        }
    }

    /** Select.run for a lambda that cannot throw InterruptedException. */
    private static int runSelect(Select s) {
        try {
            return s.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
