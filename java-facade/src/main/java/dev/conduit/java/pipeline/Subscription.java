package dev.conduit.java.pipeline;

import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.pipeline.Overflow;
import java.util.Objects;

/**
 * One subscriber of a {@link Broadcast}, for Java: {@link #items()} delivers what is published
 * after it subscribed, in publishing order, minus what its {@link #overflow()} policy drops
 * (counted in {@link #dropped()}). Made by {@link Broadcast#subscribe} (so it has no
 * {@code create}); {@link #wrap(dev.conduit.pipeline.Subscription)} is the Java view of a Kotlin
 * subscription, as a {@code BroadcastListener} is given, and {@link #unwrap()} the Kotlin
 * subscription behind this one. Thread-safe.
 *
 * @param <T> the item type
 */
public final class Subscription<T> {
    private final dev.conduit.pipeline.Subscription<T> subscription;
    private final ReceiveChannel<T> items;

    private Subscription(dev.conduit.pipeline.Subscription<T> subscription) {
        this.subscription = subscription;
        this.items = ReceiveChannel.wrap(subscription.getItems());
    }

    /**
     * The Java view of a Kotlin subscription: the same subscription. Never blocks.
     *
     * @param <T> the item type
     * @param subscription the Kotlin subscription to share
     * @return a Java view of {@code subscription}
     * @throws NullPointerException if {@code subscription} is null
     */
    public static <T> Subscription<T> wrap(dev.conduit.pipeline.Subscription<T> subscription) {
        return new Subscription<>(Objects.requireNonNull(subscription, "subscription"));
    }

    /**
     * The subscriber's name, for reports. Never blocks.
     *
     * @return the subscriber's name
     */
    public String name() {
        return subscription.getName();
    }

    /**
     * How many items this subscriber may have waiting before its overflow policy applies. Never
     * blocks.
     *
     * @return the number of items that may wait before the overflow policy applies
     */
    public int buffer() {
        return subscription.getBuffer();
    }

    /**
     * What happens when the buffer is full. Never blocks.
     *
     * @return the overflow policy
     */
    public Overflow overflow() {
        return subscription.getOverflow();
    }

    /**
     * The items for this subscriber; the channel closes on {@link #unsubscribe()},
     * disconnection or the broadcast's close, after what is buffered. Never blocks.
     *
     * @return the channel of this subscriber's items
     */
    public ReceiveChannel<T> items() {
        return items;
    }

    /**
     * How many items this subscriber lost to its overflow policy. Never blocks.
     *
     * @return the number of items dropped so far
     */
    public long dropped() {
        return subscription.getDropped();
    }

    /**
     * Whether the broadcast disconnected this subscriber for being too slow. Never blocks.
     *
     * @return true if the broadcast disconnected this subscriber
     */
    public boolean disconnected() {
        return subscription.getDisconnected();
    }

    /**
     * Leaves the broadcast: nothing more is delivered and {@link #items()} closes after what is
     * buffered; a publisher blocked on this subscriber moves on. Idempotent; never blocks.
     */
    public void unsubscribe() {
        subscription.unsubscribe();
    }

    /**
     * The Kotlin subscription behind this view: the same instance every call. Never blocks.
     *
     * @return the Kotlin subscription behind this view
     */
    public dev.conduit.pipeline.Subscription<T> unwrap() {
        return subscription;
    }

    @Override
    public String toString() {
        return subscription.toString();
    }
}
