package dev.conduit.java.chan;

import dev.conduit.chan.Batch;
import dev.conduit.chan.ClosedChannelException;
import dev.conduit.java.internal.BatchChannelAdapter;
import dev.conduit.java.internal.ChannelKindAdaptersKt;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.CompletableFuture;

/**
 * A channel that moves items in batches, for Java: the facade of
 * {@code dev.conduit.chan.BatchChannel}. {@link #send(Object)} adds an item to the batch being
 * filled; a batch goes to the receivers when it holds {@link #batchSize()} items, when
 * {@link #flush()} is called, when {@link #maxLatency()} has passed since its first item (so a
 * slow trickle is not held back), or when the channel closes.
 *
 * <pre>{@code
 * BatchChannel<Event> events = BatchChannel.create(100, Duration.ofMillis(20));
 * Go.go(() -> { for (Batch<Event> b : events) { insertAll(b); b.recycle(); } });
 * events.send(event);
 * }</pre>
 *
 * <p>It is the {@link ReceiveChannel} of its batches: receive, iterate, or use it in a select
 * as any channel. Batches come from a pool: {@link Batch#recycle()} one when done with it (or
 * use {@link #receiveList()}, which copies and recycles). At most {@code capacity} full batches
 * wait for receivers; a send that completes a batch blocks while they all wait. Batches leave in
 * the order they were filled. The latency flusher runs on goroutine threads and ends when the
 * channel is closed and drained. {@link #wrap(dev.conduit.chan.BatchChannel)} is the Java view
 * of a Kotlin batch channel and {@link #unwrap()} the Kotlin channel behind this one. Thread-safe.
 *
 * @param <T> the item type; {@code null} items are refused with {@link NullPointerException}
 *     at the call
 */
public interface BatchChannel<T> extends ReceiveChannel<Batch<T>> {
    /**
     * Makes a batch channel of {@code batchSize} items per batch whose partial batches leave
     * {@code maxLatency} after their first item, with room for 4 full batches. Never blocks.
     *
     * @param <T> the item type
     * @param batchSize items per full batch
     * @param maxLatency the longest a partial batch waits after its first item
     * @return a new open batch channel
     * @throws IllegalArgumentException if {@code batchSize} is not in 1..1,048,576 (batches are
     *     arrays made up front) or {@code maxLatency} is not positive, naming it and the value
     * @throws NullPointerException if {@code maxLatency} is null
     */
    static <T> BatchChannel<T> create(int batchSize, Duration maxLatency) {
        return create(batchSize, maxLatency, 4);
    }

    /**
     * {@link #create(int, Duration)} with room for {@code capacity} full batches. Never blocks.
     *
     * @param <T> the item type
     * @param batchSize items per full batch
     * @param maxLatency the longest a partial batch waits after its first item
     * @param capacity how many full batches may wait for receivers; a send that completes a
     *     batch while they all wait blocks
     * @return a new open batch channel
     * @throws IllegalArgumentException if {@code batchSize} is not in 1..1,048,576,
     *     {@code capacity} &lt; 1 or {@code maxLatency} is not positive, naming it and the value
     * @throws NullPointerException if {@code maxLatency} is null
     */
    static <T> BatchChannel<T> create(int batchSize, Duration maxLatency, int capacity) {
        Objects.requireNonNull(maxLatency, "maxLatency");
        return wrap(ChannelKindAdaptersKt.<T>goBatchChannel(batchSize, maxLatency, capacity));
    }

    /**
     * The Java view of a Kotlin batch channel: the same channel, not a copy. Never blocks.
     *
     * @param <T> the item type
     * @param channel the Kotlin batch channel to view
     * @return the Java view of {@code channel}, whose {@link #unwrap()} returns {@code channel}
     * @throws NullPointerException if {@code channel} is null
     */
    static <T> BatchChannel<T> wrap(dev.conduit.chan.BatchChannel<T> channel) {
        return new BatchChannelAdapter<>(Objects.requireNonNull(channel, "channel"));
    }

    /**
     * Adds {@code item} to the current batch; if that fills it, hands the batch to the
     * receivers. If {@code item} would complete a batch while {@code capacity} batches wait,
     * first blocks (parks in the channel's own queue) until a receiver makes room; the item is
     * added only then, so an interrupted send has added nothing and lost nothing of anyone
     * else's.
     *
     * @param item the item to add
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws InterruptedException if interrupted while blocked; nothing was added
     * @throws NullPointerException if {@code item} is null
     */
    void send(T item) throws InterruptedException;

    /**
     * Adds {@code item} if that needs no waiting. Never blocks.
     *
     * @param item the item to add
     * @return true if added, false if it would complete a batch while {@code capacity} batches
     *     wait (nothing was added then)
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is closed
     * @throws NullPointerException if {@code item} is null
     */
    boolean trySend(T item);

    /**
     * {@link #send(Object)} without blocking: the future completes once the item is added, or
     * exceptionally with {@link ClosedChannelException}. Cancelling it withdraws the send
     * (nothing added) unless it had completed. Ending it or a stage derived from it from outside in any other
     * way ({@code complete}, {@code orTimeout}, {@code thenApply(f).cancel(true)}, …)
     * withdraws it first in the same way, as for {@link ReceiveChannel#receiveAsync()}. Never blocks.
     *
     * @param item the item to add
     * @return a future completed (with null) once the item is added
     * @throws NullPointerException if {@code item} is null
     */
    CompletableFuture<@Nullable Void> sendAsync(T item);

    /**
     * Sends the partial batch now, if it holds anything, blocking as {@link #send(Object)} may.
     *
     * @throws InterruptedException if interrupted while blocked, as for {@link #send(Object)}
     */
    void flush() throws InterruptedException;

    /**
     * Blocks for the next batch and returns its items (the batch is recycled).
     *
     * @return the next batch's items, in the order they were added, in a new list
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is
     *     closed and every batch delivered
     * @throws InterruptedException if interrupted while blocked; nothing was taken
     */
    List<T> receiveList() throws InterruptedException;

    /**
     * Closes the channel: the partial batch, if any, is delivered after the full ones already
     * waiting, then receivers see "closed"; later sends fail with
     * {@link ClosedChannelException}. Never blocks.
     *
     * @throws IllegalStateException ("close of closed channel") if it was closed already, as
     *     for every channel kind
     */
    void close();

    /**
     * Items per full batch. Never blocks.
     *
     * @return how many items make a full batch
     */
    int batchSize();

    /**
     * The longest a partial batch waits after its first item. Never blocks.
     *
     * @return the time after its first item at which a partial batch leaves
     */
    Duration maxLatency();

    /**
     * The Kotlin batch channel behind this view. Never blocks.
     *
     * @return the Kotlin batch channel behind this view: the same instance every call
     */
    @Override
    dev.conduit.chan.BatchChannel<T> unwrap();
}
