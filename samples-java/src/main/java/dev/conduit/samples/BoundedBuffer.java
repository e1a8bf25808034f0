package dev.conduit.samples;

import dev.conduit.java.sync.Cond;
import dev.conduit.java.sync.Mutex;
import dev.conduit.java.sync.WaitGroup;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The textbook bounded buffer from a channel-built Mutex and two Conds ("not full", "not
 * empty"): three producers and two consumers move 3,000 items through four slots.
 */
public final class BoundedBuffer implements Sample {
    private static final int SLOTS = 4;

    @Override
    public String title() {
        return "a bounded buffer from a mutex and two condition variables";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Mutex mu = Mutex.create();
        Cond notFull = Cond.create(mu);
        Cond notEmpty = Cond.create(mu);
        ArrayDeque<Integer> buffer = new ArrayDeque<>();
        AtomicLong sum = new AtomicLong();
        int[] most = {0};
        WaitGroup wg = WaitGroup.create();
        for (int p = 0; p < 3; p++) {
            int base = p * 1_000;
            wg.go(() -> {
                for (int i = 1; i <= 1_000; i++) {
                    int item = base + i;
                    mu.withLock(() -> {
                        while (buffer.size() == SLOTS) notFull.await();
                        buffer.addLast(item);
                        most[0] = Math.max(most[0], buffer.size());
                        notEmpty.signal();
                    });
                }
            });
        }
        for (int c = 0; c < 2; c++) {
            wg.go(() -> {
                for (int i = 0; i < 1_500; i++) {
                    mu.withLock(() -> {
                        while (buffer.isEmpty()) notEmpty.await();
                        sum.addAndGet(buffer.removeFirst());
                        notFull.signal();
                    });
                }
            });
        }
        wg.await();
        out.println("3,000 items through " + SLOTS + " slots: sum = " + sum.get() + ", never more than " + SLOTS + " buffered: "
                + (most[0] <= SLOTS));
    }

    public static void main(String[] args) throws Exception {
        new BoundedBuffer().run(System.out);
    }
}
