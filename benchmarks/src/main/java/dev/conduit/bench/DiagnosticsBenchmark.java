package dev.conduit.bench;

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
 * What deadlock detection ({@code -Dconduit.diagnostics=true}: every blocked wait records what
 * it waits on, the watchdog checks) costs the two paths that block most: an unbuffered
 * ping-pong between two coroutines (every operation blocks) and a buffered transfer (capacity
 * 64, the producer and consumer block when it fills or empties). Each pair is the same code in
 * a JVM with detection off and one with it on; nanoseconds per round trip and per item.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DiagnosticsBenchmark {
    static final int ROUNDS = 10_000;
    static final int ITEMS = 100_000;
    static final int CAPACITY = 64;

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dconduit.diagnostics=false")
    @OperationsPerInvocation(ROUNDS)
    public int pingPongDetectionOff() {
        return CoroutineWorkloads.conduitPingPong(ROUNDS);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dconduit.diagnostics=true")
    @OperationsPerInvocation(ROUNDS)
    public int pingPongDetectionOn() {
        return CoroutineWorkloads.conduitPingPong(ROUNDS);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dconduit.diagnostics=false")
    @OperationsPerInvocation(ITEMS)
    public long bufferedDetectionOff() {
        return CoroutineWorkloads.conduitTransfer(CAPACITY, ITEMS);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dconduit.diagnostics=true")
    @OperationsPerInvocation(ITEMS)
    public long bufferedDetectionOn() {
        return CoroutineWorkloads.conduitTransfer(CAPACITY, ITEMS);
    }
}
