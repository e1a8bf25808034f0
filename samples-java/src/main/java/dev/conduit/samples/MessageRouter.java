package dev.conduit.samples;

import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.pipeline.Pipeline;
import dev.conduit.java.pipeline.Router;
import dev.conduit.pipeline.DeadLetter;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A content-based multiplexer: orders are routed by region key to one channel per region;
 * orders for an unknown region, and a malformed one, land in the dead-letter channel with the
 * reason, so nothing is silently lost.
 */
public final class MessageRouter implements Sample {
    @Override
    public String title() {
        return "content-based routing with a dead-letter channel";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        List<String> orders = List.of("eu:book", "us:lamp", "eu:desk", "apac:chair", "broken-order", "us:pen");
        try (Pipeline p = Pipeline.create()) {
            Router<String, String> routes = p.multiplexByKey(p.generate(orders), List.of("eu", "us"), order -> {
                if (!order.contains(":")) throw new IllegalArgumentException("no region in '" + order + "'");
                return order.substring(0, order.indexOf(':'));
            });
            CompletableFuture<List<String>> eu = collect(routes.get("eu"));
            CompletableFuture<List<String>> us = collect(routes.get("us"));
            List<String> dead = routes.deadLetters().stream()
                    .map(d -> d.getMessage() + " (" + d.getReason() + ")")
                    .collect(Collectors.toList());
            out.println("eu: " + eu.get());
            out.println("us: " + us.get());
            dead.forEach(d -> out.println("dead letter: " + d));
        }
    }

    private static CompletableFuture<List<String>> collect(ReceiveChannel<String> ch) {
        return CompletableFuture.supplyAsync(() -> ch.stream().collect(Collectors.toList()));
    }

    public static void main(String[] args) throws Exception {
        new MessageRouter().run(System.out);
    }
}
