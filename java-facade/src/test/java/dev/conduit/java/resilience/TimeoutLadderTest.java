package dev.conduit.java.resilience;

import static dev.conduit.java.sync.BadInputs.check;
import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.NullPointerTester;
import dev.conduit.context.Context;
import dev.conduit.context.DeadlineExceededException;
import dev.conduit.java.chan.Interrupting;
import dev.conduit.resilience.LadderExhaustedException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TimeoutLadderTest {
    private static final List<Duration> SHORT = List.of(Duration.ofMillis(30), Duration.ofMillis(60));

    @Test
    void badInputIsRejectedNamingIt() {
        check(
                row("empty", IllegalArgumentException.class, "timeouts must not be empty", () -> TimeoutLadder.create(List.of())),
                row("zero rung", IllegalArgumentException.class, "timeouts[0] must be > 0", () -> TimeoutLadder.create(List.of(Duration.ZERO))),
                row("decreasing", IllegalArgumentException.class, "timeouts must increase",
                        () -> TimeoutLadder.create(List.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))),
                row("hedge", IllegalArgumentException.class, "hedgeAfter must be > 0", () -> TimeoutLadder.create(SHORT, Duration.ofMillis(-1))),
                row("null rung", NullPointerException.class, "timeouts[1]",
                        () -> TimeoutLadder.create(java.util.Arrays.asList(Duration.ofSeconds(1), null))));
    }

    @Test
    void refusesNulls() {
        NullPointerTester tester = new NullPointerTester().setDefault(Context.class, Context.background()).setDefault(List.class, SHORT);
        tester.testAllPublicStaticMethods(TimeoutLadder.class);
        tester.testAllPublicInstanceMethods(TimeoutLadder.create(SHORT));
    }

    @Test
    void stepsByHandAndWrapsTheCore() {
        TimeoutLadder ladder = TimeoutLadder.create(SHORT, Duration.ofMillis(10));
        assertEquals(SHORT, ladder.timeouts());
        assertEquals(Optional.of(Duration.ofMillis(10)), ladder.hedgeAfter());
        assertEquals(Optional.of(Duration.ofMillis(30)), ladder.nextTimeout());
        assertEquals(Optional.of(Duration.ofMillis(60)), ladder.nextTimeout());
        assertEquals(Optional.empty(), ladder.nextTimeout());
        ladder.reset();
        assertEquals(Optional.of(Duration.ofMillis(30)), ladder.nextTimeout());
        assertSame(ladder.unwrap(), TimeoutLadder.wrap(ladder.unwrap()).unwrap());
    }

    @Test
    void aTimedOutAttemptIsInterruptedAndItsContextEnds() throws Exception {
        Interrupting.Blocker first = new Interrupting.Blocker();
        CompletableFuture<Context> firstCtx = new CompletableFuture<>();
        String answer = TimeoutLadder.create(SHORT).run(Context.background(), (c, attempt) -> {
            if (attempt == 1) {
                firstCtx.complete(c);
                first.run();
            }
            return "attempt " + attempt;
        });
        assertEquals("attempt 2", answer);
        assertTrue(first.interrupted(), "the timed-out attempt's blocking call was interrupted");
        assertInstanceOf(DeadlineExceededException.class, firstCtx.get().getErr(), "and its context ended by its deadline");
    }

    @Test
    void afterTheLastRungItFailsWithEveryAttemptsFailure() {
        LadderExhaustedException e = assertThrows(LadderExhaustedException.class,
                () -> TimeoutLadder.create(SHORT).run(Context.background(), (c, attempt) -> {
                    new Interrupting.Blocker().run();
                    return "never";
                }));
        assertEquals(2, e.getFailures().size());
        assertInstanceOf(TimeoutException.class, e.getFailures().get(0));
        assertEquals("attempt 2 timed out after 60ms", e.getCause().getMessage());
    }

    @Test
    void aFailureIsRethrownAsTheJavaCodeThrewIt() {
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> TimeoutLadder.create(SHORT).run(Context.background(), (c, attempt) -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        TimeoutLadder failover = TimeoutLadder.create(SHORT, null, e -> e instanceof IOException);
        assertEquals("2", assertDoesNotThrow(() -> failover.run(Context.background(), (c, attempt) -> {
            if (attempt == 1) throw boom;
            return String.valueOf(attempt);
        })));
    }

    @Test
    void hedgingTakesTheFirstAnswerAndInterruptsTheLoser() throws Exception {
        Interrupting.Blocker slow = new Interrupting.Blocker();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        TimeoutLadder ladder = TimeoutLadder.create(List.of(Duration.ofSeconds(20), Duration.ofSeconds(30)), Duration.ofMillis(20));
        String answer = ladder.run(Context.background(), (c, attempt) -> {
            attempts.add(attempt);
            if (attempt == 1) slow.run();
            return "hedge " + attempt;
        });
        assertEquals("hedge 2", answer);
        assertEquals(List.of(1, 2), attempts);
        assertTrue(slow.interrupted(), "the slower attempt was cancelled, its thread interrupted");
    }

    @Test
    void interruptingTheCallerCancelsTheAttempt() throws Exception {
        Interrupting.Blocker attempt = new Interrupting.Blocker();
        CountDownLatch started = new CountDownLatch(1);
        Throwable e = Interrupting.interruptWhileBlocked(started, () -> TimeoutLadder.create(List.of(Duration.ofSeconds(30)))
                .run(Context.background(), (c, n) -> {
                    started.countDown();
                    attempt.run();
                    return null;
                }));
        assertInstanceOf(InterruptedException.class, e);
        assertTrue(attempt.interrupted(), "the attempt's thread was interrupted too");
    }

    @Test
    void cancellingTheFutureStopsTheWork() throws Exception {
        Interrupting.Blocker attempt = new Interrupting.Blocker();
        CompletableFuture<Object> f = TimeoutLadder.create(List.of(Duration.ofSeconds(30))).runAsync(Context.background(), (c, n) -> {
            attempt.run();
            return "never";
        });
        assertTrue(attempt.started());
        assertTrue(f.cancel(true));
        assertTrue(attempt.interrupted(), "the attempt's blocking call was interrupted");
        assertTrue(f.isCancelled());
    }
}
