package dev.conduit.samples;

import dev.conduit.java.resilience.CircuitBreaker;
import dev.conduit.java.resilience.CircuitBreakerConfig;
import dev.conduit.java.resilience.Retry;
import dev.conduit.java.resilience.RetryConfig;
import dev.conduit.java.resilience.TimeoutLadder;
import dev.conduit.resilience.CallNotPermittedException;
import dev.conduit.resilience.CircuitBreakerEvent;
import dev.conduit.resilience.CircuitBreakerMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service that fails its first ten invocations and then hangs once, called through a circuit
 * breaker around a timeout ladder around a retry ({@code breaker.call(ladder.run(retry.call(..)))}):
 * the retry tries each request twice, so four failed requests open the breaker; a refused caller
 * backs off, the first probe fails (the open wait doubles), the next probe hangs until the
 * ladder's first rung cancels it, and its second rung answers, which closes the breaker. Each
 * state transition is printed as it happens.
 */
public final class FlakyService implements Sample {
    /**
     * The service: down for its first {@code failures} invocations, then hanging once until
     * interrupted. Invoked from the ladder's attempt threads, one at a time.
     */
    private static final class Service {
        private final AtomicInteger invocations = new AtomicInteger();
        private final int failures;
        private final PrintStream out;

        Service(int failures, PrintStream out) {
            this.failures = failures;
            this.out = out;
        }

        String get(int request) throws IOException, InterruptedException {
            int n = invocations.incrementAndGet();
            if (n <= failures) throw new IOException("service down");
            if (n == failures + 1) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    out.println("  invocation " + n + " hung; the ladder's first rung cancelled it");
                    throw e;
                }
            }
            return "reply " + request;
        }
    }

    @Override
    public String title() {
        return "a flaky service behind a circuit breaker, a timeout ladder and a retry";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        CircuitBreaker breaker = CircuitBreaker.create("flaky", CircuitBreakerConfig.builder()
                .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(Duration.ofMillis(50)).openBackoff(2.0, Duration.ofMillis(200))
                .build());
        breaker.addListener(e -> {
            if (e instanceof CircuitBreakerEvent.StateTransition t) out.println("  breaker " + t.getFrom() + " -> " + t.getTo());
        });
        TimeoutLadder ladder = TimeoutLadder.create(List.of(Duration.ofMillis(100), Duration.ofSeconds(5)));
        Retry retry = Retry.create(RetryConfig.builder().maxAttempts(2).fixedBackoff(Duration.ZERO)
                .retryOn(e -> e instanceof IOException).build());
        Service service = new Service(10, out);
        for (int request = 1; request <= 10; request++) {
            int r = request;
            try {
                out.println("request " + r + ": " + breaker.call(ctx ->
                        ladder.run(ctx, (rungCtx, rung) -> retry.call(rungCtx, c -> service.get(r)))));
            } catch (IOException e) {
                out.println("request " + r + ": failed (" + e.getMessage() + ")");
            } catch (CallNotPermittedException e) {
                out.println("request " + r + ": not permitted (" + e.getState() + "), backing off");
                Thread.sleep(250); // longer than the longest open wait: the next request may probe
            }
        }
        CircuitBreakerMetrics m = breaker.metrics();
        out.println("service invoked " + service.invocations.get() + " times, retries " + retry.metrics().getRetries()
                + "; breaker calls " + m.getCalls() + ", failed " + m.getFailedCalls() + ", not permitted " + m.getNotPermittedCalls()
                + ", state " + m.getState());
    }

    public static void main(String[] args) throws Exception {
        new FlakyService().run(System.out);
    }
}
