package dev.conduit.samples;

import dev.conduit.java.sync.Barriers;
import dev.conduit.java.sync.WaitGroups;
import dev.conduit.sync.Barrier;
import dev.conduit.sync.WaitGroup;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * Workers in lock step on a channel-built cyclic Barrier: four workers finish each of three
 * phases before any starts the next, and the barrier's action closes each phase. Then a fifth
 * party that gives up (a timeout) breaks the barrier for those waiting with it.
 */
public final class PhasedWorkers implements Sample {
    @Override
    public String title() {
        return "phases in lock step on a cyclic barrier";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        CopyOnWriteArrayList<String> log = new CopyOnWriteArrayList<>();
        int[] phase = {1};
        Barrier barrier = new Barrier(4, () -> log.add("phase " + phase[0]++ + " done"));
        WaitGroup wg = new WaitGroup();
        for (int w = 0; w < 4; w++) {
            WaitGroups.go(wg, () -> {
                for (int p = 0; p < 3; p++) Barriers.await(barrier);
            });
        }
        WaitGroups.await(wg);
        out.println(String.join(", ", log));

        Barrier pair = new Barrier(2);
        var waiting = Barriers.awaitAsync(pair);
        Barrier lonely = new Barrier(3);
        var first = Barriers.awaitAsync(lonely);
        try {
            Barriers.await(lonely, Duration.ofMillis(50));
        } catch (TimeoutException e) {
            try {
                first.get();
            } catch (java.util.concurrent.ExecutionException broken) {
                out.println("a party timed out; the one waiting with it saw "
                        + (broken.getCause() instanceof BrokenBarrierException ? "BrokenBarrierException" : broken.getCause()));
            }
        }
        Barriers.await(pair);
        out.println("a healthy pair still meets: " + (waiting.get() == 1));
    }

    public static void main(String[] args) throws Exception {
        new PhasedWorkers().run(System.out);
    }
}
