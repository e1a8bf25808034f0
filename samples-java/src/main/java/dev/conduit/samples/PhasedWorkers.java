package dev.conduit.samples;

import dev.conduit.java.sync.Barrier;
import dev.conduit.java.sync.WaitGroup;
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
        Barrier barrier = Barrier.create(4, () -> log.add("phase " + phase[0]++ + " done"));
        WaitGroup wg = WaitGroup.create();
        for (int w = 0; w < 4; w++) {
            wg.go(() -> {
                for (int p = 0; p < 3; p++) barrier.await();
            });
        }
        wg.await();
        out.println(String.join(", ", log));

        Barrier pair = Barrier.create(2);
        var waiting = pair.awaitAsync();
        Barrier lonely = Barrier.create(3);
        var first = lonely.awaitAsync();
        try {
            lonely.await(Duration.ofMillis(50));
        } catch (TimeoutException e) {
            try {
                first.get();
            } catch (java.util.concurrent.ExecutionException broken) {
                out.println("a party timed out; the one waiting with it saw "
                        + (broken.getCause() instanceof BrokenBarrierException ? "BrokenBarrierException" : broken.getCause()));
            }
        }
        pair.await();
        out.println("a healthy pair still meets: " + (waiting.get() == 1));
    }

    public static void main(String[] args) throws Exception {
        new PhasedWorkers().run(System.out);
    }
}
