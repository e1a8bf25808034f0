package dev.conduit.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker-pool samples run alone and print what they should (until they join the Tour). */
@Timeout(60)
class PoolSamplesTest {
    private static String run(Sample sample) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void assertPrints(String out, List<String> expected) {
        for (String line : expected) assertTrue(out.contains(line), "expected '" + line + "' in:\n" + out);
    }

    @Test
    void poolBurst() throws Exception {
        assertPrints(run(new PoolBurst()), List.of(
                "40 urgent jobs done, sum = 780; background jobs shed while the queue was deep: true",
                "the pool grew under the burst: true",
                "and shrank back to 1 worker when idle: true",
                "graceful shutdown after 50 ms returned the jobs that never ran: [report A, report B, report C]",
                "the job still running then was cancelled: true"));
    }

    @Test
    void capabilityRouting() throws Exception {
        assertPrints(run(new CapabilityRouting()), List.of(
                "2 gpu jobs running, on workers of kind: [gpu]",
                "a plain job still runs meanwhile: parsed",
                "rendered: [frame 0, frame 1]",
                "refused at submit: no worker can run a job requiring [tpu]: no worker profile declares tpu"));
    }
}
