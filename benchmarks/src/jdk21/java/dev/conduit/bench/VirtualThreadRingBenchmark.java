package dev.conduit.bench;

import com.softwaremill.jox.Channel;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A token passed round a ring of virtual threads over unbuffered links, nanoseconds per hop:
 * thread {@code i} receives from link {@code i} and sends to link {@code i + 1}, so every hop
 * wakes a parked thread and parks the one that sent. The links are the Conduit Java facade's
 * {@code Channel.create()}, jox's rendezvous {@link Channel} and {@link SynchronousQueue}.
 * The ring and its threads are made once per trial ({@link TokenRing}, all threads parked
 * before the first invocation); an invocation is {@value #HOPS} hops (2 laps of 10,000
 * threads, 200 of 100), so the two sizes tell a per-parked-thread cost (caches, the carriers'
 * queues) from a per-hop one. JDK 21+ only; {@code RingFootprint} measures the same ring's heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VirtualThreadRingBenchmark {
    static final int HOPS = 20_000;
    static final ThreadFactory VIRTUAL = Thread.ofVirtual().factory();

    /** Threads (and links) in the ring. */
    @Param({"100", "10000"})
    int threads;

    /** The ring of the links under test, for the trial. */
    abstract static class Ring {
        TokenRing ring;

        /** A new unbuffered link of the kind under test. */
        abstract TokenRing.Link link();

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) throws InterruptedException {
            ring = new TokenRing(VIRTUAL, Integer.parseInt(params.getParam("threads")), this::link);
            ring.awaitParked();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            ring.close();
        }
    }

    /** The Conduit facade's unbuffered {@code Channel}. */
    @State(Scope.Benchmark)
    public static class ConduitRing extends Ring {
        @Override
        TokenRing.Link link() {
            return RingPeer.CONDUIT_FACADE.link();
        }
    }

    /** jox's rendezvous {@link Channel}. */
    @State(Scope.Benchmark)
    public static class JoxRing extends Ring {
        @Override
        TokenRing.Link link() {
            return RingPeer.JOX.link();
        }
    }

    /** {@link SynchronousQueue}. */
    @State(Scope.Benchmark)
    public static class QueueRing extends Ring {
        @Override
        TokenRing.Link link() {
            return RingPeer.SYNCHRONOUS_QUEUE.link();
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void conduitFacade(ConduitRing ring) throws InterruptedException {
        ring.ring.run(HOPS);
    }

    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void jox(JoxRing ring) throws InterruptedException {
        ring.ring.run(HOPS);
    }

    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void synchronousQueue(QueueRing ring) throws InterruptedException {
        ring.ring.run(HOPS);
    }
}
