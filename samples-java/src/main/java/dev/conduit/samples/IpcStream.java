package dev.conduit.samples;

import dev.conduit.ring.IpcChannel;
import dev.conduit.ring.IpcReader;
import dev.conduit.ring.IpcWriter;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A channel through a memory-mapped file, the way two processes would use it (here a writer
 * thread and this thread, each opening the file on its own): 100,000 records go through; then a
 * reader stops half-way, and a new reader on a fresh open of the file resumes where it stopped.
 */
public final class IpcStream implements Sample {
    @Override
    public String title() {
        return "records between processes through a memory-mapped file";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Path file = Files.createTempFile("conduit-tour", ".ring");
        try {
            IpcChannel.create(file, 1 << 16).close();
            Thread writerProcess = new Thread(() -> {
                try (IpcChannel ipc = IpcChannel.open(file)) {
                    IpcWriter writer = ipc.writer();
                    byte[] record = new byte[16];
                    for (long i = 0; i < 100_000; i++) {
                        ByteBuffer.wrap(record).order(ByteOrder.nativeOrder()).putLong(0, i).putLong(8, i * i);
                        writer.write(record, Duration.ofSeconds(10));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            writerProcess.start();
            long[] next = {0};
            long[] bad = {0};
            IpcReader.RecordHandler check = (buffer, offset, length) -> {
                long i = buffer.getLong(offset);
                if (i != next[0] || buffer.getLong(offset + 8) != i * i) bad[0]++;
                next[0]++;
            };
            try (IpcChannel ipc = IpcChannel.open(file)) {
                IpcReader reader = ipc.reader();
                while (next[0] < 50_000) reader.read(check, Duration.ofSeconds(10));
            }
            out.println("first reader stopped after " + next[0] + " records");
            try (IpcChannel ipc = IpcChannel.open(file)) {
                IpcReader reader = ipc.reader(); // a restarted reader: resumes after the last consumed record
                while (next[0] < 100_000) reader.read(check, Duration.ofSeconds(10));
            }
            writerProcess.join();
            out.println("second reader resumed and finished: " + next[0] + " records in order, " + bad[0] + " bad");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    public static void main(String[] args) throws Exception {
        new IpcStream().run(System.out);
    }
}
