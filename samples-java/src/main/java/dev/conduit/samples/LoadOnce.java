package dev.conduit.samples;

import dev.conduit.java.sync.Onces;
import dev.conduit.java.sync.WaitGroups;
import dev.conduit.sync.OnceValue;
import dev.conduit.sync.WaitGroup;
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
        OnceValue<Map<String, String>> config = Onces.value(() -> {
            loads.incrementAndGet();
            return Map.of("region", "eu-west", "pool", "8");
        });
        WaitGroup wg = new WaitGroup();
        AtomicInteger sawRegion = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            WaitGroups.go(wg, () -> {
                if ("eu-west".equals(Onces.get(config).get("region"))) sawRegion.incrementAndGet();
            });
        }
        WaitGroups.await(wg);
        out.println(sawRegion.get() + " goroutines read the configuration; it was loaded " + loads.get() + " time(s)");
    }

    public static void main(String[] args) throws Exception {
        new LoadOnce().run(System.out);
    }
}
