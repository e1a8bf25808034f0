package dev.conduit.ring;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The writing end of an {@link IpcChannel}: appends records and publishes each with one release
 * store of the committed position. Not thread-safe: one writer thread per channel file.
 */
public final class IpcWriter {

    private final IpcChannel ipc;
    private final int mask;
    private long position;
    private long readerSeen;

    IpcWriter(IpcChannel ipc) {
        this.ipc = ipc;
        this.mask = ipc.capacity - 1;
        this.readerSeen = (long) IpcChannel.LONG.getAcquire(ipc.header, IpcChannel.READER_AT);
        // A writer that died after committing a record but before saving its position left that
        // record's commit word: step over every such record (and padding) to the true end.
        long p = (long) IpcChannel.LONG.getAcquire(ipc.header, IpcChannel.WRITER_AT);
        while (true) {
            int at = (int) (p & mask);
            long word = (long) IpcChannel.LONG.getAcquire(ipc.ring, at);
            if (word == IpcChannel.padWord(p)) {
                p += ipc.capacity - at;
            } else if (word == IpcChannel.commitWord(p)) {
                p += IpcChannel.recordBytes(ipc.ring.getInt(at + Long.BYTES));
            } else {
                break;
            }
        }
        this.position = p;
    }

    /**
     * Appends {@code src[offset, offset + length)} as one record if there is room now. Never
     * blocks.
     *
     * @return whether it was written (false: the reader is a ring behind)
     * @throws IllegalArgumentException if the record is longer than {@link IpcChannel#maxRecord()}
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws NullPointerException if {@code src} is null
     */
    public boolean offer(byte[] src, int offset, int length) {
        java.util.Objects.requireNonNull(src, "record must not be null");
        java.util.Objects.checkFromIndexSize(offset, length, src.length);
        if (length > ipc.maxRecord()) {
            throw new IllegalArgumentException("record of " + length + " bytes exceeds the maximum of " + ipc.maxRecord());
        }
        int size = IpcChannel.recordBytes(length);
        int at = (int) (position & mask);
        int toEnd = ipc.capacity - at;
        int pad = toEnd < size ? toEnd : 0;
        long end = position + pad + size;
        if (end - readerSeen > ipc.capacity) {
            readerSeen = (long) IpcChannel.LONG.getAcquire(ipc.header, IpcChannel.READER_AT);
            if (end - readerSeen > ipc.capacity) return false;
        }
        long p = position;
        if (pad > 0) {
            IpcChannel.LONG.setRelease(ipc.ring, at, IpcChannel.padWord(p)); // padding: the next record starts at the front
            p += pad;
            at = 0;
        }
        ipc.ring.putInt(at + Long.BYTES, length);
        ipc.ring.put(at + IpcChannel.RECORD_HEADER, src, offset, length);
        IpcChannel.LONG.setRelease(ipc.ring, at, IpcChannel.commitWord(p)); // commits the whole record
        IpcChannel.LONG.setRelease(ipc.header, IpcChannel.WRITER_AT, end); // for a restart, and position()
        position = end;
        return true;
    }

    /** {@link #offer(byte[], int, int)} for the whole array. */
    public boolean offer(byte[] record) {
        return offer(record, 0, java.util.Objects.requireNonNull(record, "record must not be null").length);
    }

    /**
     * Appends a record, waiting (spin, then yield, then park) while the ring is full.
     *
     * @throws TimeoutException if there is still no room after {@code timeout}
     * @throws InterruptedException if interrupted while waiting (nothing is written)
     * @throws IllegalArgumentException as {@link #offer(byte[], int, int)}
     */
    public void write(byte[] record, Duration timeout) throws InterruptedException, TimeoutException {
        IdleWait idle = new IdleWait(timeout);
        while (!offer(record)) {
            if (!idle.idle()) throw new TimeoutException("IPC channel still full after " + timeout);
        }
    }

    /** The position after the last committed record (bytes written since the file was created). */
    public long position() {
        return position;
    }
}
