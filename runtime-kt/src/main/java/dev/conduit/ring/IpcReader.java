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

    private final IpcChannel ipc;
    private final int mask;
    private long position;
    private long writerSeen;

    IpcReader(IpcChannel ipc) {
        this.ipc = ipc;
        this.mask = ipc.capacity - 1;
        this.position = (long) IpcChannel.LONG.getAcquire(ipc.header, IpcChannel.READER_AT);
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
        if (position >= writerSeen) {
            writerSeen = (long) IpcChannel.LONG.getAcquire(ipc.header, IpcChannel.WRITER_AT);
            if (position >= writerSeen) return false;
        }
        int at = (int) (position & mask);
        int length = ipc.ring.getInt(at);
        if (length == IpcWriter.PAD) {
            position += ipc.capacity - at;
            at = 0;
            length = ipc.ring.getInt(0);
        }
        if (length < 0 || length > ipc.maxRecord()) {
            throw new IllegalStateException("corrupt record length " + length + " at position " + position);
        }
        handler.onRecord(ipc.ring, at + Integer.BYTES, length);
        position += IpcChannel.recordBytes(length);
        IpcChannel.LONG.setRelease(ipc.header, IpcChannel.READER_AT, position); // frees the space, survives a restart
        return true;
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
