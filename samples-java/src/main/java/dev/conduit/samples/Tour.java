package dev.conduit.samples;

import dev.conduit.java.Go;
import java.io.PrintStream;
import java.util.List;

/** Runs every sample in turn, with a heading for each. The README's first command runs this. */
public final class Tour {
    static {
        detectionOn();
    }

    static final List<Sample> SAMPLES = List.of(
            new PingPong(),
            new Generator(),
            new Pipeline(),
            new FanOutFanIn(),
            new SelectWithTimeout(),
            new AsyncTimeouts(),
            new GoExactSelect(),
            new Heartbeat(),
            new CancelWorker(),
            new DeadlineFetch(),
            new QueueView(),
            new RateLimitedClient(),
            new FlakyService(),
            new RetryLadder(),
            new BoundedParallelism(),
            new PartialFailures(),
            new Crawler(),
            new ChannelMutex(),
            new LockOrdering(),
            new LeakCheck(),
            new StuckProgram(),
            new LoadOnce(),
            new ReadWriteCache(),
            new BoundedBuffer(),
            new PhasedWorkers(),
            new StreamPipeline(),
            new ImagePipeline(),
            new FanOutRetry(),
            new BroadcastPolicies(),
            new MessageRouter(),
            new QuorumRead(),
            new WorkStealingWorkers(),
            new PoolBurst(),
            new CapabilityRouting(),
            new PriorityAging(),
            new RingHandoff(),
            new BatchedEvents(),
            new ShardedOrders(),
            new IpcStream(),
            new RemoteWorkQueue(),
            new DurableRestart(),
            new RemoteSelect(),
            new ManagedShutdown(),
            new SupervisedServices());

    private Tour() {}

    /**
     * Turns Conduit's deadlock detection on ({@code conduit.diagnostics}) unless the command
     * line set it: before any Conduit class loads, which reads it once. The tour runs with it
     * on, so its watchdog would report any sample that deadlocked.
     */
    static void detectionOn() {
        if (System.getProperty("conduit.diagnostics") == null) System.setProperty("conduit.diagnostics", "true");
    }

    /** Runs the whole tour, printing to {@code out}. */
    static void run(PrintStream out) throws Exception {
        out.println("Conduit tour: Go's concurrency for the JVM (goroutines on "
                + (Go.usesVirtualThreads() ? "virtual threads" : "a thread pool") + ", Java "
                + Runtime.version().feature() + ")");
        int n = 1;
        for (Sample s : SAMPLES) {
            out.println();
            out.println(n++ + ". " + s.title());
            s.run(out);
        }
        out.println();
        out.println("Tour complete: " + SAMPLES.size() + " samples ran.");
    }

    public static void main(String[] args) throws Exception {
        run(System.out);
    }
}
