package dev.conduit.samples;

import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.java.resilience.Retry;
import dev.conduit.java.resilience.RetryConfig;
import dev.conduit.java.resilience.TimeoutLadder;
import dev.conduit.resilience.RetryAbortedException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow and flaky service called through a timeout ladder with a retry on each rung: the first
 * call hangs until the 50 ms rung cancels it, the next fails and is retried, the one after that
 * answers. Then a retry that refuses to sleep past its context's deadline.
 */
public final class RetryLadder implements Sample {
    @Override
    public String title() {
        return "a flaky service through a timeout ladder and a retry";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // What each rung saw, printed rung by rung at the end: a cancelled rung may still be
        // reporting while the next one runs.
        Map<Integer, List<String>> seen = new ConcurrentHashMap<>();
        TimeoutLadder ladder = TimeoutLadder.create(List.of(Duration.ofMillis(50), Duration.ofSeconds(5)));
        Retry retry = Retry.create(RetryConfig.builder()
                .maxAttempts(3)
                .fixedBackoff(Duration.ofMillis(10))
                .retryOn(e -> e instanceof IOException)
                .build());

        String answer = ladder.run(Context.background(), (rungCtx, rung) -> retry.call(rungCtx, c -> {
            List<String> log = seen.computeIfAbsent(rung, r -> new CopyOnWriteArrayList<>());
            int n = calls.incrementAndGet();
            if (n == 1) {
                log.add("call 1 hangs");
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    log.add("call 1 cancelled at the rung's timeout: " + c.getErr().getMessage());
                    throw e;
                }
            }
            if (n == 2) {
                log.add("call 2 fails: connection reset (retried)");
                throw new IOException("connection reset");
            }
            log.add("call " + n + " answers");
            return "42";
        }));
        List<Duration> timeouts = ladder.timeouts();
        for (Map.Entry<Integer, List<String>> rung : new TreeMap<>(seen).entrySet()) {
            out.println("rung " + rung.getKey() + " (" + timeouts.get(rung.getKey() - 1).toMillis() + " ms): "
                    + String.join("; ", rung.getValue()));
        }
        out.println("answer " + answer + " after " + calls.get() + " calls; retries: " + retry.metrics().getRetries());

        try (CancelContext ctx = Context.background().withTimeout(Duration.ofMillis(100))) {
            Retry patient = Retry.create(RetryConfig.builder().maxAttempts(5).fixedBackoff(Duration.ofSeconds(1)).build());
            patient.call(ctx, c -> {
                throw new IOException("service down");
            });
        } catch (RetryAbortedException e) {
            out.println("a 1 s backoff under a 100 ms deadline: " + e.getReason() + ", at once, cause: " + e.getCause().getMessage());
        }
    }

    public static void main(String[] args) throws Exception {
        new RetryLadder().run(System.out);
    }
}
