package dev.conduit.java.resilience;

import static dev.conduit.java.sync.BadInputs.assertFailedWith;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import dev.conduit.Clock;
import dev.conduit.context.Context;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.java.ManualClock;
import dev.conduit.java.chan.Interrupting;
import dev.conduit.java.sync.BadInputs;
import dev.conduit.resilience.CallNotPermittedException;
import dev.conduit.resilience.CircuitBreakerEvent;
import dev.conduit.resilience.CircuitBreakerListener;
import dev.conduit.resilience.CircuitBreakerMetrics;
import dev.conduit.resilience.CircuitBreakerState;
import dev.conduit.resilience.SlidingWindowType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The circuit breaker through the Java facade, on a manual clock. */
@Timeout(60)
class CircuitBreakerTest {
    private final ManualClock clock = new ManualClock();

    /** A window of 4 calls, judged from 4 on, 50% failures, 1 probe, 10 s open. */
    private CircuitBreaker breaker() {
        return CircuitBreaker.create("svc", CircuitBreakerConfig.builder()
                .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
                .permittedNumberOfCallsInHalfOpenState(1).waitDurationInOpenState(Duration.ofSeconds(10))
                .recordException(e -> !(e instanceof UnsupportedOperationException))
                .build(), clock);
    }

    private static void failing(CircuitBreaker cb, int times) throws InterruptedException {
        for (int i = 0; i < times; i++) {
            assertThrows(IOException.class, () -> cb.call(ctx -> { throw new IOException("down"); }));
        }
    }

