package dev.conduit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.supervisor.DeadlockReport;
import dev.conduit.supervisor.Diagnostics;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tour runs to the end, with deadlock detection on and no report from its watchdog, and every sample prints what it should. */
@Timeout(60)
class TourTest {
    @Test
    void everySampleRunsAndSaysWhatItDid() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<DeadlockReport> watchdogReports = new CopyOnWriteArrayList<>();
        assertTrue(Diagnostics.isEnabled(), "the tour runs with deadlock detection on");
        try (AutoCloseable listening = Diagnostics.addDeadlockListener(watchdogReports::add)) {
            Tour.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        }
        // StuckProgram's deadlock is checked on purpose and released at once; nothing else stays stuck long enough to report.
        assertEquals(List.of(), watchdogReports, "the deadlock watchdog reported during the tour");
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String expected : List.of(
                "ping -> pong -> back, hits = 3",
                "pong side closed: true",
                "fibonacci: 0 1 1 2 3 5 8 13 21 34 55 89",
                "sum of squares 1..100 = 338350",
                "8 jobs done by 3 workers; total letters = 54",
                "first answer: fast mirror",
                "6 workers paired up over one channel: 3 sent, 3 received",
                "2,000 non-blocking selects while a case was always ready: default ran 0 times",
                "one select over three kinds took: [plain, priority, sharded]",
                "slow mirror: gave up after 50 ms",
                "heartbeat stopped at the deadline after at least 3 beats: true",
                "worker stopped after 5 items: context canceled",
                "idle-worker-1 ended after cancel(): true",
                "200 OK from https://fast.example",
                "slow fetch abandoned: context deadline exceeded",
                "a JDK blocking call ended at the deadline: InterruptedException",
                "100 jobs sent by a goroutine into 8 slots, run once each by a 2-thread ThreadPoolExecutor: true",
                "a select on the same channel took job 101 while the workers were busy",
                "shutdownNow() drained the jobs still queued: [job 102, job 103]; left in the channel: 0",
                "20 requests sent by 4 clients; never more than burst + rate * t: true",
                "  breaker CLOSED -> OPEN",
                "  breaker HALF_OPEN -> CLOSED",
                "  invocation 11 hung; the ladder's first rung cancelled it",
                "request 8: reply 8",
                "service invoked 14 times, retries 5; breaker calls 8, failed 5, not permitted 2, state CLOSED",
                "rung 1 (50 ms): call 1 hangs; call 1 cancelled at the rung's timeout: context deadline exceeded",
                "rung 2 (5000 ms): call 2 fails: connection reset (retried); call 3 answers",
                "answer 42 after 3 calls; retries: 1",
                "a 1 s backoff under a 100 ms deadline: DEADLINE, at once, cause: service down",
                "12 downloads finished, never more than 3 at once: true",
                "4 fetches succeeded; 2 failed:",
                "  fetch bad.example: malformed response",
                "  fetch down.example: connection refused",
                "crawled 34 pages in 6 levels: 31 found, 3 not found",
                "never more than 8 fetches at once: true",
                "receiveAsync(20 ms): timed out",
                "receiveAsync().thenApply(..).orTimeout(20 ms): timed out",
                "the next receive still gets it: late reply",
                "lockAsync().orTimeout(20 ms) while held: timed out",
                "after unlock the abandoned request does not hold it: locked = false",
                "10 goroutines x 1,000 increments under the mutex: counter = 10000",
                "reported: Mutex 'audit' -> Mutex 'accounts' -> back: each order alone is fine, both can deadlock",
                "  locked Mutex 'accounts' while holding Mutex 'audit'",
                "lockAll from 4 goroutines in both argument orders: 2000 moves, 0 reports",
                "leaked: thread, started in true",
                "after releasing it: 0 leaked",
                "found: LOCK_CYCLE",
                "  goroutine \"alice-to-bob\" holds Mutex 'alice' and waits for Mutex 'bob' (held by goroutine \"bob-to-alice\")",
                "  goroutine \"bob-to-alice\" holds Mutex 'bob' and waits for Mutex 'alice' (held by goroutine \"alice-to-bob\")",
                "dump: producer BLOCKED on receive from Chan(cap 0)",
                "dump: consumer BLOCKED on receive from Chan(cap 0)",
                "the dump shows where each was started: true",
                "released: true",
                "8 goroutines read the configuration; it was loaded 1 time(s)",
                "4000 reads alongside 100 writes; torn reads: 0; final version 100",
                "3,000 items through 4 slots: sum = 4501500, never more than 4 buffered: true",
                "phase 1 done, phase 2 done, phase 3 done",
                "a party timed out; the one waiting with it saw BrokenBarrierException",
                "a healthy pair still meets: true",
                "odd cubes in batches of 4: [[1, 27, 125, 343], [729, 1331, 2197, 3375], [4913, 6859]]",
                "the tee's other copy sums them: 19900",
                "the endless generator stopped when the pipeline closed: true",
                "48 thumbnails, in input order: img-0.raw 32x24, img-1.raw 32x24, ..., img-47.raw 32x24",
                "resize workers grew under the burst: true",
                "and shrank back when idle: true",
                "indexed 6 of 8: [s1:indexed, s2:indexed, flaky:indexed, s4:indexed, s6:indexed, s8:indexed]",
                "  failed corrupt after 3 tries: checksum mismatch",
                "  failed offline after 3 tries: connection refused",
                "BLOCK: fast got 10, slow got [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], dropped 0 (reported 0)",
                "DROP_OLDEST: fast got 10, slow got [8, 9, 10], dropped 7 (reported 7)",
                "DROP_NEWEST: fast got 10, slow got [1, 2, 3], dropped 7 (reported 7)",
                "DISCONNECT: fast got 10, slow got [1, 2, 3], dropped 0, disconnected (reported 1)",
                "eu: [eu:book, eu:desk]",
                "us: [us:lamp, us:pen]",
                "dead letter: apac:chair (no route matched)",
                "dead letter: broken-order (choosing a route failed: java.lang.IllegalArgumentException: no region in 'broken-order')",
                "quorum of 3 answered [v42, v42, v42]; not waited for: {",
                "degraded read failed: needed 2 answer(s) but got 1: missing {1=CLOSED, 2=TIMED_OUT}",
                "200 jobs queued on worker 0 only; each ran once: true",
                "idle workers stole some of them: true",
                "40 urgent jobs done, sum = 780; background jobs shed while the queue was deep: true",
                "the pool grew under the burst: true",
                "and shrank back to 1 worker when idle: true",
                "graceful shutdown after 50 ms returned the jobs that never ran: [report A, report B, report C]",
                "the job still running then was cancelled: true",
                "2 gpu jobs running, on workers of kind: [gpu]",
                "a plain job still runs meanwhile: parsed",
                "rendered: [frame 0, frame 1]",
                "refused at submit: no worker can run a job requiring [tpu]: no worker profile declares tpu",
                "fresh jobs by priority: [urgent page, normal email, background report]",
                "the background job still ran despite a steady stream of urgent jobs: true",
                "capacity asked 1000, got 1024 (a power of two)",
                "1000000 numbers through the ring, sum = 500000500000",
                "1005 events in ",
                "bulk writes of at most 100 (not 1005 single ones)",
                "the trickle of 5 went out on its own, without a flush: true",
                "first reader stopped after 50000 records",
                "second reader resumed and finished: 100000 records in order, 0 bad",
                "40 jobs through a 4-slot remote channel to a worker JVM; the node held at most 4 at once: true",
                "sum of squares returned by the worker JVM = 22140 (worker exit 0)",
                "100 orders acknowledged by the node, 40 received in order; stopping it",
                "node restarted on the same port from its log",
                "the client reconnected by itself and received the rest: 100 of 100 in order, none twice; 0 left on the node",
                "one select took {local alerts=5, remote orders=5} until both were closed",
                "4000 events from 4 accounts over 4 lanes; each account's events in order: true",
                "  services: child fetcher started (restart 2)",
                "  pipeline: restarting [reader, writer] in 10ms (attempt 1, after reader)",
                "services children: cache STOPPED restarts=0, fetcher STOPPED restarts=2, pipeline STOPPED restarts=0",
                "pipeline children: reader STOPPED restarts=1, writer STOPPED restarts=1",
                "error streamed: parser: malformed record 3",
                "ended by themselves: reader-1 (CANCELLED), reader-2 (CANCELLED)",
                "force-cancelled (interrupted): uploader (CANCELLED)",
                "never ended by the deadline: legacy-sync (RUNNING)",
                "cleanups that ran: ingest: shared connection closed; legacy-sync: finally stopped; reader-1: offsets committed; reader-2: offsets committed",
                "Tour complete: 44 samples ran.")) {
            assertTrue(out.contains(expected), () -> "missing \"" + expected + "\" in:\n" + out);
        }
    }
}
