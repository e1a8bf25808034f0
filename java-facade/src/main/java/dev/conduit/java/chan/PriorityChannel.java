package dev.conduit.java.chan;

import dev.conduit.Clock;
import dev.conduit.chan.ClosedChannelException;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import dev.conduit.java.internal.PriorityChannelAdapter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A bounded channel consumed by priority with aging, for Java: the facade of
 * {@code dev.conduit.chan.PriorityChannel}. A receive takes the value with the highest
 * <em>effective</em> priority: its priority (0 to {@code levels() - 1}, higher first) plus one
 * for every {@link #agingStep()} it has waited, so a stream of urgent values cannot starve an
 * old one forever. Within one priority, values leave in arrival order.
 *
 * <pre>{@code
 * PriorityChannel<String> jobs = PriorityChannel.create(3, 64, Duration.ofSeconds(1));
 * jobs.send("urgent page", 2);
 * jobs.send("background report", 0);
 * String next = jobs.receive();                 // "urgent page"
 * }</pre>
 *
 * <p>It is a {@link Channel} like any other: the receive forms, select cases, iteration and
 * the closed contract are those of every channel; the one-argument sends ({@link #send(Object)}
 * and its timeout, context and async forms, {@link #trySend(Object)}) and a select's send case
 * use the channel's default priority (0 for one made by {@code create}; a wrapped core channel's
 * own otherwise). The forms with a {@code priority} send at that priority and otherwise behave
 * as their one-priority counterparts: a blocked send parks the thread in the channel's own
 * queue, and an interrupted, timed-out or cancelled one was not sent.
 *
 * <p>{@link #wrap(dev.conduit.chan.PriorityChannel)} is the Java view of a Kotlin priority
 * channel and {@link #unwrap()} the Kotlin channel behind this one: the same instance.
 * Thread-safe, for any number of producers and consumers.
 *
 * @param <T> the element type; {@code null} elements are refused with
 *     {@link NullPointerException} at the call
 */
public interface PriorityChannel<T> extends Channel<T> {
    /**
     * Makes a priority channel of {@code levels} priorities (0 to {@code levels - 1}, higher
     * first) holding at most {@code capacity} values, whose values gain one priority for every
     * {@code agingStep} they wait. Never blocks.
     *
     * @param <T> the element type
     * @param levels how many priorities there are: 0 to {@code levels - 1}, higher first
     * @param capacity how many values may wait in the channel
     * @param agingStep waiting this long raises a value's effective priority by one
     * @return a new open priority channel
     * @throws IllegalArgumentException if {@code levels} is not in 1..65536, {@code capacity} &lt; 1 or
     *     {@code agingStep} is not positive, naming it and the value
     * @throws NullPointerException if {@code agingStep} is null
     */
    static <T> PriorityChannel<T> create(int levels, int capacity, Duration agingStep) {
        return create(levels, capacity, agingStep, Clock.system());
    }

    /**
     * {@link #create(int, int, Duration)} measuring waiting time on {@code clock}: virtual time
     * in tests. Never blocks.
     *
     * @param <T> the element type
     * @param levels how many priorities there are: 0 to {@code levels - 1}, higher first
     * @param capacity how many values may wait in the channel
     * @param agingStep waiting this long raises a value's effective priority by one
     * @param clock measures how long values wait
     * @return a new open priority channel
     * @throws IllegalArgumentException as {@link #create(int, int, Duration)}
     * @throws NullPointerException if {@code agingStep} or {@code clock} is null
     */
    static <T> PriorityChannel<T> create(int levels, int capacity, Duration agingStep, Clock clock) {
        Objects.requireNonNull(agingStep, "agingStep");
        Objects.requireNonNull(clock, "clock");
        return wrap(dev.conduit.chan.PriorityChannel.create(levels, capacity, agingStep, clock));
    }

    /**
     * The Java view of a Kotlin priority channel: the same channel, not a copy. Never blocks.
     *
     * @param <T> the element type
     * @param channel the Kotlin priority channel to view
     * @return the Java view of {@code channel}, whose {@link #unwrap()} returns {@code channel}
     * @throws NullPointerException if {@code channel} is null
     */
    static <T> PriorityChannel<T> wrap(dev.conduit.chan.PriorityChannel<T> channel) {
        return new PriorityChannelAdapter<>(Objects.requireNonNull(channel, "channel"));
    }

    /**
     * Sends {@code value} at {@code priority}, blocking while the channel is full.
     *
     * @param value the value to send
     * @param priority its priority in 0 to {@code levels() - 1}, higher first; aging raises it
     *     while it is buffered
     * @throws IllegalArgumentException if {@code priority} is not in 0 to {@code levels() - 1}
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws NullPointerException if {@code value} is null
     */
    void send(T value, int priority) throws InterruptedException;

    /**
     * Sends {@code value} at {@code priority}, blocking at most {@code timeout}.
     *
     * @param value the value to send
     * @param priority its priority in 0 to {@code levels() - 1}, higher first; aging raises it
     *     while it is buffered
     * @param timeout how long to wait at most; zero or negative: send only if there is room now
     * @throws TimeoutException if there was no room in time; the value was then not sent
     * @throws IllegalArgumentException if {@code priority} is not in 0 to {@code levels() - 1}
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws NullPointerException if {@code value} or {@code timeout} is null
     */
    void send(T value, int priority, Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Sends {@code value} at {@code priority}, blocking until it is sent or {@code ctx} is done.
     *
     * @param ctx ends the wait when it is done
     * @param value the value to send
     * @param priority its priority in 0 to {@code levels() - 1}, higher first; aging raises it
     *     while it is buffered
     * @throws ContextException ({@code ctx.getErr()}) if {@code ctx} is or becomes done first;
     *     the value was then not sent
     * @throws IllegalArgumentException if {@code priority} is not in 0 to {@code levels() - 1}
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws NullPointerException if {@code ctx} or {@code value} is null
     */
    void send(Context ctx, T value, int priority) throws InterruptedException;

    /**
     * Sends {@code value} at {@code priority} only if there is room now (linearizable). Never
     * blocks.
     *
     * @param value the value to send
     * @param priority its priority in 0 to {@code levels() - 1}, higher first; aging raises it
     *     while it is buffered
     * @return true if sent, false if the channel is full
     * @throws IllegalArgumentException if {@code priority} is not in 0 to {@code levels() - 1}
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is closed
     * @throws NullPointerException if {@code value} is null
     */
    boolean trySend(T value, int priority);

    /**
     * Sends {@code value} at {@code priority} without blocking the caller. The future completes
     * when the value is sent, or exceptionally with {@link ClosedChannelException}. Cancelling
     * the future withdraws the send: {@code cancel} returns true only if the value was not and
     * will not be sent. Ending it or a stage derived from it from outside in any other
     * way ({@code complete}, {@code orTimeout}, {@code thenApply(f).cancel(true)}, …)
     * withdraws it first in the same way, as for {@link ReceiveChannel#receiveAsync()}. Never blocks.
     *
     * @param value the value to send
     * @param priority its priority in 0 to {@code levels() - 1}, higher first; aging raises it
     *     while it is buffered
     * @return a future completed (with null) once the value is sent
     * @throws IllegalArgumentException if {@code priority} is not in 0 to {@code levels() - 1}
     * @throws NullPointerException if {@code value} is null
     */
    CompletableFuture<@Nullable Void> sendAsync(T value, int priority);

    /**
     * How many priorities there are. Never blocks.
     *
     * @return the number of priorities: they are 0 to {@code levels() - 1}, higher first
     */
    int levels();

    /**
     * How fast waiting values age. Never blocks.
     *
     * @return the wait that raises a value's effective priority by one
     */
    Duration agingStep();

    /**
     * The Kotlin priority channel behind this view. Never blocks.
     *
     * @return the Kotlin priority channel behind this view: the same instance every call
     */
    @Override
    dev.conduit.chan.PriorityChannel<T> unwrap();
}
