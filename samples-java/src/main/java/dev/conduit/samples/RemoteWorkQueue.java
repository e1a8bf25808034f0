package dev.conduit.samples;

import dev.conduit.java.chan.Channel;
import dev.conduit.net.ChannelNode;
import dev.conduit.net.Codecs;
import dev.conduit.net.Credentials;
import dev.conduit.net.NodeConfig;
import dev.conduit.net.RemoteChans;
import dev.conduit.net.RemoteClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A work queue between two JVMs through a channel node: this JVM hosts the node and produces 40
 * jobs into a 4-slot remote channel; a worker in a second JVM (started here with
 * {@code java -cp ...}) takes them and sends results back on another channel. The producer's
 * sends wait whenever the 4 slots are full: backpressure across the wire, the node never holding
 * more than 4.
 */
public final class RemoteWorkQueue implements Sample {
    @Override
    public String title() {
        return "a work queue between two JVMs through a channel node, with backpressure";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        String token = UUID.randomUUID().toString();
        try (ChannelNode node = ChannelNode.start(NodeConfig.builder().token(token).build());
                RemoteClient client = RemoteChans.connect(node.getAddress(), Credentials.token(token))) {
            Channel<String> jobs = Channel.wrap(client.chan("jobs", 4, Codecs.utf8()));
            Channel<String> results = Channel.wrap(client.chan("results", 4, Codecs.utf8()));
            Process worker = startWorker(node.getAddress(), token);
            try {
                long[] sum = {0};
                Thread collector = new Thread(() -> {
                    for (String r : results) {
                        if (r.equals("done")) break;
                        sum[0] += Long.parseLong(r);
                    }
                });
                collector.start();
                int most = 0;
                for (int i = 1; i <= 40; i++) {
                    jobs.send(Integer.toString(i)); // waits while the node's 4 slots are full
                    most = Math.max(most, node.channel("jobs").getLen());
                }
                jobs.close();
                collector.join();
                worker.waitFor(30, TimeUnit.SECONDS);
                out.println("40 jobs through a 4-slot remote channel to a worker JVM; the node held at most " + most
                        + " at once: " + (most <= 4));
                out.println("sum of squares returned by the worker JVM = " + sum[0] + " (worker exit " + worker.exitValue() + ")");
            } finally {
                worker.destroyForcibly();
            }
        }
    }

    /** The worker, in a JVM of its own: squares each job until the queue is closed and drained. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            new RemoteWorkQueue().run(System.out);
            return;
        }
        try (RemoteClient client = RemoteChans.connect(args[0], Credentials.token(args[1]))) {
            Channel<String> jobs = Channel.wrap(client.chan("jobs", 4, Codecs.utf8()));
            Channel<String> results = Channel.wrap(client.chan("results", 4, Codecs.utf8()));
            for (String job : jobs) {
                long n = Long.parseLong(job);
                results.send(Long.toString(n * n));
            }
            results.send("done");
        }
    }

    private static Process startWorker(String address, String token) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath(), RemoteWorkQueue.class.getName(), address, token));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread echo = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                r.lines().forEach(line -> System.err.println("[worker] " + line));
            } catch (Exception e) {
                // the worker ended
            }
        });
        echo.setDaemon(true);
        echo.start();
        return p;
    }

    /** This sample's class path: the class loader's (Maven's exec:java runs it in one of its own), else the JVM's. */
    private static String classPath() {
        if (RemoteWorkQueue.class.getClassLoader() instanceof URLClassLoader loader) {
            return Arrays.stream(loader.getURLs()).map(u -> {
                try {
                    return Path.of(u.toURI()).toString();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.joining(java.io.File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }
}
