package dev.conduit.bench;

import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Threads that live for a whole trial and run one round of a benchmark's work per invocation,
 * so that the timed region holds the work and not the starting and joining of threads (which
 * costs tens of microseconds per platform thread, and whose allocations JMH's {@code -prof gc}
 * misses once the thread has died, on a JVM without a total-allocation counter). Made in
 * {@code @Setup(Level.Trial)}, closed in {@code @TearDown(Level.Trial)}.
 *
 * <p>A round: {@link #start()} releases every member into {@link Task#run(int)} with its index;
 * {@link #await()} waits until all of them have returned. Between rounds the members wait in a
 * {@link Phaser} (spinning briefly, then parked), so an idle crew burns no core. The hand-off
 * costs a few microseconds per round, against the milliseconds of work each benchmark's round
 * holds. A benchmark may do one side of the work on its own thread between {@code start} and
 * {@code await} (the reader, say), as long as every implementation under test does the same.
 *
 * <p>Not thread-safe: one benchmark thread drives a crew.
 */
final class Crew implements AutoCloseable {
    /** One member's share of a round. */
    @FunctionalInterface
    interface Task {
        /** Runs member {@code member}'s share of one round (0-based, fewer than the crew size). */
        void run(int member) throws Exception;
    }

    /** Daemon platform threads named {@code bench-crew}, so a crew left open cannot hold the JVM. */
    static final ThreadFactory PLATFORM = r -> {
        Thread t = new Thread(r, "bench-crew");
        t.setDaemon(true);
        return t;
    };

    private final Phaser phaser;
    private final Thread[] members;
    private final Task task;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;
    private int startPhase;

    /**
     * Starts {@code size} threads from {@code threads}, each waiting for the first round of
     * {@code task}. Never blocks.
     *
     * @throws IllegalArgumentException if {@code size} < 1
     */
    Crew(ThreadFactory threads, int size, Task task) {
        if (size < 1) throw new IllegalArgumentException("size must be >= 1, but was " + size);
        this.task = task;
        this.phaser = new Phaser(size + 1); // the members and the benchmark thread
        this.members = new Thread[size];
        for (int m = 0; m < size; m++) {
            int member = m;
            members[m] = threads.newThread(() -> loop(member));
            members[m].start();
        }
    }

    private void loop(int member) {
        while (true) {
            phaser.arriveAndAwaitAdvance(); // the start of a round, or the close
            if (closing) return;
            try {
                task.run(member);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
            phaser.arriveAndAwaitAdvance(); // the end of the round
        }
    }

    /** Releases every member into one round. Never blocks. */
    void start() {
        startPhase = phaser.arrive();
    }

    /**
     * Waits until every member has finished the round that {@link #start()} began. Blocks.
     *
     * @throws IllegalStateException if a member threw, with that as the cause
     */
    void await() {
        // Each party arrives once per phase: wait until every member has taken the start (one
        // that is still on its way to it would otherwise count this arrival as the start's).
        phaser.awaitAdvance(startPhase);
        phaser.arriveAndAwaitAdvance();
        Throwable e = failure.getAndSet(null);
        if (e != null) throw new IllegalStateException("a crew member failed", e);
    }

    /** {@link #start()}, then {@link #await()}: one round on the crew alone. Blocks. */
    void run() {
        start();
        await();
    }

    /**
     * Lets every member return and waits for their threads to end. Call between rounds. Blocks.
     *
     * @throws InterruptedException if interrupted while waiting for a member to end
     */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        phaser.arrive();
        for (Thread t : members) t.join();
    }
}
