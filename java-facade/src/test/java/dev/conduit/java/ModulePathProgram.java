package dev.conduit.java;

import dev.conduit.java.chan.Channel;
import dev.conduit.java.chan.Select;
import java.time.Duration;

/**
 * A small channel program run by {@link ModulePathTest} in a separate JVM with Conduit,
 * kotlinx.coroutines and the Kotlin standard library on the module path: rendezvous between
 * threads, a buffered channel, a select with a timeout, and a coroutine-backed pipeline call.
 * Prints "module path ok" when everything worked.
 */
public final class ModulePathProgram {
    private ModulePathProgram() {}

    public static void main(String[] args) throws Exception {
        Channel<String> ping = Channel.create();
        Go.go(() -> ping.send("ping"));
        String got = ping.receive(Duration.ofSeconds(10));
        Channel<Integer> buffered = Channel.create(4);
        for (int i = 0; i < 4; i++) buffered.send(i);
        int sum = 0;
        for (int i = 0; i < 4; i++) sum += buffered.receive();
        int fired = Select.create()
                .onReceive(Channel.<Integer>create(), v -> {})
                .onTimeout(Duration.ofMillis(10), () -> {})
                .run();
        int len = dev.conduit.chan.ChanKt.<Integer>Chan(2).getLen();
        if (!got.equals("ping") || sum != 6 || fired != 1 || len != 0) throw new AssertionError(got + " " + sum + " " + fired);
        System.out.println("module path ok");
    }
}
