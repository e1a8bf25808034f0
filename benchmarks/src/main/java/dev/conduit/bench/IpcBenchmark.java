package dev.conduit.bench;

import dev.conduit.ring.IpcChannel;
import dev.conduit.ring.IpcReader;
import dev.conduit.ring.IpcWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
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
 * 64-byte records per second through a ring of 1 MiB in a memory-mapped file, a writer thread
 * and a reader thread (the same code path as two processes; threads keep JMH in charge of
 * timing): Conduit's {@link IpcChannel} against Agrona's {@link OneToOneRingBuffer} on the same
 * kind of mapping. Both sides spin-yield when full or empty.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"}) // Agrona 2's Unsafe access
public class IpcBenchmark {
    static final int RECORDS = 1 << 20;
    static final int RECORD_BYTES = 64;
    static final int RING_BYTES = 1 << 20;

    private Path conduitFile;
    private Path agronaFile;
    private IpcChannel ipc;
    private OneToOneRingBuffer agrona;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        conduitFile = Files.createTempFile("bench-ipc", ".ring");
        ipc = IpcChannel.create(conduitFile, RING_BYTES);
        agronaFile = Files.createTempFile("bench-agrona", ".ring");
        int length = RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH;
        try (FileChannel ch = FileChannel.open(agronaFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
            agrona = new OneToOneRingBuffer(new UnsafeBuffer(mapped));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ipc.close();
        Files.deleteIfExists(conduitFile);
        Files.deleteIfExists(agronaFile);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long conduit() throws InterruptedException {
        IpcWriter writer = ipc.writer();
        IpcReader reader = ipc.reader();
        byte[] record = new byte[RECORD_BYTES];
        Thread producer = new Thread(() -> {
            for (int i = 0; i < RECORDS; i++) {
                ByteBuffer.wrap(record).putLong(0, i);
                while (!writer.offer(record)) Thread.yield();
            }
        });
        producer.start();
        long[] sum = {0};
        IpcReader.RecordHandler handler = (buffer, offset, length) -> sum[0] += buffer.getLong(offset);
        for (int i = 0; i < RECORDS; i++) {
            while (!reader.poll(handler)) Thread.yield();
        }
        producer.join();
        return sum[0];
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long agronaOneToOne() throws InterruptedException {
        UnsafeBuffer record = new UnsafeBuffer(new byte[RECORD_BYTES]);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < RECORDS; i++) {
                record.putLong(0, i);
                while (!agrona.write(1, record, 0, RECORD_BYTES)) Thread.yield();
            }
        });
        producer.start();
        long[] sum = {0};
        int[] read = {0};
        while (read[0] < RECORDS) {
            int n = agrona.read((type, buffer, index, length) -> {
                sum[0] += buffer.getLong(index);
                read[0]++;
            }, 1);
            if (n == 0) Thread.yield();
        }
        producer.join();
        return sum[0];
    }
}
