package dev.conduit.samples;

import dev.conduit.context.CancelContext;
import dev.conduit.context.Context;
import dev.conduit.java.ContextThreads;
import dev.conduit.java.resilience.RateLimiter;
import dev.conduit.java.sync.ErrGroup;
import dev.conduit.sync.Subtask;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A rate-limited crawler, level by level: each level's fetches run as forked tasks of one error
 * group used as a try-with-resources scope (at most 8 at once, all sharing one token bucket and
 * one deadline); each fetch returns its page through its {@link Subtask}, so no helper thread
 * collects results and none is left running when the block ends.
 */
public final class Crawler implements Sample {
    /** What one fetch found: its status and the links on the page. */
    record Page(String url, int status, List<String> links) {}

    private static final int PAGES = 40;
    private static final int PARALLEL = 8;

    @Override
    public String title() {
        return "a rate-limited crawler: forked fetches in a try-with-resources scope";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        RateLimiter limiter = RateLimiter.create(400, 20);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Set<String> seen = new LinkedHashSet<>(List.of("/p/1"));
        List<String> level = List.of("/p/1");
        int levels = 0;
        int found = 0;
        int missing = 0;
        try (CancelContext crawl = Context.background().withTimeout(Duration.ofSeconds(20))) {
            while (!level.isEmpty()) {
                levels++;
                List<Subtask<Page>> fetches = new ArrayList<>();
                try (ErrGroup scope = ErrGroup.create(crawl)) {
                    scope.setLimit(PARALLEL);
                    for (String url : level) {
                        fetches.add(scope.fork("fetch " + url, ctx -> {
                            limiter.await(ctx);
                            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            try {
                                return fetch(ctx, url);
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        }));
                    }
                    scope.await(); // a failed fetch (an exception, not a 404) or the deadline ends the crawl here
                }
                List<String> next = new ArrayList<>();
                for (Subtask<Page> fetch : fetches) {
                    Page page = fetch.get();
                    if (page.status() == 404) {
                        missing++;
                        continue;
                    }
                    found++;
                    for (String link : page.links()) if (seen.add(link)) next.add(link);
                }
                level = next;
            }
        }
        out.println("crawled " + seen.size() + " pages in " + levels + " levels: " + found + " found, " + missing + " not found");
        out.println("never more than " + PARALLEL + " fetches at once: " + (peak.get() <= PARALLEL));
    }

    /**
     * A stand-in for an HTTP GET: page n links to pages 2n and 2n+1 (up to {@value #PAGES}), every
     * seventh page is missing, and each fetch takes a millisecond of (context-aware) waiting.
     */
    private static Page fetch(Context ctx, String url) throws InterruptedException {
        ContextThreads.sleep(ctx, Duration.ofMillis(1));
        int n = Integer.parseInt(url.substring("/p/".length()));
        if (n % 7 == 0) return new Page(url, 404, List.of());
        List<String> links = new ArrayList<>();
        for (int child : new int[] {2 * n, 2 * n + 1}) if (child <= PAGES) links.add("/p/" + child);
        return new Page(url, 200, links);
    }

    public static void main(String[] args) throws Exception {
        new Crawler().run(System.out);
    }
}
