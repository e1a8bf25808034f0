package dev.conduit.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Unbuffered round-trip latency, nanoseconds per round trip: Conduit's and kotlinx's rendezvous
 * channels between two coroutines; {@link SynchronousQueue} and a one-slot
 * {@link ArrayBlockingQueue} between two platform threads (the echo thread made once per trial,
 * {@link Handoff.PingPong}; the benchmark thread pings).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PingPongBenchmark {
    static final int ROUNDS = 10_000;

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int conduitChan() {
        return CoroutineWorkloads.conduitPingPong(ROUNDS);
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int kotlinxChannel() {
        return CoroutineWorkloads.kotlinxPingPong(ROUNDS);
    }

    /** Two JDK queues and the echo thread, for the trial. */
    abstract static class QueueThreads {
        Handoff.PingPong pingPong;

        /** A new queue of the kind under test. */
        abstract BlockingQueue<Integer> queue();

        @Setup(Level.Trial)
        public void setUp() {
            BlockingQueue<Integer> ping = queue();
            BlockingQueue<Integer> pong = queue();
            pingPong = new Handoff.PingPong(Crew.PLATFORM, ROUNDS, ping::put, ping::take, pong::put, pong::take);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            pingPong.close();
        }
    }

    /** {@link SynchronousQueue}s. */
    @State(Scope.Benchmark)
    public static class Synchronous extends QueueThreads {
        @Override
        BlockingQueue<Integer> queue() {
            return new SynchronousQueue<>();
        }
    }

    /** One-slot {@link ArrayBlockingQueue}s. */
    @State(Scope.Benchmark)
    public static class OneSlot extends QueueThreads {
        @Override
        BlockingQueue<Integer> queue() {
            return new ArrayBlockingQueue<>(1);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int synchronousQueue(Synchronous threads) throws InterruptedException {
        return threads.pingPong.run();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int arrayBlockingQueue(OneSlot threads) throws InterruptedException {
        return threads.pingPong.run();
    }
}
