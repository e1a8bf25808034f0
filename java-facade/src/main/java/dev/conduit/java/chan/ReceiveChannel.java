package dev.conduit.java.chan;

import dev.conduit.chan.ReceiveChan;
import dev.conduit.chan.Received;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import dev.conduit.chan.ClosedChannelException;

/**
 * The receiving side of a Go channel, for Java: Go's {@code <-chan T}.
 *
 * <p>Blocking calls wait in the channel's own queue: they spin briefly (on an unbuffered
 * channel, where the partner usually arrives within microseconds), then park the calling thread
 * (cheaply on a virtual thread). Called on a Vert.x event-loop thread or a coroutine
 * dispatcher's thread, they block that thread like any blocking call; use the async forms there. An
 * interrupted blocking receive either returns its value (with the thread's interrupt status
 * set again) or throws {@link InterruptedException} having taken nothing: no value is lost.
 *
 * <p>Iterating, or {@link #stream()}, yields values until the channel is closed and drained.
 *
 * @param <T> the element type
 */
public interface ReceiveChannel<T> extends Iterable<T> {
    /**
     * Receives the next value, blocking until one is available.
     *
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is
     *     closed and drained
     * @throws InterruptedException if interrupted while blocked; nothing was taken
     */
    T receive() throws InterruptedException;

    /**
     * Receives the next value, blocking at most {@code timeout} (zero or negative: only if one
     * is ready now).
     *
     * @throws TimeoutException if no value came in time; nothing was taken
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is
     *     closed and drained
     * @throws InterruptedException if interrupted while blocked; nothing was taken
     * @throws NullPointerException if {@code timeout} is null
     */
    T receive(Duration timeout) throws InterruptedException, TimeoutException;

    /**
     * Receives the next value, blocking until one is available or {@code ctx} is done.
     *
     * @throws ContextException ({@code ctx.getErr()}) if {@code ctx} is or becomes done first
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is
     *     closed and drained
     * @throws InterruptedException if interrupted while blocked; nothing was taken
     * @throws NullPointerException if {@code ctx} is null
     */
    T receive(Context ctx) throws InterruptedException;

    /**
     * Receives the next value or learns that the channel is closed and drained: Go's
     * {@code v, ok := <-ch}. Blocks until one of the two.
     *
     * @throws InterruptedException if interrupted while blocked; nothing was taken
     */
    Received<T> receiveOk() throws InterruptedException;

    /**
     * Receives a value only if one is ready now. Never blocks.
     *
     * @return the value, or empty if none is ready or the channel is closed and drained
     */
    Optional<T> tryReceive();

    /**
     * Receives without blocking the caller. The future completes with the value, or
     * exceptionally with {@link ClosedChannelException} when the channel is closed and drained.
     * Cancelling the future withdraws the receive: {@code cancel} returns true only if no value
     * was or will be taken for it; if it returns false the future holds the value.
     */
    CompletableFuture<T> receiveAsync();

    /** Like {@link #receiveAsync()}, completing with "closed" instead of failing. */
    CompletableFuture<Received<T>> receiveOkAsync();

    /**
     * Values until the channel is closed and drained. {@code hasNext} blocks; if the thread is
     * interrupted there, it throws {@link CancellationException} with the interrupt status
     * set, having taken nothing.
     */
    @Override
    Iterator<T> iterator();

    /** A sequential, ordered stream of the values until the channel is closed and drained. */
    Stream<T> stream();

    /** How many values are buffered now (Go's {@code len}); a snapshot. Never blocks. */
    int len();

    /** The buffer capacity (Go's {@code cap}). Never blocks. */
    int cap();

    /** The same channel as a Kotlin {@link ReceiveChan}, for Kotlin code and Kotlin select. */
    ReceiveChan<T> asChan();
}
