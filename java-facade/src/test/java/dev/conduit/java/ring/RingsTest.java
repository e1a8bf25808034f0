package dev.conduit.java.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.ring.IpcChannel;
import dev.conduit.ring.IpcReader;
import dev.conduit.ring.IpcWriter;
import dev.conduit.ring.RingBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RingsTest {
    @Test
    void ringsAreQueuesForJava() throws Exception {
        RingBuffer<String> ring = RingBuffer.spsc(5);
        assertEquals(8, ring.capacity());
        assertTrue(ring.push("a"));
        assertTrue(ring.offer("b"));
        assertEquals(2, ring.fill(() -> "c", 2));
        List<String> drained = new ArrayList<>();
        assertEquals(4, ring.drain(drained::add, 10));
        assertEquals(List.of("a", "b", "c", "c"), drained);
        assertNull(ring.pop());
        assertThrows(NullPointerException.class, () -> ring.offer(null));

        RingBuffer<Integer> shared = RingBuffer.mpmc(64);
        Thread[] producers = new Thread[3];
        for (int p = 0; p < 3; p++) {
            int base = p * 10_000;
            producers[p] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    while (!shared.offer(base + i)) Thread.onSpinWait();
                }
            });
            producers[p].start();
        }
        Set<Integer> seen = new HashSet<>();
        while (seen.size() < 30_000) {
            Integer x = shared.poll();
            if (x != null) assertTrue(seen.add(x), "duplicate " + x);
        }
        for (Thread t : producers) t.join();
    }

    @Test
    void spscChannelBetweenTwoJavaThreads() throws Exception {
        dev.conduit.java.chan.Channel<Integer> ch = dev.conduit.java.chan.Channel.spsc(16);
        assertEquals(16, ch.cap());
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < 100_000; i++) ch.send(i);
                ch.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        int next = 0;
        for (int v : ch) assertEquals(next++, v);
        assertEquals(100_000, next);
        producer.join();
    }

    @Test
    void ipcChannelFromJava() throws IOException, Exception {
        Path file = Files.createTempFile("java-ipc", ".ring");
        try (IpcChannel ipc = IpcChannel.create(file, 4096)) {
            IpcWriter writer = ipc.writer();
            writer.write(new byte[] {1, 2, 3}, Duration.ofSeconds(1));
            assertTrue(writer.offer(new byte[] {4}));
        }
        try (IpcChannel ipc = IpcChannel.open(file)) {
            IpcReader reader = ipc.reader();
            assertArrayEquals(new byte[] {1, 2, 3}, reader.poll());
            assertArrayEquals(new byte[] {4}, reader.poll());
            assertNull(reader.poll());
        } finally {
            Files.deleteIfExists(file);
        }
        Path garbage = Files.createTempFile("java-ipc", ".bad");
        Files.write(garbage, new byte[8192]);
        IOException e = assertThrows(IOException.class, () -> IpcChannel.open(garbage));
        assertTrue(e.getMessage().contains("bad magic number"), e.getMessage());
        Files.deleteIfExists(garbage);
    }
}
