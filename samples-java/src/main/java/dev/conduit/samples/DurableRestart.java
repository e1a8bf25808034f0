package dev.conduit.samples;

import dev.conduit.java.chan.Channel;
import dev.conduit.net.ChannelNode;
import dev.conduit.net.Codecs;
import dev.conduit.net.Credentials;
import dev.conduit.net.NodeConfig;
import dev.conduit.net.RemoteChans;
import dev.conduit.net.RemoteClient;
import dev.conduit.net.RemoteClientOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A durable channel survives its node: 100 orders are sent (each send returns once the node has
 * it in its log) and 40 received, the node stops and starts again on the same port and data
 * directory, and the same client, which reconnected by itself and resumed its session from the
 * node's log, receives the other 60 in order: none lost, none twice.
 */
public final class DurableRestart implements Sample {
    @Override
    public String title() {
        return "a node restart with a durable channel: nothing acknowledged is lost, nothing received twice";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        String token = UUID.randomUUID().toString();
        Path data = Files.createTempDirectory("conduit-tour-node");
        NodeConfig config = NodeConfig.builder().token(token).dataDir(data).build();
        ChannelNode node = ChannelNode.start(config);
        NodeConfig samePort = NodeConfig.builder().token(token).dataDir(data).port(node.getPort()).build();
        RemoteClientOptions quick = RemoteClientOptions.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(100)).build();
        try (RemoteClient client = RemoteChans.connect(node.getAddress(), Credentials.token(token), quick)) {
            Channel<String> orders = Channel.wrap(client.chan("orders", 1000, Codecs.utf8(), true));
            for (int i = 1; i <= 100; i++) orders.send("order-" + i);
            int inOrder = 0;
            for (int i = 1; i <= 40; i++) if (orders.receive(Duration.ofSeconds(10)).equals("order-" + i)) inOrder++;
            out.println("100 orders acknowledged by the node, " + inOrder + " received in order; stopping it");
            node.close();
            node = ChannelNode.start(samePort);
            out.println("node restarted on the same port from its log");
            // Longer than the heartbeat's 15 s of silence: a stream the client never saw end is found and replaced.
            for (int i = 41; i <= 100; i++) if (orders.receive(Duration.ofSeconds(30)).equals("order-" + i)) inOrder++;
            out.println("the client reconnected by itself and received the rest: " + inOrder + " of 100 in order, none twice; "
                    + node.channel("orders").getLen() + " left on the node");
        } finally {
            node.close();
        }
    }

    public static void main(String[] args) throws Exception {
        new DurableRestart().run(System.out);
    }
}
