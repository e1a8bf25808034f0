package dev.conduit.samples;

import dev.conduit.ring.RingBuffer;
import java.io.PrintStream;

/**
 * Lock-free rings as plain {@code java.util.Queue}s: one producer thread hands a million
 * numbers to one consumer thread through an SPSC ring of 1024, and the consumer drains in
 * batches. No locks, no allocation per hand-off beyond the boxed numbers.
 */
public final class RingHandoff implements Sample {
    @Override
    public String title() {
        return "a lock-free SPSC ring between two threads";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        RingBuffer<Long> ring = RingBuffer.spsc(1000);
        int items = 1_000_000;
        Thread producer = new Thread(() -> {
            for (long i = 1; i <= items; i++) {
                while (!ring.offer(i)) Thread.onSpinWait();
            }
        });
        producer.start();
        long[] sum = {0};
        int[] taken = {0};
        while (taken[0] < items) {
            int n = ring.drain(x -> sum[0] += x, 256);
            if (n == 0) Thread.onSpinWait();
            taken[0] += n;
        }
        producer.join();
        out.println("capacity asked 1000, got " + ring.capacity() + " (a power of two)");
        out.println(items + " numbers through the ring, sum = " + sum[0]);
    }

    public static void main(String[] args) throws Exception {
        new RingHandoff().run(System.out);
    }
}
