package dev.conduit.ring;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The reading end of an {@link IpcChannel}: reads whole committed records in order and records
 * its position in the file after each, so a restarted reader resumes where this one stopped.
 * Not thread-safe: one reader thread per channel file.
 */
public final class IpcReader {
    /**
     * Receives one record: {@code length} bytes at {@code offset} of {@code buffer}, which is in
     * native byte order (write multi-byte values in that order too). Read-only use, valid during
     * the call.
     */
    @FunctionalInterface
    public interface RecordHandler {
        /** Handles one record; do not keep {@code buffer}, the ring reuses it. */
        void onRecord(ByteBuffer buffer, int offset, int length);
    }

    private static final byte[] ZEROS = new byte[4096];

    private final IpcChannel ipc;
    private final int mask;
    private long position;

    IpcReader(IpcChannel ipc) {
        this.ipc = ipc;
        this.mask = ipc.capacity - 1;
        // A reader that died after clearing a record it had handled, but before saving its
        // position, left that record's length word: step over such records (and padding), up to
        // what the writer saved as committed; the first intact record is the next to read.
        long p = (long) IpcChannel.LONG.getAcquire(ipc.header, IpcChannel.READER_AT);
        long committed = (long) IpcChannel.LONG.getAcquire(ipc.header, IpcChannel.WRITER_AT);
        while (p < committed) {
            int at = (int) (p & mask);
            long word = (long) IpcChannel.LONG.getAcquire(ipc.ring, at);
            if (word == IpcChannel.commitWord(p)) break;
            if (word == IpcChannel.padWord(p)) {
                p += ipc.capacity - at;
                continue;
            }
            int length = ipc.ring.getInt(at + Long.BYTES);
            if (length < 0 || length > ipc.maxRecord()) {
                throw new IllegalStateException("corrupt record length " + length + " at position " + p);
            }
            p += IpcChannel.recordBytes(length);
        }
        this.position = p;
    }

    /**
     * Hands the next committed record to {@code handler}, if there is one. Never blocks.
     *
     * @return whether a record was read
     * @throws IllegalStateException if the ring holds a length that cannot be a record (the file
     *     was damaged or written by something else)
     */
    public boolean poll(RecordHandler handler) {
        java.util.Objects.requireNonNull(handler, "handler must not be null");
        long p = position;
        int at = (int) (p & mask);
        long word = (long) IpcChannel.LONG.getAcquire(ipc.ring, at);
        int padding = 0;
        if (word == IpcChannel.padWord(p)) {
            padding = ipc.capacity - at;
            word = (long) IpcChannel.LONG.getAcquire(ipc.ring, 0);
            if (word != IpcChannel.commitWord(p + padding)) return false;
            at = 0;
        } else if (word != IpcChannel.commitWord(p)) {
            return false; // not committed yet
        }
        int length = ipc.ring.getInt(at + Long.BYTES);
        if (length < 0 || length > ipc.maxRecord()) {
            throw new IllegalStateException("corrupt record length " + length + " at position " + p);
        }
        handler.onRecord(ipc.ring, at + IpcChannel.RECORD_HEADER, length);
        int size = IpcChannel.recordBytes(length);
        // Clear what was consumed before saving the position: once saved, the writer may reuse it.
        ipc.ring.putLong(at, 0L);
        clear(at + IpcChannel.RECORD_HEADER, size - IpcChannel.RECORD_HEADER);
        if (padding > 0) clear((int) (p & mask) + Long.BYTES, padding - Long.BYTES);
        position = p + padding + size;
        IpcChannel.LONG.setRelease(ipc.header, IpcChannel.READER_AT, position); // frees the space, survives a restart
        return true;
    }

    /**
     * Zeroes consumed bytes so that none of them can look committed in a later lap. A record's
     * length word is kept: a commit word read there later would be a position larger than any
     * record length, so it cannot match, and a restarted reader needs it (see the constructor).
     * A padding marker is kept too: its value is tied to one position and cannot match again.
     */
    private void clear(int at, int length) {
        while (length > 0) {
            int n = Math.min(length, ZEROS.length);
            ipc.ring.put(at, ZEROS, 0, n);
            at += n;
            length -= n;
        }
    }

    /** The next committed record as a new array, or null if there is none now. Never blocks. */
    public byte[] poll() {
        byte[][] out = new byte[1][];
        return poll((buffer, offset, length) -> {
            out[0] = new byte[length];
            buffer.get(offset, out[0]);
        }) ? out[0] : null;
    }

    /**
     * Hands the next record to {@code handler}, waiting (spin, then yield, then park) for one.
     *
     * @throws TimeoutException if no record is committed within {@code timeout}
     * @throws InterruptedException if interrupted while waiting (nothing is read)
     */
    public void read(RecordHandler handler, Duration timeout) throws InterruptedException, TimeoutException {
        IdleWait idle = new IdleWait(timeout);
        while (!poll(handler)) {
            if (!idle.idle()) throw new TimeoutException("no IPC record within " + timeout);
        }
    }

    /** The position after the last record read (bytes since the file was created). */
    public long position() {
        return position;
    }
}