    @Test
    void badSettingsAreRejectedNamingThem() {
        CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
        BadInputs.check(
                row("failureRateThreshold(0)", IllegalArgumentException.class, "failureRateThreshold must be in (0, 100], but was 0",
                        () -> b.failureRateThreshold(0)),
                row("slowCallRateThreshold(101)", IllegalArgumentException.class, "but was 101", () -> b.slowCallRateThreshold(101)),
                row("slidingWindowSize(0)", IllegalArgumentException.class, "slidingWindowSize must be in [1, 1000000], but was 0",
                        () -> b.slidingWindowSize(0)),
                row("minimumNumberOfCalls(-1)", IllegalArgumentException.class, "minimumNumberOfCalls", () -> b.minimumNumberOfCalls(-1)),
                row("permittedNumberOfCallsInHalfOpenState(0)", IllegalArgumentException.class, "permittedNumberOfCallsInHalfOpenState",
                        () -> b.permittedNumberOfCallsInHalfOpenState(0)),
                row("waitDurationInOpenState(0)", IllegalArgumentException.class, "waitDurationInOpenState must be > 0",
                        () -> b.waitDurationInOpenState(Duration.ZERO)),
                row("slowCallDuration(-1s)", IllegalArgumentException.class, "slowCallDuration", () -> b.slowCallDuration(Duration.ofSeconds(-1))),
                row("openBackoff(0.9, 1m)", IllegalArgumentException.class, "openBackoffMultiplier must be >= 1, but was 0.9",
                        () -> b.openBackoff(0.9, Duration.ofMinutes(1))),
                row("rampUpDuration(-1s)", IllegalArgumentException.class, "rampUpDuration", () -> b.rampUpDuration(Duration.ofSeconds(-1))),
                row("a backoff cap below the first wait", IllegalArgumentException.class, "maxWaitDurationInOpenState",
                        () -> CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofMinutes(2))
                                .openBackoff(2, Duration.ofMinutes(1)).build()));
    }

    @Test
    void aCheckedExceptionComesBackAsItself() {
        CircuitBreaker cb = breaker();
        IOException thrown = new IOException("down");
        IOException caught = assertThrows(IOException.class, () -> cb.call(Context.background(), ctx -> { throw thrown; }));
        assertSame(thrown, caught);
        assertEquals(1, cb.metrics().getFailedCalls());
    }

    @Test
    void opensRefusesAndRecoversThroughHalfOpen() throws Exception {
        CircuitBreaker cb = breaker();
        List<String> transitions = new ArrayList<>();
        cb.addListener(e -> {
            if (e instanceof CircuitBreakerEvent.StateTransition t) transitions.add(t.getFrom() + " -> " + t.getTo());
        });
        assertEquals("ok", cb.call(ctx -> "ok"));
        failing(cb, 3);
        assertEquals(CircuitBreakerState.OPEN, cb.state());
        CallNotPermittedException refused = assertThrows(CallNotPermittedException.class, () -> cb.call(ctx -> "never"));
        assertEquals("circuit breaker 'svc' is OPEN and does not permit further calls", refused.getMessage());
        clock.advance(Duration.ofSeconds(10));
        assertEquals("probe", cb.call(ctx -> "probe"));
        assertEquals(CircuitBreakerState.CLOSED, cb.state());
        assertEquals(List.of("CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED"), transitions);
        CircuitBreakerMetrics m = cb.metrics();
        assertEquals(5, m.getCalls());
        assertEquals(1, m.getNotPermittedCalls());
    }

    @Test
    void thePermissionPairForWorkTheCallerRuns() {
        CircuitBreaker cb = breaker();
        for (int i = 0; i < 4; i++) {
            assertTrue(cb.tryAcquirePermission());
            if (i % 2 == 0) cb.onError(1_000, new IOException("down")); else cb.onResult(1_000, "fine");
        }
        assertEquals(CircuitBreakerState.OPEN, cb.state(), "2 failures of 4");
        assertFalse(cb.tryAcquirePermission());
        clock.advance(Duration.ofSeconds(10));
        assertTrue(cb.tryAcquirePermission());
        assertFalse(cb.tryAcquirePermission(), "one probe");
        cb.releasePermission();
        assertTrue(cb.tryAcquirePermission(), "the released probe is free again");
        cb.onSuccess(1_000);
        assertEquals(CircuitBreakerState.CLOSED, cb.state());
    }

    @Test
    void predicatesTimeoutsAndManualTransitions() throws Exception {
        CircuitBreaker cb = breaker();
        assertThrows(UnsupportedOperationException.class, () -> cb.call(ctx -> { throw new UnsupportedOperationException(); }));
        assertEquals(1, cb.metrics().getSuccessfulCalls(), "an unrecorded exception counts as a success");
        Context expired = Context.background(clock).withTimeout(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThrows(DeadlineExceededException.class, () -> cb.call(expired, ctx -> { throw ctx.getErr(); }));
        assertEquals(1, cb.metrics().getTimeouts());
        cb.forceOpen();
        assertEquals(CircuitBreakerState.FORCED_OPEN, cb.state());
        assertFalse(cb.tryAcquirePermission());
        cb.disable();
        failing(cb, 6);
        assertEquals(CircuitBreakerState.DISABLED, cb.state());
        cb.reset();
        assertEquals(CircuitBreakerState.CLOSED, cb.state());
        assertEquals(SlidingWindowType.COUNT_BASED, cb.config().unwrap().getSlidingWindowType());
        assertEquals("CircuitBreaker(svc, CLOSED)", cb.toString());
    }

    @Test
    void callAsyncCompletesFailsAndCancels() throws Exception {
        CircuitBreaker cb = breaker();
        assertEquals("async", cb.callAsync(ctx -> "async").get());
        IOException thrown = new IOException("down");
        assertFailedWith(thrown, cb.callAsync(Context.background(), ctx -> { throw thrown; }));
        cb.forceOpen();
        CompletableFuture<String> refused = cb.callAsync(ctx -> "never");
        assertTrue(refused.isCompletedExceptionally(), "refused at once");
        cb.reset();
        failing(cb, 4);
        clock.advance(Duration.ofSeconds(10));
        Interrupting.Blocker blocker = new Interrupting.Blocker();
        CompletableFuture<String> probe = cb.callAsync(ctx -> {
            blocker.run();
            return "too late";
        });
        assertTrue(blocker.started(), "the probe call started");
        assertFalse(cb.tryAcquirePermission(), "the probe is taken");
        assertTrue(probe.cancel(true));
        assertTrue(blocker.interrupted(), "cancelling the future interrupted the call");
        // The cancelled call gives its probe back once its thread has unwound: a bounded wait.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cb.tryAcquirePermission()) {
            assertTrue(System.nanoTime() < deadline, "the cancelled probe gave its permission back within 10 s");
            Thread.onSpinWait();
        }
    }

    @Test
    void listenersAreJavaLambdasAndCanBeRemoved() throws Exception {
        CircuitBreaker cb = breaker();
        List<CircuitBreakerEvent> events = new ArrayList<>();
        CircuitBreakerListener listener = events::add;
        cb.addListener(listener);
        assertTrue(cb.tryAcquirePermission());
        cb.onSuccess(1_500);
        assertTrue(cb.removeListener(listener));
        cb.call(ctx -> 2);
        assertEquals(1, events.size());
        CircuitBreakerEvent.Success success = (CircuitBreakerEvent.Success) events.get(0);
        assertEquals(1_500, success.getDurationNanos());
        assertEquals(Duration.ofNanos(1_500), success.getDuration(), "a call event's duration as a java.time.Duration");
    }

    @Test
    void wrapAndUnwrapShareOneBreaker() {
        CircuitBreaker cb = breaker();
        assertSame(cb.unwrap(), CircuitBreaker.wrap(cb.unwrap()).unwrap());
        CircuitBreakerConfig config = CircuitBreakerConfig.defaults();
        assertSame(config.unwrap(), CircuitBreakerConfig.wrap(config.unwrap()).unwrap());
        assertEquals("svc", cb.name());
    }

    @Test
    void everyPublicMethodRefusesNulls() {
        NullPointerTester tester = new NullPointerTester()
                .setDefault(Context.class, Context.background())
                .setDefault(Clock.class, clock)
                .setDefault(Duration.class, Duration.ofSeconds(1))
                .setDefault(String.class, "name")
                .setDefault(CircuitBreakerConfig.class, CircuitBreakerConfig.defaults());
        for (Class<?> type : List.of(CircuitBreaker.class, CircuitBreakerConfig.class)) tester.testAllPublicStaticMethods(type);
        for (Object facade : List.of(breaker(), CircuitBreakerConfig.defaults(), CircuitBreakerConfig.builder())) {
            tester.testAllPublicInstanceMethods(facade);
        }
    }
}
