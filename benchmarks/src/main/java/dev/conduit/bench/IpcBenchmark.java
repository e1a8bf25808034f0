package dev.conduit.bench;

import dev.conduit.ring.IpcChannel;
import dev.conduit.ring.IpcReader;
import dev.conduit.ring.IpcWriter;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
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
 * kind of mapping.
 *
 * <p>Both sides do the same work, in the same loops ({@link Side}):
 * <ul>
 *   <li>the file, the mapping, both ends of the ring and the writer thread ({@link Crew}) are
 *       made once per trial; the benchmark thread is the reader;
 *   <li>the writer fills one preallocated 64-byte array in place (the record's number, a native
 *       order {@code long}, through a {@link VarHandle} view) and offers it, spin-yielding while
 *       the ring is full: Conduit copies it with {@link IpcWriter#offer(byte[])}, Agrona with
 *       {@code write} from an {@link UnsafeBuffer} over the same kind of array. Neither allocates
 *       per record;
 *   <li>the reader takes one record per call, spin-yielding while the ring is empty, with one
 *       handler object made per trial that adds the record's number to a sum: Conduit's
 *       {@link IpcReader#poll(IpcReader.RecordHandler)}, Agrona's {@code read(handler, 1)}.
 *       One record per call because Conduit's reader has no batched read; Agrona's default
 *       {@code read(handler)} takes every record available and moves its head once per batch.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"}) // Agrona 2's Unsafe access
public class IpcBenchmark {
    static final int RECORDS = 1 << 20;
    static final int RECORD_BYTES = 64;
    static final int RING_BYTES = 1 << 20;

    /** Writes a native-order {@code long} into a {@code byte[]} without wrapping it. */
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /**
     * What both sides share: the ring's file, the record array the writer refills, the writer
     * thread, the read loop and the sum the reader's handler keeps.
     */
    abstract static class Side {
        final byte[] record = new byte[RECORD_BYTES];
        long sum;
        private Path file;
        private Crew writer;

        /** Makes the file, lets {@link #map} open the ring on it, then starts the writer. */
        final void open(String prefix) throws IOException {
            file = Files.createTempFile(prefix, ".ring");
            map(file);
            writer = new Crew(Crew.PLATFORM, 1, member -> {
                for (int i = 0; i < RECORDS; i++) {
                    LONG.set(record, 0, (long) i);
                    while (!offer()) Thread.yield();
                }
            });
        }

        /** Opens this side's ring on {@code file}. */
        abstract void map(Path file) throws IOException;

        /** Writes {@link #record} into the ring if there is room now. */
        abstract boolean offer();

        /** Reads one record into {@link #sum} if one is there now. */
        abstract boolean pollOne();

        /** One round: {@link #RECORDS} records from the writer thread to this thread. */
        final long transfer() {
            sum = 0;
            writer.start();
            for (int i = 0; i < RECORDS; i++) {
                while (!pollOne()) Thread.yield();
            }
            writer.await();
            return sum;
        }

        final void close() throws IOException, InterruptedException {
            writer.close();
            Files.deleteIfExists(file);
        }
    }

    /** Conduit's {@link IpcChannel}: a writer, a reader and one record handler per trial. */
    @State(Scope.Benchmark)
    public static class ConduitSide extends Side {
        private IpcChannel ipc;
        private IpcWriter out;
        private IpcReader in;
        private final IpcReader.RecordHandler handler = (ByteBuffer buffer, int offset, int length) -> sum += buffer.getLong(offset);

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open("bench-ipc");
        }

        @Override
        void map(Path file) throws IOException {
            ipc = IpcChannel.create(file, RING_BYTES);
            out = ipc.writer();
            in = ipc.reader();
        }

        @Override
        boolean offer() {
            return out.offer(record);
        }

        @Override
        boolean pollOne() {
            return in.poll(handler);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException {
            close();
            ipc.close();
        }
    }

    /** Agrona's {@link OneToOneRingBuffer} on a mapped file: one record buffer and handler per trial. */
    @State(Scope.Benchmark)
    public static class AgronaSide extends Side {
        private OneToOneRingBuffer ring;
        private final UnsafeBuffer source = new UnsafeBuffer(record);
        private final MessageHandler handler = (int type, MutableDirectBuffer buffer, int index, int length) ->
                sum += buffer.getLong(index);

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            open("bench-agrona");
        }

        @Override
        void map(Path file) throws IOException {
            int length = RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, length);
                ring = new OneToOneRingBuffer(new UnsafeBuffer(mapped));
            }
        }

        @Override
        boolean offer() {
            return ring.write(1, source, 0, RECORD_BYTES);
        }

        @Override
        boolean pollOne() {
            return ring.read(handler, 1) == 1;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException {
            close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long conduit(ConduitSide side) {
        return side.transfer();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long agronaOneToOne(AgronaSide side) {
        return side.transfer();
    }
}
