package dev.conduit.samples;

import dev.conduit.context.Context;
import dev.conduit.context.CancelContext;
import dev.conduit.context.ContextException;
import dev.conduit.java.Go;
import dev.conduit.java.Goroutine;
import dev.conduit.java.Goroutines;
import dev.conduit.java.chan.Channel;
import java.io.PrintStream;
import java.time.Duration;

/** A worker loops until its Context is cancelled, then reports why it stopped; or is cancelled through its handle. */
public final class CancelWorker implements Sample {
    @Override
    public String title() {
        return "a worker cancelled through its Context";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        CancelContext ctx = Context.background().withCancel();
        Channel<Integer> work = Channel.create();
        Channel<String> report = Channel.create(1);
        Go.go(() -> {
            int handled = 0;
            try {
                while (true) {
                    work.receive(ctx);
                    handled++;
                }
            } catch (ContextException e) {
                report.trySend("worker stopped after " + handled + " items: " + e.getMessage());
            }
        });
        for (int i = 0; i < 5; i++) work.send(i);
        ctx.cancel();
        out.println(report.receive());

        // The same with a goroutine's own handle: cancel() interrupts its blocking call, join waits for it.
        Goroutine idle = Goroutines.builder().name("idle-worker").build().go(() -> work.receive());
        idle.cancel();
        out.println(idle.name() + " ended after cancel(): " + idle.join(Duration.ofSeconds(10)));
    }

    public static void main(String[] args) throws Exception {
        new CancelWorker().run(System.out);
    }
}
