package dev.conduit.bench;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link RingBenchmark} transfer on an LMAX Disruptor ring of 1024 slots: single-producer
 * ring for spsc, multi-producer for mpsc (two producers), one consumer polling with an
 * {@link EventPoller}; producers spin-yield on {@code tryNext} when full, the consumer yields
 * when idle. Disruptor has no multi-consumer queue (each consumer sees every event), so there
 * is no mpmc case.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DisruptorBenchmark {
    /** A mutable slot, as the Disruptor wants. */
    static final class Slot {
        long value;
    }

    @Param({"spsc", "mpsc"})
    public String kind;

    @Benchmark
    @OperationsPerInvocation(RingBenchmark.ITEMS)
    public long transfer() throws Exception {
        int producers = kind.equals("spsc") ? 1 : 2;
        RingBuffer<Slot> ring = producers == 1
                ? RingBuffer.createSingleProducer(Slot::new, RingBenchmark.CAPACITY)
                : RingBuffer.createMultiProducer(Slot::new, RingBenchmark.CAPACITY);
        EventPoller<Slot> poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        int perProducer = RingBenchmark.ITEMS / producers;
        long total = (long) perProducer * producers;
        Thread[] threads = new Thread[producers + 1];
        for (int p = 0; p < producers; p++) {
            threads[p] = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    long seq;
                    while (true) {
                        try {
                            seq = ring.tryNext();
                            break;
                        } catch (com.lmax.disruptor.InsufficientCapacityException full) {
                            Thread.yield();
                        }
                    }
                    ring.get(seq).value = 42;
                    ring.publish(seq);
                }
            });
        }
        AtomicLong taken = new AtomicLong();
        threads[producers] = new Thread(() -> {
            long[] count = {0};
            EventPoller.Handler<Slot> handler = (event, sequence, endOfBatch) -> {
                count[0]++;
                return true;
            };
            try {
                while (count[0] < total) {
                    if (poller.poll(handler) != EventPoller.PollState.PROCESSING) Thread.yield();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            taken.set(count[0]);
        });
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        return taken.get();
    }
}
