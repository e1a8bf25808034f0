package dev.conduit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The RetryLadder sample prints the same story every run (until the Tour runs it). */
@Timeout(60)
class RetryLadderTest {
    @Test
    void printsWhatEachRungSaw() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new RetryLadder().run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(String.join(System.lineSeparator(),
                "rung 1 (50 ms): call 1 hangs; call 1 cancelled at the rung's timeout: context deadline exceeded",
                "rung 2 (5000 ms): call 2 fails: connection reset (retried); call 3 answers",
                "answer 42 after 3 calls; retries: 1",
                "a 1 s backoff under a 100 ms deadline: DEADLINE, at once, cause: service down",
                ""), bytes.toString(StandardCharsets.UTF_8));
    }
}
