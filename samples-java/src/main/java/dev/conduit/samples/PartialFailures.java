package dev.conduit.samples;

import dev.conduit.context.Context;
import dev.conduit.java.sync.ErrGroup;
import dev.conduit.sync.ErrGroupException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fan-out with partial failures: six fetches run together in a collect-all error group; the
 * four that succeed deliver their results and the report names each one that failed.
 */
public final class PartialFailures implements Sample {
    @Override
    public String title() {
        return "fan-out with partial failures and the aggregated report";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        List<String> hosts = List.of("a.example", "b.example", "bad.example", "c.example", "down.example", "d.example");
        ErrGroup group = ErrGroup.collectAll(Context.background());
        Map<String, Integer> sizes = new ConcurrentHashMap<>();
        for (String host : hosts) {
            group.go("fetch " + host, ctx -> {
                if (host.startsWith("bad")) throw new IOException("malformed response");
                if (host.startsWith("down")) throw new IOException("connection refused");
                sizes.put(host, host.length() * 100);
            });
        }
        try {
            group.await();
        } catch (ErrGroupException e) {
            out.println(new TreeMap<>(sizes).size() + " fetches succeeded; " + e.getFailures().size() + " failed:");
            e.getFailures().stream()
                    .map(f -> "  " + f.getTask() + ": " + f.getError().getMessage())
                    .sorted()
                    .forEach(out::println);
        }
    }

    public static void main(String[] args) throws Exception {
        new PartialFailures().run(System.out);
    }
}
