package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.chan.Channel;
import java.io.PrintStream;

/** Two goroutines hit a ball back and forth over unbuffered channels: each send is a hand-off. */
public final class PingPong implements Sample {
    @Override
    public String title() {
        return "ping-pong over an unbuffered channel";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Channel<Integer> ping = Channel.create();
        Channel<Integer> pong = Channel.create();
        Go.go(() -> {
            for (int hits : ping) pong.send(hits + 1);
            pong.close();
        });
        int ball = 0;
        for (int round = 0; round < 3; round++) {
            ping.send(ball);
            ball = pong.receive();
            out.println("ping -> pong -> back, hits = " + ball);
        }
        ping.close();
        out.println("pong side closed: " + !pong.receiveOk().isOk());
    }

    public static void main(String[] args) throws Exception {
        new PingPong().run(System.out);
    }
}
