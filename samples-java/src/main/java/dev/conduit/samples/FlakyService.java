package dev.conduit.samples;

import dev.conduit.java.resilience.CircuitBreaker;
import dev.conduit.java.resilience.CircuitBreakerConfig;
import dev.conduit.resilience.CallNotPermittedException;
import dev.conduit.resilience.CircuitBreakerEvent;
import dev.conduit.resilience.CircuitBreakerMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A service that fails its first five requests, called through a circuit breaker: four failures
 * open it, a refused caller backs off, the first probe fails (the open wait doubles), the next
 * one succeeds and closes it. Each state transition is printed as it happens.
 */
public final class FlakyService implements Sample {
    /** The service: down for its first {@code failures} invocations. */
    private static final class Service {
        private int invocations;
        private final int failures;

        Service(int failures) {
            this.failures = failures;
        }

        String get(int request) throws IOException {
            if (++invocations <= failures) throw new IOException("service down");
            return "reply " + request;
        }
    }

    @Override
    public String title() {
        return "a flaky service behind a circuit breaker";
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
        Service service = new Service(5);
        for (int request = 1; request <= 10; request++) {
            int r = request;
            try {
                out.println("request " + r + ": " + breaker.call(ctx -> service.get(r)));
            } catch (IOException e) {
                out.println("request " + r + ": failed (" + e.getMessage() + ")");
            } catch (CallNotPermittedException e) {
                out.println("request " + r + ": not permitted (" + e.getState() + "), backing off");
                Thread.sleep(250); // longer than the longest open wait: the next request may probe
            }
        }
        CircuitBreakerMetrics m = breaker.metrics();
        out.println("calls " + m.getCalls() + ", failed " + m.getFailedCalls() + ", not permitted " + m.getNotPermittedCalls()
                + ", state " + m.getState());
    }

    public static void main(String[] args) throws Exception {
        new FlakyService().run(System.out);
    }
}
