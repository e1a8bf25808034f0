package dev.conduit.java.chan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.conduit.chan.Received;
import dev.conduit.java.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timers in virtual time: {@code after} and {@code Ticker} on a {@link ManualClock}. */
@Timeout(60)
class TimersTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void afterDeliversTheTimeOnceWhenItComes() {
        ManualClock clock = new ManualClock();
        ReceiveChannel<Instant> timer = ReceiveChannel.after(Duration.ofSeconds(5), clock);
        clock.advance(Duration.ofSeconds(4));
        assertNull(timer.tryReceiveOk(), "not yet");
        clock.advance(SECOND);
        Instant fired = clock.now();
        assertEquals(Received.of(fired), timer.tryReceiveOk());
        clock.advance(Duration.ofHours(1));
        assertNull(timer.tryReceiveOk(), "once, and the channel stays open");
    }

    @Test
    void tickerKeepsItsGridDropsTicksNobodyTookResetsAndStops() throws Exception {
        ManualClock clock = new ManualClock();
        Instant start = clock.now();
        try (Ticker ticker = Ticker.create(SECOND, clock)) {
            ReceiveChannel<Instant> ticks = ticker.channel();
            assertNull(ticks.tryReceiveOk());
            clock.advance(Duration.ofSeconds(3)); // three ticks; the channel holds one
            assertEquals(start.plusSeconds(1), ticks.receive());
            assertNull(ticks.tryReceiveOk(), "ticks nobody took were dropped, not piled up");
            clock.advance(SECOND);
            assertEquals(start.plusSeconds(4), ticks.receive());

            ticker.reset(Duration.ofSeconds(10)); // the next tick one new period from now
            clock.advance(Duration.ofSeconds(9));
            assertNull(ticks.tryReceiveOk());
            clock.advance(SECOND);
            assertEquals(start.plusSeconds(14), ticks.receive());

            ticker.stop();
            assertEquals(0, clock.pending(), "a stopped ticker has no timer");
            clock.advance(Duration.ofHours(1));
            assertNull(ticks.tryReceiveOk());
            ticker.stop(); // idempotent
        }
    }

    @Test
    void wrapAndUnwrapAreTheSameTicker() throws Exception {
        ManualClock clock = new ManualClock();
        Ticker ticker = Ticker.create(SECOND, clock);
        dev.conduit.chan.Ticker core = ticker.unwrap();
        Ticker again = Ticker.wrap(core);
        assertSame(core, again.unwrap());
        clock.advance(SECOND);
        assertEquals(clock.now(), again.channel().receive(), "a tick of the core reaches every view");
        again.close();
        assertEquals(0, clock.pending());
    }
}
