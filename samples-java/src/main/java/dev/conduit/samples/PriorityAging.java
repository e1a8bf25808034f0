package dev.conduit.samples;

import dev.conduit.java.chan.PriorityChannel;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Priority-based consumption with aging: urgent work goes first, but a background job that has
 * waited long enough competes as an equal, so a steady stream of urgent work cannot starve it.
 */
public final class PriorityAging implements Sample {
    @Override
    public String title() {
        return "priority consumption with aging (no starvation)";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        PriorityChannel<String> jobs = PriorityChannel.create(3, 64, Duration.ofMillis(20));
        jobs.send("background report", 0);
        jobs.send("normal email", 1);
        jobs.send("urgent page", 2);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) order.add(jobs.receive());
        out.println("fresh jobs by priority: " + order);

        jobs.send("old background job", 0);
        int urgentServed = 0;
        for (int i = 0; ; i++) {
            jobs.send("urgent " + i, 2); // a new urgent job keeps arriving
            Thread.sleep(5);
            if (jobs.receive().equals("old background job")) break;
            urgentServed++;
        }
        out.println("the background job still ran despite a steady stream of urgent jobs: true (after " + urgentServed + ")");
    }

    public static void main(String[] args) throws Exception {
        new PriorityAging().run(System.out);
    }
}
