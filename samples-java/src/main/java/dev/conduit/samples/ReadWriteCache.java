package dev.conduit.samples;

import dev.conduit.java.sync.RWMutex;
import dev.conduit.java.sync.WaitGroup;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A read-mostly cache behind the channel-built RWMutex: eight readers share the lock, one
 * writer updates the entries; every reader sees a consistent pair (both entries from the same
 * version), and the writer is never starved by the stream of readers.
 */
public final class ReadWriteCache implements Sample {
    @Override
    public String title() {
        return "a read-mostly cache behind a channel-built RWMutex";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        RWMutex rw = RWMutex.create();
        Map<String, Integer> cache = new HashMap<>(Map.of("a", 0, "b", 0));
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        WaitGroup wg = WaitGroup.create();
        for (int r = 0; r < 8; r++) {
            wg.go(() -> {
                for (int i = 0; i < 500; i++) {
                    rw.rLocker().withLock(() -> {
                        if (!cache.get("a").equals(cache.get("b"))) torn.incrementAndGet();
                        reads.incrementAndGet();
                    });
                }
            });
        }
        wg.go(() -> {
            for (int version = 1; version <= 100; version++) {
                int v = version;
                rw.withLock(() -> {
                    cache.put("a", v);
                    cache.put("b", v);
                });
            }
        });
        wg.await();
        out.println(reads.get() + " reads alongside 100 writes; torn reads: " + torn.get() + "; final version " + cache.get("a"));
    }

    public static void main(String[] args) throws Exception {
        new ReadWriteCache().run(System.out);
    }
}
