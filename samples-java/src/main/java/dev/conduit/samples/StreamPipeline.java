package dev.conduit.samples;

import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.pipeline.Pipeline;
import dev.conduit.java.pipeline.StageConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pipeline building blocks on an endless stream: a generator of numbers, an ordered
 * parallel map (4 workers, results in input order), a filter, a tee into two readers, take and
 * batch. Closing the pipeline stops the endless generator: nothing outlives it.
 */
public final class StreamPipeline implements Sample {
    @Override
    public String title() {
        return "pipeline building blocks: generate, ordered parallel map, filter, tee, take, batch";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Pipeline p = Pipeline.create();
        try (p) {
            ReceiveChannel<Long> naturals = p.generate(sent -> {
                for (long i = 1; ; i++) sent.send(i);
            });
            ReceiveChannel<Long> cubes = p.map(naturals, StageConfig.builder().workers(4).build(), n -> {
                Thread.sleep(n % 3); // uneven work: finishing order differs, output order does not
                return n * n * n;
            });
            ReceiveChannel<Long> odd = p.filter(cubes, StageConfig.defaults(), c -> c % 2 == 1);
            ReceiveChannel<Long> firstTen = p.take(odd, 10);
            List<ReceiveChannel<Long>> copies = p.tee(firstTen, 10);
            List<List<Long>> batches = p.batch(copies.get(0), 4, Duration.ofSeconds(30)).stream().collect(Collectors.toList());
            long sum = copies.get(1).stream().mapToLong(Long::longValue).sum();
            out.println("odd cubes in batches of 4: " + batches);
            out.println("the tee's other copy sums them: " + sum);
        }
        out.println("the endless generator stopped when the pipeline closed: " + !p.isRunning());
    }

    public static void main(String[] args) throws Exception {
        new StreamPipeline().run(System.out);
    }
}
