package dev.conduit.samples;

import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.Select;
import dev.conduit.net.ChannelNode;
import dev.conduit.net.Codecs;
import dev.conduit.net.Credentials;
import dev.conduit.net.NodeConfig;
import dev.conduit.net.RemoteChans;
import dev.conduit.net.RemoteClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One {@code Select} over a local channel and a remote one: alerts come from a local producer,
 * orders from a channel on a node (another client sends them); the select takes whichever is
 * ready, with Go's fairness, until both are closed.
 */
public final class RemoteSelect implements Sample {
    @Override
    public String title() {
        return "one select over a local and a remote channel";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        String token = UUID.randomUUID().toString();
        try (ChannelNode node = ChannelNode.start(NodeConfig.builder().token(token).build());
                RemoteClient shop = RemoteChans.connect(node.getAddress(), Credentials.token(token));
                RemoteClient desk = RemoteChans.connect(node.getAddress(), Credentials.token(token))) {
            Channel<String> ordersOut = Channel.wrap(shop.chan("orders", 8, Codecs.utf8()));
            Channel<String> orders = Channel.wrap(desk.chan("orders", 8, Codecs.utf8()));
            Channel<String> alerts = Channel.create(8);
            Thread producers = new Thread(() -> {
                try {
                    for (int i = 1; i <= 5; i++) alerts.send("alert-" + i);
                    alerts.close();
                    for (int i = 1; i <= 5; i++) ordersOut.send("order-" + i);
                    ordersOut.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producers.start();
            TreeMap<String, Integer> seen = new TreeMap<>();
            boolean[] open = {true, true};
            while (open[0] || open[1]) {
                Select.create()
                        .onReceiveOk(open[0] ? alerts : Channel.<String>nil(), r -> {
                            if (r.isOk()) seen.merge("local alerts", 1, Integer::sum); else open[0] = false;
                        })
                        .onReceiveOk(open[1] ? orders : Channel.<String>nil(), r -> {
                            if (r.isOk()) seen.merge("remote orders", 1, Integer::sum); else open[1] = false;
                        })
                        .onTimeout(Duration.ofSeconds(10), () -> { throw new IllegalStateException("nothing arrived in 10 s"); })
                        .run();
            }
            producers.join();
            out.println("one select took " + seen + " until both were closed");
        }
    }

    public static void main(String[] args) throws Exception {
        new RemoteSelect().run(System.out);
    }
}
