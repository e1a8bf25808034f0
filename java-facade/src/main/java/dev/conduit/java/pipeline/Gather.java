package dev.conduit.java.pipeline;

import dev.conduit.chan.ReceiveChan;
import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.internal.PipelineCalls;
import dev.conduit.pipeline.Completion;
import dev.conduit.pipeline.GatherException;
import dev.conduit.pipeline.Gathered;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The multi-channel coordinator for Java (the facade of {@code dev.conduit.pipeline.gather}):
 * takes one value from each source, each within a per-source timeout, and is done as soon as
 * its {@link Completion} is met: {@code Completion.All}, {@code Completion.firstK(k)} or
 * {@code Completion.Quorum}. Sources no longer needed are not waited for.
 *
 * <pre>{@code
 * Gathered<String> read = Gather.create(replicas, Duration.ofMillis(200), Completion.Quorum.INSTANCE).run();
 * }</pre>
 *
 * <p>A {@code Gather} is a description, like {@link dev.conduit.java.chan.Select}: each
 * {@link #run()} (or {@link #runAsync()}) gathers anew from its sources. Immutable and
 * thread-safe. There is no Kotlin object behind it (the Kotlin coordinator is a function), so
 * it has no {@code wrap} or {@code unwrap}.
 *
 * @param <T> the value type
 */
public final class Gather<T> {
    private final List<ReceiveChan<T>> sources;
    private final Duration perSourceTimeout;
    private final Completion completion;

    private Gather(List<ReceiveChan<T>> sources, Duration perSourceTimeout, Completion completion) {
        this.sources = sources;
        this.perSourceTimeout = perSourceTimeout;
        this.completion = completion;
    }

    /**
     * A gather of one value from each of {@code sources} (indexed in this order), each within
     * {@code perSourceTimeout}, done when {@code completion} is met. Never blocks.
     *
     * @param <T> the value type
     * @param sources the channels to take one value from each, indexed in this order
     * @param perSourceTimeout the most time to wait for each source's value
     * @param completion when the gather is done
     * @return the gather, which gathers on each {@link #run()}
     * @throws IllegalArgumentException if {@code sources} is empty, {@code perSourceTimeout}
     *     is not positive, or {@code completion} needs more answers than there are sources
     * @throws NullPointerException if an argument or a source is null
     */
    public static <T> Gather<T> create(List<? extends ReceiveChannel<T>> sources, Duration perSourceTimeout, Completion completion) {
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(perSourceTimeout, "perSourceTimeout");
        Objects.requireNonNull(completion, "completion");
        List<ReceiveChan<T>> chans = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            chans.add(Objects.requireNonNull(sources.get(i), "sources[" + i + "]").unwrap());
        }
        if (chans.isEmpty()) throw new IllegalArgumentException("sources must not be empty");
        if (perSourceTimeout.isZero() || perSourceTimeout.isNegative()) {
            throw new IllegalArgumentException("perSourceTimeout must be > 0, but was " + perSourceTimeout);
        }
        // All and Quorum never need more answers than there are sources; FirstK may.
        if (completion instanceof Completion.FirstK && ((Completion.FirstK) completion).getK() > chans.size()) {
            throw new IllegalArgumentException(
                    "completion must need at most " + chans.size() + " answers (one per source), but was " + completion);
        }
        return new Gather<>(List.copyOf(chans), perSourceTimeout, completion);
    }

    /**
     * Gathers, blocking until the completion is met.
     *
     * @return the values by source index (in arrival order) and, for every other source, why
     *     it gave none
     * @throws GatherException as soon as the completion can no longer be met (with what arrived)
     * @throws InterruptedException if interrupted first; the sources not yet answered are no
     *     longer waited for
     */
    public Gathered<T> run() throws GatherException, InterruptedException {
        return PipelineCalls.gather(sources, perSourceTimeout, completion);
    }

    /**
     * Gathers without blocking the caller: the future completes with what {@link #run()}
     * returns, or exceptionally with {@link GatherException}. Cancelling it stops the gather.
     * Never blocks.
     *
     * @return a future that completes with what {@link #run()} returns, or exceptionally with
     *     {@link GatherException}
     */
    public CompletableFuture<Gathered<T>> runAsync() {
        return PipelineCalls.gatherAsync(sources, perSourceTimeout, completion);
    }

    @Override
    public String toString() {
        return "Gather(sources=" + sources.size() + ", perSourceTimeout=" + perSourceTimeout + ", completion=" + completion + ")";
    }
}
