package dev.conduit.bench;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Blocking workloads shared by the queue and channel benchmarks: a producer thread and a
 * consumer thread, made by a {@link ThreadFactory} (platform or virtual), moving ints through
 * whatever {@link Sender}/{@link Receiver} pair the benchmark passes. JMH forks a JVM per
 * benchmark method, so each fork sees one implementation and the calls stay monomorphic.
 */
public final class Handoff {
    private Handoff() {}

    /** Sends one value, blocking. */
    @FunctionalInterface
    public interface Sender {
        void send(int value) throws InterruptedException;
    }

    /** Receives one value, blocking. */
    @FunctionalInterface
    public interface Receiver {
        int receive() throws InterruptedException;
    }

    /** Moves {@code 0..items-1} from a producer thread to a consumer thread; returns their sum. */
    public static long transfer(ThreadFactory threads, int items, Sender out, Receiver in) throws Exception {
        long[] sum = {0};
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = threads.newThread(guard(failure, () -> {
            for (int i = 0; i < items; i++) out.send(i);
        }));
        Thread consumer = threads.newThread(guard(failure, () -> {
            long s = 0;
            for (int i = 0; i < items; i++) s += in.receive();
            sum[0] = s;
        }));
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
        if (failure.get() != null) throw new IllegalStateException("handoff failed", failure.get());
        return sum[0];
    }

    /**
     * {@code rounds} round trips: this thread sends on {@code ping} and waits on {@code pong};
     * an echo thread answers each value plus one.
     */
    public static int pingPong(ThreadFactory threads, int rounds, Sender ping, Receiver pingIn, Sender pong, Receiver pongIn)
            throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread echo = threads.newThread(guard(failure, () -> {
            for (int i = 0; i < rounds; i++) pong.send(pingIn.receive() + 1);
        }));
        echo.start();
        int ball = 0;
        for (int i = 0; i < rounds; i++) {
            ping.send(ball);
            ball = pongIn.receive();
        }
        echo.join();
        if (failure.get() != null) throw new IllegalStateException("ping-pong failed", failure.get());
        return ball;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Runnable guard(AtomicReference<Throwable> failure, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
    }
}
