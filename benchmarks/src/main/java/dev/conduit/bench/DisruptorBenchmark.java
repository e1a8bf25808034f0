package dev.conduit.bench;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@link RingBenchmark} transfer on an LMAX Disruptor ring of 1024 slots: single-producer
 * ring for spsc, multi-producer for mpsc (two producers), one consumer polling with an
 * {@link EventPoller}; producers spin-yield on {@code tryNext} when full, the consumer yields
 * when idle. The ring, the poller and the threads are made once per trial ({@link Crew}), so an
 * invocation times the transfer alone. Disruptor has no multi-consumer queue (each consumer sees
 * every event), so there is no mpmc case.
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

    private RingBuffer<Slot> ring;
    private EventPoller<Slot> poller;
    private int producers;
    private int perProducer;
    private long total;
    private long taken;
    private Crew crew;

    /** Counts the events of one round. */
    private final EventPoller.Handler<Slot> counter = (event, sequence, endOfBatch) -> {
        taken++;
        return true;
    };

    @Setup(Level.Trial)
    public void setUp() {
        producers = kind.equals("spsc") ? 1 : 2;
        ring = producers == 1
                ? RingBuffer.createSingleProducer(Slot::new, RingBenchmark.CAPACITY)
                : RingBuffer.createMultiProducer(Slot::new, RingBenchmark.CAPACITY);
        poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        perProducer = RingBenchmark.ITEMS / producers;
        total = (long) perProducer * producers;
        crew = new Crew(Crew.PLATFORM, producers + 1, member -> {
            if (member < producers) produce();
            else consume();
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        crew.close();
    }

    @Benchmark
    @OperationsPerInvocation(RingBenchmark.ITEMS)
    public long transfer() {
        taken = 0;
        crew.run();
        return taken;
    }

    private void produce() {
        for (int i = 0; i < perProducer; i++) {
            long seq;
            while (true) {
                try {
                    seq = ring.tryNext();
                    break;
                } catch (InsufficientCapacityException full) {
                    Thread.yield();
                }
            }
            ring.get(seq).value = 42;
            ring.publish(seq);
        }
    }

    private void consume() throws Exception {
        while (taken < total) {
            if (poller.poll(counter) != EventPoller.PollState.PROCESSING) Thread.yield();
        }
    }
}
