package dev.conduit.bench;

import java.util.concurrent.ThreadFactory;

/**
 * Blocking workloads shared by the queue and channel benchmarks: threads made once per trial by a
 * {@link ThreadFactory} (platform or virtual) into a {@link Crew}, moving ints through whatever
 * {@link Sender}/{@link Receiver} pair the benchmark passes, one round per invocation. JMH forks
 * a JVM per benchmark method, so each fork sees one implementation and the calls stay
 * monomorphic.
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

    /** A producer thread and a consumer thread moving {@code 0..items-1} per round. */
    public static final class Transfer implements AutoCloseable {
        private final Crew crew;
        private long sum;

        /** Starts the two threads, waiting for {@link #run()}. Never blocks. */
        public Transfer(ThreadFactory threads, int items, Sender out, Receiver in) {
            crew = new Crew(threads, 2, member -> {
                if (member == 0) {
                    for (int i = 0; i < items; i++) out.send(i);
                } else {
                    long s = 0;
                    for (int i = 0; i < items; i++) s += in.receive();
                    sum = s;
                }
            });
        }

        /**
         * One transfer; returns the sum the consumer received. Blocks until it is done.
         *
         * @throws IllegalStateException if a send or receive threw, with that as the cause
         */
        public long run() {
            crew.run();
            return sum;
        }

        /** Stops the threads. Blocks until they have ended. */
        @Override
        public void close() throws InterruptedException {
            crew.close();
        }
    }

    /**
     * Round trips: the benchmark thread sends on {@code ping} and waits on {@code pong}; an echo
     * thread, kept for the trial, answers each value plus one.
     */
    public static final class PingPong implements AutoCloseable {
        private final Crew echo;
        private final int rounds;
        private final Sender ping;
        private final Receiver pongIn;

        /** Starts the echo thread, waiting for {@link #run()}. Never blocks. */
        public PingPong(ThreadFactory threads, int rounds, Sender ping, Receiver pingIn, Sender pong, Receiver pongIn) {
            this.rounds = rounds;
            this.ping = ping;
            this.pongIn = pongIn;
            this.echo = new Crew(threads, 1, member -> {
                for (int i = 0; i < rounds; i++) pong.send(pingIn.receive() + 1);
            });
        }

        /**
         * {@code rounds} round trips; returns the last value back. Blocks until they are done.
         *
         * @throws InterruptedException if interrupted while sending or receiving
         * @throws IllegalStateException if the echo thread's send or receive threw
         */
        public int run() throws InterruptedException {
            echo.start();
            int ball = 0;
            for (int i = 0; i < rounds; i++) {
                ping.send(ball);
                ball = pongIn.receive();
            }
            echo.await();
            return ball;
        }

        /** Stops the echo thread. Blocks until it has ended. */
        @Override
        public void close() throws InterruptedException {
            echo.close();
        }
    }
}
