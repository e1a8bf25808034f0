package dev.conduit.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tour runs to the end and every sample prints what it should. */
@Timeout(60)
class TourTest {
    @Test
    void everySampleRunsAndSaysWhatItDid() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Tour.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        for (String expected : List.of(
                "ping -> pong -> back, hits = 3",
                "pong side closed: true",
                "fibonacci: 0 1 1 2 3 5 8 13 21 34 55 89",
                "sum of squares 1..100 = 338350",
                "8 jobs done by 3 workers; total letters = 54",
                "first answer: fast mirror",
                "slow mirror: gave up after 50 ms",
                "heartbeat stopped at the deadline after at least 3 beats: true",
                "worker stopped after 5 items: context canceled",
                "200 OK from https://fast.example",
                "slow fetch abandoned: context deadline exceeded",
                "20 requests sent by 4 clients; never more than burst + rate * t: true",
                "12 downloads finished, never more than 3 at once: true",
                "4 fetches succeeded; 2 failed:",
                "  fetch bad.example: malformed response",
                "  fetch down.example: connection refused",
                "10 goroutines x 1,000 increments under the mutex: counter = 10000",
                "8 goroutines read the configuration; it was loaded 1 time(s)",
                "Tour complete: 13 samples ran.")) {
            assertTrue(out.contains(expected), () -> "missing \"" + expected + "\" in:\n" + out);
        }
    }
}
