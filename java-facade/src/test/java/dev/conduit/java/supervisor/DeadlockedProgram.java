package dev.conduit.java.supervisor;

import dev.conduit.java.Goroutines;
import dev.conduit.java.chan.Channel;
import dev.conduit.supervisor.Diagnostics;

/**
 * Run in a second JVM by {@link DiagnosticsJavaTest} with {@code -Dconduit.diagnostics=true}: a
 * whole program that deadlocks, as Go's runtime would see it. Two goroutines each wait to
 * receive from the other's channel and {@code main} waits for their result; nothing else runs.
 * The watchdog's first report is printed and ends the JVM (exit 0); if none comes, the test's
 * bound stops it.
 */
public final class DeadlockedProgram {
    private DeadlockedProgram() {}

    public static void main(String[] args) throws Exception {
        Diagnostics.addDeadlockListener(report -> {
            System.out.println(report);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        });
        Channel<Integer> left = Channel.create();
        Channel<Integer> right = Channel.create();
        Channel<Integer> result = Channel.create();
        Goroutines.builder().name("left").build().go(() -> result.send(left.receive()));
        Goroutines.builder().name("right").build().go(() -> result.send(right.receive()));
        System.out.println("started");
        System.out.flush();
        result.receive(); // never: both goroutines wait for a value nobody sends
    }
}
