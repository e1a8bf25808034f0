package dev.conduit.samples;

import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.pipeline.Gather;
import dev.conduit.java.pipeline.Pipeline;
import dev.conduit.pipeline.Completion;
import dev.conduit.pipeline.GatherException;
import dev.conduit.pipeline.Gathered;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The multi-channel coordinator: a read asks five replicas, each answering on its own
 * channel; a quorum of three is enough, so the read returns without waiting for the slow
 * replica, and a replica past the per-source timeout counts as missing. When too many replicas
 * are down, the read fails with what it did get.
 */
public final class QuorumRead implements Sample {
    @Override
    public String title() {
        return "quorum read over five replicas with per-replica timeouts";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        try (Pipeline p = Pipeline.create()) {
            List<ReceiveChannel<String>> replicas = List.of(
                    replica(p, 5, "v42"), replica(p, 10, "v42"), replica(p, 5_000, "v41"), replica(p, 15, "v42"), replica(p, -1, null));
            Gathered<String> read = Gather.create(replicas, Duration.ofMillis(500), Completion.Quorum.INSTANCE).run();
            out.println("quorum of " + read.getValues().size() + " answered " + read.getValues().values()
                    + "; not waited for: " + read.getMissing());
            List<ReceiveChannel<String>> degraded = List.of(replica(p, 0, "v42"), replica(p, -1, null), replica(p, 5_000, "v41"));
            try {
                Gather.create(degraded, Duration.ofMillis(300), Completion.Quorum.INSTANCE).run();
            } catch (GatherException e) {
                out.println("degraded read failed: " + e.getMessage());
            }
            p.cancel();
        }
    }

    /** A replica answering {@code value} after {@code millis}; a negative delay is a replica that is down. */
    private static ReceiveChannel<String> replica(Pipeline p, long millis, String value) {
        return p.generate(out -> {
            if (millis < 0) return; // down: closes without an answer
            Thread.sleep(millis);
            out.send(value);
        }, 1);
    }

    public static void main(String[] args) throws Exception {
        new QuorumRead().run(System.out);
    }
}
