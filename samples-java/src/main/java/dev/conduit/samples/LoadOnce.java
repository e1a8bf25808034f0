package dev.conduit.samples;

import dev.conduit.java.sync.OnceValue;
import dev.conduit.java.sync.WaitGroup;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Eight goroutines need the configuration; it is loaded once, by whichever asks first. */
public final class LoadOnce implements Sample {
    @Override
    public String title() {
        return "a value loaded once for many goroutines";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        AtomicInteger loads = new AtomicInteger();
        OnceValue<Map<String, String>> config = OnceValue.create(() -> {
            loads.incrementAndGet();
            return Map.of("region", "eu-west", "pool", "8");
        });
        WaitGroup wg = WaitGroup.create();
        AtomicInteger sawRegion = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            wg.go(() -> {
                if ("eu-west".equals(config.get().get("region"))) sawRegion.incrementAndGet();
            });
        }
        wg.await();
        out.println(sawRegion.get() + " goroutines read the configuration; it was loaded " + loads.get() + " time(s)");
    }

    public static void main(String[] args) throws Exception {
        new LoadOnce().run(System.out);
    }
}
