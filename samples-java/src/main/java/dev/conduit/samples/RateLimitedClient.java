package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.resilience.RateLimiter;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Four client goroutines share one token bucket (50 requests/s, burst 5): together they never
 * send faster than the bucket allows, however eager each one is.
 */
public final class RateLimitedClient implements Sample {
    @Override
    public String title() {
        return "a rate-limited client";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        double rate = 50;
        int burst = 5;
        RateLimiter limiter = RateLimiter.create(rate, burst);
        Channel<Long> sentAt = Channel.create(64);
        long start = System.nanoTime();
        for (int client = 0; client < 4; client++) {
            Go.go(() -> {
                for (int i = 0; i < 5; i++) {
                    limiter.await();
                    sentAt.send(System.nanoTime() - start);
                }
            });
        }
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 20; i++) times.add(sentAt.receive());
        Collections.sort(times);
        boolean withinLimit = true;
        for (int i = 0; i < times.size(); i++) {
            double seconds = times.get(i) / 1e9;
            // Request i+1 may go out no sooner than the bucket can have earned it (5 ms slack).
            withinLimit &= i + 1 <= burst + rate * (seconds + 0.005);
        }
        out.println("20 requests sent by 4 clients; never more than burst + rate * t: " + withinLimit);
    }

    public static void main(String[] args) throws Exception {
        new RateLimitedClient().run(System.out);
    }
}
