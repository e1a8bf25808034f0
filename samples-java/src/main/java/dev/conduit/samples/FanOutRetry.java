package dev.conduit.samples;

import dev.conduit.java.pipeline.FanOut;
import dev.conduit.java.pipeline.Pipeline;
import dev.conduit.java.pipeline.StageConfig;
import dev.conduit.pipeline.FailurePolicy;
import dev.conduit.pipeline.FanOutException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Fan-out / fan-in with retry and collect-all: eight shards are indexed by four workers; a
 * flaky shard succeeds on its second try, two broken ones fail every try; the results of the
 * rest are delivered and the aggregated error names each failed shard with its cause.
 */
public final class FanOutRetry implements Sample {
    @Override
    public String title() {
        return "fan-out with retries, collect-all and the aggregated error";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Map<String, Integer> tries = new ConcurrentHashMap<>();
        List<String> shards = List.of("s1", "s2", "flaky", "s4", "corrupt", "s6", "offline", "s8");
        try (Pipeline p = Pipeline.create()) {
            FailurePolicy policy = FailurePolicy.retry(2, Duration.ofMillis(5), FailurePolicy.CollectAll.INSTANCE);
            StageConfig fourOrdered = StageConfig.builder().workers(4).ordered(true).build();
            FanOut<String, String> fan = p.fanOut(p.generate(shards), fourOrdered, policy, shard -> {
                int attempt = tries.merge(shard, 1, Integer::sum);
                if (shard.equals("flaky") && attempt == 1) throw new IOException("timeout");
                if (shard.equals("corrupt")) throw new IllegalStateException("checksum mismatch");
                if (shard.equals("offline")) throw new IOException("connection refused");
                return shard + ":indexed";
            });
            List<String> indexed = fan.results().stream().collect(Collectors.toList());
            out.println("indexed " + indexed.size() + " of " + shards.size() + ": " + indexed);
            try {
                fan.await();
            } catch (FanOutException e) {
                e.getFailures().stream()
                        .map(f -> "  failed " + f.getInput() + " after " + f.getAttempts() + " tries: " + f.getError().getMessage())
                        .sorted()
                        .forEach(out::println);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        new FanOutRetry().run(System.out);
    }
}
