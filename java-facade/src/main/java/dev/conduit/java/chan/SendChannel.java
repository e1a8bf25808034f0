package dev.conduit.java.chan;

import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.SendChan;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import dev.conduit.java.internal.SendAdapter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The sending side of a Go channel, for Java: Go's {@code chan<- T}. {@link #wrap(SendChan)} is
 * the Java view of a Kotlin channel's sending side; {@link #unwrap()} the Kotlin channel behind
 * this view.
 *
 * <p>Blocking calls wait in the channel's own queue: they spin briefly (on an unbuffered
 * channel, where the partner usually arrives within microseconds), then park the calling thread
 * (cheaply on a virtual thread). Called on a Vert.x event-loop thread or a coroutine
 * dispatcher's thread, they block that thread like any blocking call; use the async forms there. An
 * interrupted blocking call either sends its value or throws {@link InterruptedException}, never
 * both: a value is never sent twice or lost.
 *
 * <p>Closed channel: every send on a closed channel throws {@link ClosedChannelException} (an
 * {@code IllegalStateException}), including a send already waiting when the channel closes
 * (Go panics it); its value is then not delivered.
 *
 * @param <T> the element type; {@code null} elements are refused with
 *     {@link NullPointerException} at the call
 */
public interface SendChannel<T> {
    /**
     * The Java view of the sending side of a Kotlin channel: the same channel, not a copy. Never
     * blocks.
     *
     * @param <T> the element type
     * @param chan the Kotlin channel (or its sending side) to view
     * @return the Java view of {@code chan}'s sending side, whose {@link #unwrap()} returns
     *     {@code chan}
     * @throws NullPointerException if {@code chan} is null
     * @throws IllegalArgumentException if {@code chan} is not a Conduit channel kind
     */
    static <T> SendChannel<T> wrap(SendChan<T> chan) {
        return new SendAdapter<>(Objects.requireNonNull(chan, "chan"));
    }

    /**
     * Sends {@code value}, blocking until a receiver takes it (unbuffered channel) or the buffer
     * has room.
     *
     * @param value the value to send
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws NullPointerException if {@code value} is null
     */
    void send(T value) throws InterruptedException;

    /**
     * Sends {@code value}, blocking at most {@code timeout}.
     *
     * @param value the value to send
     * @param timeout how long to wait at most; zero or negative: send only if that needs no
     *     waiting
     * @throws TimeoutException if the value could not be sent in time; it was then not sent
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws NullPointerException if {@code value} or {@code timeout} is null
     */
    void send(T value, Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Sends {@code value}, blocking until it is sent or {@code ctx} is done.
     *
     * @param ctx ends the wait when it is done
     * @param value the value to send
     * @throws ContextException ({@code ctx.getErr()}) if {@code ctx} is or becomes done first;
     *     the value was then not sent
     * @throws InterruptedException if interrupted while blocked; the value was then not sent
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is or
     *     becomes closed first
     * @throws NullPointerException if {@code ctx} or {@code value} is null
     */
    void send(Context ctx, T value) throws InterruptedException;

    /**
     * Sends {@code value} only if that needs no waiting. Never blocks.
     *
     * @param value the value to send
     * @return true if sent, false if sending would block
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is closed
     * @throws NullPointerException if {@code value} is null
     */
    boolean trySend(T value);

    /**
     * Sends {@code value} without blocking the caller. The future completes when the value is
     * sent, or exceptionally with {@link ClosedChannelException}. Nothing but the send ends the
     * future while the send may still happen: cancelling it, completing it from outside, timing
     * it out ({@code orTimeout}, {@code completeOnTimeout}), or doing one of those to a stage
     * derived from it first withdraws the send, and succeeds only if the value was not and will
     * not be sent (see {@link ReceiveChannel#receiveAsync()} for the details). Never blocks.
     *
     * @param value the value to send
     * @return a future completed (with null) once the value is sent
     * @throws NullPointerException if {@code value} is null
     */
    CompletableFuture<@Nullable Void> sendAsync(T value);

    /**
     * Sends {@code value} without blocking the caller, until {@code ctx} is done. The future
     * completes when the value is sent, or exceptionally with {@code ctx.getErr()} (a {@link
     * ContextException}) if {@code ctx} is done first (at once if it is done already; the value
     * was then not sent), or with {@link ClosedChannelException}. Ending it from outside as for
     * {@link #sendAsync(Object)}. Never blocks.
     *
     * @param ctx fails the future when it is done before the value is sent
     * @param value the value to send
     * @return a future completed (with null) once the value is sent
     * @throws NullPointerException if {@code ctx} or {@code value} is null
     */
    CompletableFuture<@Nullable Void> sendAsync(Context ctx, T value);

    /**
     * Sends {@code value} without blocking the caller, waiting at most {@code timeout}. The
     * future completes when the value is sent, or exceptionally with {@link TimeoutException}
     * once the timeout passes (the value was then not sent), or with {@link
     * ClosedChannelException}. Ending it from outside as for {@link #sendAsync(Object)}. Never
     * blocks.
     *
     * @param value the value to send
     * @param timeout how long to wait at most; zero or negative: send only if that needs no
     *     waiting
     * @return a future completed (with null) once the value is sent
     * @throws NullPointerException if {@code value} or {@code timeout} is null
     */
    CompletableFuture<@Nullable Void> sendAsync(T value, Duration timeout);

    /**
     * Closes the channel: receivers get what is buffered, then "closed"; senders waiting now
     * fail with {@link ClosedChannelException}. Never blocks.
     *
     * @throws IllegalStateException if already closed ("close of closed channel"), or a nil channel
     */
    void close();

    /**
     * How many values are buffered now: Go's {@code len}. Never blocks.
     *
     * @return the number of buffered values at one moment; concurrent sends and receives may
     *     change it right after
     */
    int len();

    /**
     * The buffer capacity: Go's {@code cap}. Never blocks.
     *
     * @return how many values the buffer holds at most; 0 for an unbuffered channel
     */
    int cap();

    /**
     * The Kotlin channel behind this view, for Kotlin code and Kotlin select. Never blocks.
     *
     * @return the Kotlin channel behind this view: the same instance every call
     */
    SendChan<T> unwrap();
}
