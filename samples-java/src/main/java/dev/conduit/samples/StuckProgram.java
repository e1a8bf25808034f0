package dev.conduit.samples;

import dev.conduit.java.Goroutine;
import dev.conduit.java.Goroutines;
import dev.conduit.java.chan.Channel;
import dev.conduit.java.sync.Mutex;
import dev.conduit.supervisor.DeadlockKind;
import dev.conduit.supervisor.DeadlockReport;
import dev.conduit.supervisor.Diagnostics;
import dev.conduit.supervisor.GoroutineDump;
import dev.conduit.supervisor.GoroutineInfo;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A small stuck program and what Conduit's diagnostics say about it: a producer waits for an
 * acknowledgement the consumer never sends (the consumer waits for a second item first), and
 * two transfers lock two accounts in opposite orders. With detection on
 * ({@code -Dconduit.diagnostics=true}; the tour turns it on) the lock cycle is reported with who
 * holds what, and the goroutine dump shows every goroutine, what it waits on and where it was
 * started (Go's SIGQUIT dump). Go's "all goroutines are asleep" needs the whole JVM to be stuck,
 * so the tour, whose other parts go on, shows only these two.
 */
public final class StuckProgram implements Sample {
    @Override
    public String title() {
        return "a stuck program: a lock cycle reported and a goroutine dump";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        if (!Diagnostics.isEnabled()) {
            out.println("detection is off: run with -Dconduit.diagnostics=true");
            return;
        }
        Channel<String> items = Channel.create();
        Channel<String> acks = Channel.create();
        Goroutine producer = Goroutines.builder().name("producer").build().go(() -> {
            items.send("first");
            acks.receiveOk(); // waits for an ack the consumer never sends
        });
        Goroutine consumer = Goroutines.builder().name("consumer").build().go(() -> {
            items.receive();
            items.receiveOk(); // waits for a second item before it acks: the bug
        });

        Mutex alice = Mutex.create("alice");
        Mutex bob = Mutex.create("bob");
        Channel<Boolean> aliceHeld = Channel.create(1);
        Channel<Boolean> bobHeld = Channel.create(1);
        Goroutine toBob = Goroutines.builder().name("alice-to-bob").build().go(() -> {
            alice.lock();
            aliceHeld.send(true);
            bobHeld.receive();
            bob.lock(); // bob is held by the other transfer, which waits for alice
        });
        Goroutine toAlice = Goroutines.builder().name("bob-to-alice").build().go(() -> {
            bob.lock();
            bobHeld.send(true);
            aliceHeld.receive();
            alice.lock();
        });

        DeadlockReport cycle = null;
        for (int tries = 0; cycle == null && tries < 100; tries++) {
            List<DeadlockReport> found = Diagnostics.findDeadlocks(Duration.ofMillis(50));
            cycle = found.stream().filter(r -> r.getKind() == DeadlockKind.LOCK_CYCLE).findFirst().orElse(null);
        }
        if (cycle == null) throw new IllegalStateException("no lock cycle found within 5 s");
        out.println("found: " + cycle.getKind());
        for (String line : cycle.getCycle()) out.println("  " + stable(line));

        GoroutineDump dump = Diagnostics.dump();
        for (int tries = 0; blockedOnChannels(dump) < 2 && tries < 5_000; tries++) {
            LockSupport.parkNanos(1_000_000L); // the two are blocked by now in practice; bounded at 5 s
            dump = Diagnostics.dump();
        }
        for (GoroutineInfo g : dump.getGoroutines()) {
            if (g.getName().startsWith("producer") || g.getName().startsWith("consumer")) {
                out.println("dump: " + stable(g.getName()) + " " + g.getState() + " on " + stable(g.getBlockedOn()));
            }
        }
        out.println("the dump shows where each was started: " + dump.toString().contains("StuckProgram.run"));

        items.close();
        acks.close();
        toBob.cancel();
        toAlice.cancel();
        boolean ended = producer.join(Duration.ofSeconds(10)) && consumer.join(Duration.ofSeconds(10))
                && toBob.join(Duration.ofSeconds(10)) && toAlice.join(Duration.ofSeconds(10));
        out.println("released: " + ended);
    }

    /** How many of the producer and consumer the dump shows blocked on a receive. */
    private static long blockedOnChannels(GoroutineDump dump) {
        return dump.getGoroutines().stream()
                .filter(g -> (g.getName().startsWith("producer") || g.getName().startsWith("consumer"))
                        && g.getBlockedOn() != null && g.getBlockedOn().startsWith("receive from"))
                .count();
    }

    /** Leaves out what differs between runs: goroutine numbers, channel identities, name suffixes. */
    private static String stable(String s) {
        return s.replaceAll("goroutine \\d+ ", "goroutine ").replaceAll("@[0-9a-f]+", "").replaceAll("-\\d+\\b", "");
    }

    public static void main(String[] args) throws Exception {
        Tour.detectionOn();
        new StuckProgram().run(System.out);
    }
}
