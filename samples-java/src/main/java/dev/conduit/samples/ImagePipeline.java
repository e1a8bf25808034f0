package dev.conduit.samples;

import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.pipeline.Pipeline;
import dev.conduit.java.pipeline.StageConfig;
import dev.conduit.pipeline.Scaling;
import dev.conduit.pipeline.ScalingEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An image-processing pipeline whose resize stage scales itself: a burst of 48 images arrives,
 * the backlog grows the resize workers from 1 toward 4, and once the burst is through and the
 * input goes quiet the stage shrinks back to 1. Every scaling decision is an event.
 */
public final class ImagePipeline implements Sample {
    /** A fake decoded image: a width x height grid of grey levels. */
    record Image(String name, int width, int height, int[] pixels) {}

    @Override
    public String title() {
        return "image pipeline with a self-scaling resize stage";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        List<ScalingEvent> events = new CopyOnWriteArrayList<>();
        Scaling scaling = Scaling.of(1, 4, Duration.ofMillis(10), events::add);
        CountDownLatch resized = new CountDownLatch(48);
        try (Pipeline p = Pipeline.create()) {
            ReceiveChannel<String> files = p.generate(sent -> {
                for (int i = 0; i < 48; i++) sent.send("img-" + i + ".raw");
                resized.await(); // the burst is through;
                Thread.sleep(250); // the input stays open but quiet: idle workers are retired
            }, 48);
            ReceiveChannel<Image> decoded = p.map(files, StageConfig.builder().workers(2).build(), ImagePipeline::decode);
            ReceiveChannel<Image> thumbs = p.map(decoded, StageConfig.builder().scaling(scaling).ordered(true).build(), img -> {
                Thread.sleep(8); // resizing is the slow step
                Image thumb = halve(img);
                resized.countDown();
                return thumb;
            });
            List<String> names = thumbs.stream().map(img -> img.name() + " " + img.width() + "x" + img.height())
                    .collect(Collectors.toList());
            out.println(names.size() + " thumbnails, in input order: " + names.get(0) + ", " + names.get(1) + ", ..., "
                    + names.get(names.size() - 1));
        }
        int most = events.stream().mapToInt(ScalingEvent::getTo).max().orElse(1);
        boolean grew = events.stream().anyMatch(e -> e.getTo() > e.getFrom());
        boolean shrank = events.stream().anyMatch(e -> e.getTo() < e.getFrom() && e.getReason() == ScalingEvent.Reason.IDLE);
        out.println("resize workers grew under the burst: " + grew + " (peak " + Math.min(most, 4) + " of max 4)");
        out.println("and shrank back when idle: " + shrank);
        events.stream().limit(3).forEach(e -> out.println("  e.g. " + e));
    }

    private static Image decode(String name) {
        int w = 64;
        int h = 48;
        int seed = name.hashCode();
        return new Image(name, w, h, IntStream.range(0, w * h).map(i -> (i * 31 + seed) & 0xff).toArray());
    }

    private static Image halve(Image img) {
        int w = img.width() / 2;
        int h = img.height() / 2;
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] p = img.pixels();
                int i = 2 * y * img.width() + 2 * x;
                out[y * w + x] = (p[i] + p[i + 1] + p[i + img.width()] + p[i + img.width() + 1]) / 4;
            }
        }
        return new Image(img.name(), w, h, out);
    }

    public static void main(String[] args) throws Exception {
        new ImagePipeline().run(System.out);
    }
}
