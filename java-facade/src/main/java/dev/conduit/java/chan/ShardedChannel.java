package dev.conduit.java.chan;

import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.ShardedChan;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import dev.conduit.java.internal.ShardedChannelAdapter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A channel of independent lanes, for Java: the facade of {@code dev.conduit.chan.ShardedChan}.
 * Many producers do not all contend on one lock: a send goes into the lane of its key (the
 * forms with a {@code key}) or of the calling thread (the one-argument forms), and receivers
 * take from any lane, waiting on all of them at once when all are empty.
 *
 * <pre>{@code
 * ShardedChannel<Order> orders = ShardedChannel.create(8, 64);
 * orders.send(order, order.account());          // one account's orders keep their order
 * Order next = orders.receive();
 * }</pre>
 *
 * <p>Order: values sent with the same key go through one lane and keep their order; a
 * producer's keyless values keep theirs while it stays on one thread; across lanes there is no
 * order. {@link #close()} closes every lane at once, so receivers see "closed" only when every
 * lane is closed and drained; {@link #len()} and {@link #tryReceive()} look at all lanes in one
 * snapshot.
 *
 * <p>It is a {@link Channel} like any other (receive forms, select cases, iteration, the closed
 * contract); a select's receive case waits on every lane and counts as one case. The keyed forms
 * behave as their keyless counterparts: a blocked send parks the thread in its lane's queue,
 * and an interrupted, timed-out or cancelled one was not sent. {@link #wrap(ShardedChan)} is the
 * Java view of a Kotlin sharded channel and {@link #unwrap()} the Kotlin channel behind this
 * one: the same instance. Thread-safe.
 *
 * @param <T> the element type; {@code null} elements are refused with
 *     {@link NullPointerException} at the call
 */
public interface ShardedChannel<T> extends Channel<T> {
    /**
     * Makes a sharded channel of {@code lanes} lanes, each buffering {@code capacityPerLane}
     * values. Never blocks.
     *
     * @param <T> the element type
     * @param lanes how many lanes (each a channel of its own) there are
     * @param capacityPerLane how many values each lane buffers; 0: unbuffered lanes
     * @return a new open sharded channel
     * @throws IllegalArgumentException if {@code lanes} is not in 1..65536 or {@code capacityPerLane} &lt; 0,
     *     naming it and the value
     */
    static <T> ShardedChannel<T> create(int lanes, int capacityPerLane) {
        return wrap(new ShardedChan<>(lanes, capacityPerLane));
    }

    /**
     * The Java view of a Kotlin sharded channel: the same channel, not a copy. Never blocks.
     *
     * @param <T> the element type
     * @param channel the Kotlin sharded channel to view
     * @return the Java view of {@code channel}, whose {@link #unwrap()} returns {@code channel}
     * @throws NullPointerException if {@code channel} is null
     */
    static <T> ShardedChannel<T> wrap(ShardedChan<T> channel) {
        return new ShardedChannelAdapter<>(Objects.requireNonNull(channel, "channel"));
    }

    /**
     * Sends {@code value} into the lane of {@code key} (by its {@code hashCode}), blocking while
     * that lane is full.
     *
     * @param value the value to send
     * @param key picks the lane, by its {@code hashCode}: values with equal keys keep their order
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws NullPointerException if {@code value} or {@code key} is null
     */
    void send(T value, Object key) throws InterruptedException;

    /**
     * Sends {@code value} into the lane of {@code key}, blocking at most {@code timeout}.
     *
     * @param value the value to send
     * @param key picks the lane, by its {@code hashCode}: values with equal keys keep their order
     * @param timeout how long to wait at most; zero or negative: send only if the lane has room
     *     now
     * @throws TimeoutException if the lane had no room in time; the value was then not sent
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws NullPointerException if {@code value}, {@code key} or {@code timeout} is null
     */
    void send(T value, Object key, Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Sends {@code value} into the lane of {@code key}, blocking until it is sent or {@code ctx}
     * is done.
     *
     * @param ctx ends the wait when it is done
     * @param value the value to send
     * @param key picks the lane, by its {@code hashCode}: values with equal keys keep their order
     * @throws ContextException ({@code ctx.getErr()}) if {@code ctx} is or becomes done first;
     *     the value was then not sent
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws NullPointerException if {@code ctx}, {@code value} or {@code key} is null
     */
    void send(Context ctx, T value, Object key) throws InterruptedException;

    /**
     * Sends {@code value} into the lane of {@code key} only if that lane has room now. Never
     * blocks.
     *
     * @param value the value to send
     * @param key picks the lane, by its {@code hashCode}: values with equal keys keep their order
     * @return true if sent, false if the lane is full
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is closed
     * @throws NullPointerException if {@code value} or {@code key} is null
     */
    boolean trySend(T value, Object key);

    /**
     * Sends {@code value} into the lane of {@code key} without blocking the caller. The future
     * completes when the value is sent, or exceptionally with {@link ClosedChannelException}.
     * Cancelling the future withdraws the send: {@code cancel} returns true only if the value
     * was not and will not be sent. Ending it or a stage derived from it from outside in any other
     * way ({@code complete}, {@code orTimeout}, {@code thenApply(f).cancel(true)}, …)
     * withdraws it first in the same way, as for {@link ReceiveChannel#receiveAsync()}. Never blocks.
     *
     * @param value the value to send
     * @param key picks the lane, by its {@code hashCode}: values with equal keys keep their order
     * @return a future completed (with null) once the value is sent
     * @throws NullPointerException if {@code value} or {@code key} is null
     */
    CompletableFuture<@Nullable Void> sendAsync(T value, Object key);

    /**
     * How many lanes there are. Never blocks.
     *
     * @return the number of lanes, fixed when the channel was made
     */
    int lanes();

    /**
     * The Kotlin sharded channel behind this view. Never blocks.
     *
     * @return the Kotlin sharded channel behind this view: the same instance every call
     */
    @Override
    ShardedChan<T> unwrap();
}
