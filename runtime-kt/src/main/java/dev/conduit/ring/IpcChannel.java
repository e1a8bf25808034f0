package dev.conduit.ring;

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
import java.util.zip.CRC32;

/**
 * A channel between two JVM processes on one machine through a shared memory-mapped file:
 * length-prefixed binary records in a single-producer, single-consumer ring.
 *
 * <p>The file is a 256-byte header followed by the ring. The header holds a magic number, a
 * format version, the ring's capacity and a CRC of the three, checked by {@link #open} (a wrong
 * or corrupt file is refused with an {@link IOException} saying what is wrong), then the
 * writer's committed position and the reader's consumed position, each on its own cache line.
 * A record is an 8-byte commit word, a 4-byte length and the bytes, padded to 8; a record that
 * would cross the end of the ring is preceded by a padding marker and starts again at the front.
 *
 * <p><b>Commit words.</b> The writer copies a record's length and bytes into the ring and then
 * writes its commit word, one more than the record's absolute position in the stream (a release
 * store; never 0, the value of cleared bytes); the reader takes the record at its position once
 * that word matches (an acquire load). Padding is marked by the complement of its position.
 * So the reader looks only at the record in front of it, never at the writer's position (the
 * FastFlow idea, as Agrona's ring buffers do), and a word left over from an earlier lap of the
 * ring never matches. The reader clears what it consumed, so no old bytes can match either.
 *
 * <p><b>Crash safety.</b> A writer that dies mid-record never wrote that record's commit word, so
 * the reader sees exactly the whole records before it. Both positions live in the file: a
 * restarted reader resumes after the last record it consumed (a record it handled but had not
 * yet recorded is handed over again), and a restarted writer after the last record it committed
 * (it steps over records committed after its last saved position).
 *
 * <p>One {@link IpcWriter} and one {@link IpcReader} at a time, in any processes (one of each
 * per file; nothing enforces it). Both sides assume the same byte order (one machine). The
 * mapping is released when the buffers are garbage collected; {@link #close} closes the file.
 */
public final class IpcChannel implements AutoCloseable {
    /** "CONDUIT" + format byte, read in native order: also refuses a file from another byte order. */
    static final long MAGIC = 0x434F4E4455495431L;
    static final int VERSION = 2;
    static final int HEADER_BYTES = 256;
    static final int MAGIC_AT = 0;
    static final int VERSION_AT = 8;
    static final int CAPACITY_AT = 12;
    static final int CRC_AT = 16;
    static final int WRITER_AT = 64;
    static final int READER_AT = 128;
    static final int MIN_CAPACITY = 1 << 12;
    static final int MAX_CAPACITY = 1 << 30;

    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Path file;
    private final FileChannel channel;
    /** Typed ByteBuffer, not MappedByteBuffer: {@link #LONG} is then invoked with its exact type. */
    final ByteBuffer header;

    final ByteBuffer ring;
    final int capacity;

    private IpcChannel(Path file, FileChannel channel, MappedByteBuffer mapped, int capacity) {
        this.file = file;
        this.channel = channel;
        this.header = mapped;
        this.capacity = capacity;
        this.ring = mapped.slice(HEADER_BYTES, capacity).order(ByteOrder.nativeOrder());
    }

    /**
     * Creates (or replaces) {@code file} as an empty channel whose ring holds {@code capacity}
     * bytes.
     *
     * @throws IllegalArgumentException if {@code capacity} is not a power of two in
     *     4096..2<sup>30</sup>
     * @throws IOException if the file cannot be created or mapped
     */
    public static IpcChannel create(Path file, int capacity) throws IOException {
        java.util.Objects.requireNonNull(file, "file must not be null");
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException(
                    "capacity must be a power of two in " + MIN_CAPACITY + ".." + MAX_CAPACITY + ", but was " + capacity);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) HEADER_BYTES + capacity);
            mapped.order(ByteOrder.nativeOrder());
            mapped.putLong(MAGIC_AT, MAGIC);
            mapped.putInt(VERSION_AT, VERSION);
            mapped.putInt(CAPACITY_AT, capacity);
            mapped.putInt(CRC_AT, headerCrc(mapped));
            LONG.setRelease(mapped, WRITER_AT, 0L);
            LONG.setRelease(mapped, READER_AT, 0L);
            return new IpcChannel(file, ch, mapped, capacity);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens an existing channel file, checking its header.
     *
     * @throws IOException if the file is missing, too short, not a Conduit channel (magic), of
     *     another format version, has a corrupt header (CRC) or a size that does not match its
     *     capacity; the message says which
     */
    public static IpcChannel open(Path file) throws IOException {
        java.util.Objects.requireNonNull(file, "file must not be null");
        long size = Files.size(file);
        if (size < HEADER_BYTES) {
            throw new IOException(file + " is not a Conduit IPC channel: " + size + " bytes, shorter than the header");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            MappedByteBuffer head = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_BYTES);
            head.order(ByteOrder.nativeOrder());
            if (head.getLong(MAGIC_AT) != MAGIC) {
                throw new IOException(file + " is not a Conduit IPC channel (bad magic number)");
            }
            int version = head.getInt(VERSION_AT);
            if (version != VERSION) {
                throw new IOException(file + " has format version " + version + ", this library reads version " + VERSION);
            }
            if (head.getInt(CRC_AT) != headerCrc(head)) {
                throw new IOException(file + " has a corrupt header (CRC mismatch)");
            }
            int capacity = head.getInt(CAPACITY_AT);
            if (size != (long) HEADER_BYTES + capacity) {
                throw new IOException(file + " is " + size + " bytes but its header says " + (HEADER_BYTES + (long) capacity));
            }
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) HEADER_BYTES + capacity);
            mapped.order(ByteOrder.nativeOrder());
            return new IpcChannel(file, ch, mapped, capacity);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static int headerCrc(ByteBuffer header) {
        CRC32 crc = new CRC32();
        crc.update(header.slice(0, CRC_AT));
        return (int) crc.getValue();
    }

    /** The ring's size in bytes. */
    public int capacity() {
        return capacity;
    }

    /** The largest record a writer accepts: half the ring, less the record header. */
    public int maxRecord() {
        return capacity / 2 - RECORD_HEADER;
    }

    /** The writing end; use one per file at a time. */
    public IpcWriter writer() {
        return new IpcWriter(this);
    }

    /** The reading end, resuming after the last record any reader of this file consumed. */
    public IpcReader reader() {
        return new IpcReader(this);
    }

    /** The commit word, the length, then the bytes. */
    static final int RECORD_HEADER = Long.BYTES + Integer.BYTES;

    /** The commit word of a record at stream position {@code p}: never 0, unique per position. */
    static long commitWord(long p) {
        return p + 1;
    }

    /** The marker of padding from stream position {@code p} to the end of the ring. */
    static long padWord(long p) {
        return ~p;
    }

    static int recordBytes(int length) {
        return (RECORD_HEADER + length + 7) & ~7;
    }

    /** Closes the file. The mapping itself is released when its buffers are collected. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "IpcChannel(" + file + ", capacity=" + capacity + ")";
    }
}
