package dev.conduit.java.pipeline;

import dev.conduit.java.internal.PipelineCalls;
import dev.conduit.pipeline.BroadcastListener;
import dev.conduit.pipeline.Overflow;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One publisher, many subscribers, each with its own buffer and {@link Overflow} policy, for
 * Java: the facade of {@code dev.conduit.pipeline.Broadcast}. The slow-subscriber question is
 * answered per subscriber ({@code BLOCK}, {@code DROP_OLDEST}, {@code DROP_NEWEST},
 * {@code DISCONNECT}) instead of letting the slowest one set everyone's pace; every drop is
 * counted on the {@link Subscription} and reported to the listener.
 *
 * <pre>{@code
 * Broadcast<Tick> prices = Broadcast.create();
 * Subscription<Tick> ui = prices.subscribe("ui", 1, Overflow.DROP_OLDEST);
 * prices.publish(tick);
 * for (Tick t : ui.items()) render(t);
 * }</pre>
 *
 * <p>A new subscriber gets what is published after {@link #subscribe} returns, nothing earlier.
 * {@link #publish} is for one publisher at a time (calls must not overlap); {@link #subscribe},
 * {@link Subscription#unsubscribe()} and {@link #close()} are thread-safe and never block.
 * {@link #wrap(dev.conduit.pipeline.Broadcast)} is the Java view of a Kotlin broadcast and
 * {@link #unwrap()} the Kotlin broadcast behind this one: the same instance.
 *
 * @param <T> the item type; {@code null} items are refused with {@link NullPointerException}
 *     at the call
 */
public final class Broadcast<T> {
    private final dev.conduit.pipeline.Broadcast<T> broadcast;

    private Broadcast(dev.conduit.pipeline.Broadcast<T> broadcast) {
        this.broadcast = broadcast;
    }

    /**
     * A broadcast with no listener. Never blocks.
     *
     * @param <T> the item type
     * @return a new broadcast with no subscribers
     */
    public static <T> Broadcast<T> create() {
        return new Broadcast<>(new dev.conduit.pipeline.Broadcast<>());
    }

    /**
     * A broadcast that tells {@code listener} about every drop and disconnection (on the
     * publishing thread; the listener must not block). Never blocks.
     *
     * @param <T> the item type
     * @param listener told about every drop and disconnection, on the publishing thread
     * @return a new broadcast with no subscribers
     * @throws NullPointerException if {@code listener} is null
     */
    public static <T> Broadcast<T> create(BroadcastListener<? super T> listener) {
        Objects.requireNonNull(listener, "listener");
        return new Broadcast<>(new dev.conduit.pipeline.Broadcast<T>(listener));
    }

    /**
     * The Java view of a Kotlin broadcast: the same broadcast. Never blocks.
     *
     * @param <T> the item type
     * @param broadcast the Kotlin broadcast to share
     * @return a Java view of {@code broadcast}
     * @throws NullPointerException if {@code broadcast} is null
     */
    public static <T> Broadcast<T> wrap(dev.conduit.pipeline.Broadcast<T> broadcast) {
        return new Broadcast<>(Objects.requireNonNull(broadcast, "broadcast"));
    }

    /**
     * Adds a subscriber named {@code name} with a buffer of 16 and the {@code BLOCK} policy.
     * Never blocks.
     *
     * @param name the subscriber's name, for reports
     * @return the new subscription
     * @throws IllegalStateException if the broadcast is closed
     * @throws NullPointerException if {@code name} is null
     */
    public Subscription<T> subscribe(String name) {
        return subscribe(name, 16, Overflow.BLOCK);
    }

    /**
     * Adds a subscriber named {@code name} that may have {@code buffer} items waiting before
     * {@code overflow} applies. Never blocks.
     *
     * @param name the subscriber's name, for reports
     * @param buffer how many items may wait for the subscriber before {@code overflow} applies
     * @param overflow what happens to an item that finds the buffer full
     * @return the new subscription
     * @throws IllegalArgumentException if {@code buffer} is negative, or 0 with a dropping or
     *     disconnecting policy (there would be nothing to drop from)
     * @throws IllegalStateException if the broadcast is closed
     * @throws NullPointerException if {@code name} or {@code overflow} is null
     */
    public Subscription<T> subscribe(String name, int buffer, Overflow overflow) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(overflow, "overflow");
        return Subscription.wrap(broadcast.subscribe(name, buffer, overflow));
    }

    /**
     * The current subscribers. Never blocks.
     *
     * @return a list of the subscribers now, each as a new view
     */
    public List<Subscription<T>> subscriptions() {
        return broadcast.getSubscriptions().stream().map(Subscription::wrap).collect(Collectors.toList());
    }

    /**
     * Delivers {@code item} to every current subscriber under its overflow policy, blocking only
     * for {@code BLOCK} subscribers whose buffer is full, until they make room or unsubscribe.
     *
     * @param item the item to deliver
     * @throws IllegalStateException if the broadcast is closed
     * @throws InterruptedException if interrupted while blocked (subscribers already served
     *     keep the item; the others do not get it)
     * @throws NullPointerException if {@code item} is null
     */
    public void publish(T item) throws InterruptedException {
        PipelineCalls.publish(broadcast, Objects.requireNonNull(item, "item"));
    }

    /**
     * {@link #publish} without blocking the caller: the future completes once every subscriber
     * was served, or exceptionally with {@link IllegalStateException} if the broadcast is
     * closed. Cancelling it stops the publish (subscribers already served keep the item).
     * Never blocks.
     *
     * @param item the item to deliver
     * @return a future that completes once every subscriber was served
     * @throws NullPointerException if {@code item} is null
     */
    public CompletableFuture<@Nullable Void> publishAsync(T item) {
        return PipelineCalls.publishAsync(broadcast, Objects.requireNonNull(item, "item"));
    }

    /**
     * Ends the broadcast: every subscriber's channel closes after what it has buffered, and
     * later {@link #publish} and {@link #subscribe} calls fail. Idempotent; never blocks.
     */
    public void close() {
        broadcast.close();
    }

    /**
     * The Kotlin broadcast behind this view: the same instance every call. Never blocks.
     *
     * @return the Kotlin broadcast behind this view
     */
    public dev.conduit.pipeline.Broadcast<T> unwrap() {
        return broadcast;
    }

    @Override
    public String toString() {
        return broadcast.toString();
    }
}
