package dev.conduit.samples;

import dev.conduit.java.sync.Semaphore;
import dev.conduit.java.sync.WaitGroup;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Twelve downloads start at once, a semaphore lets three run at a time, and a wait group tells
 * when all are done.
 */
public final class BoundedParallelism implements Sample {
    @Override
    public String title() {
        return "bounded parallelism: a semaphore and a wait group";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Semaphore slots = Semaphore.create(3);
        WaitGroup wg = WaitGroup.create();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        for (int i = 0; i < 12; i++) {
            wg.go(() -> {
                slots.acquire();
                try {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.sleep(5); // the "download"
                    running.decrementAndGet();
                    finished.incrementAndGet();
                } finally {
                    slots.release();
                }
            });
        }
        wg.await();
        out.println(finished.get() + " downloads finished, never more than 3 at once: " + (mostAtOnce.get() <= 3));
    }

    public static void main(String[] args) throws Exception {
        new BoundedParallelism().run(System.out);
    }
}
