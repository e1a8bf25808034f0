package dev.conduit.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Unbuffered round-trip latency, nanoseconds per round trip: Conduit's and kotlinx's rendezvous
 * channels between two coroutines; {@link SynchronousQueue} and a one-slot
 * {@link ArrayBlockingQueue} between two platform threads.
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

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int synchronousQueue() throws Exception {
        SynchronousQueue<Integer> ping = new SynchronousQueue<>();
        SynchronousQueue<Integer> pong = new SynchronousQueue<>();
        return Handoff.pingPong(Thread::new, ROUNDS, ping::put, ping::take, pong::put, pong::take);
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public int arrayBlockingQueue() throws Exception {
        ArrayBlockingQueue<Integer> ping = new ArrayBlockingQueue<>(1);
        ArrayBlockingQueue<Integer> pong = new ArrayBlockingQueue<>(1);
        return Handoff.pingPong(Thread::new, ROUNDS, ping::put, ping::take, pong::put, pong::take);
    }
}
