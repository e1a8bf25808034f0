package dev.conduit.java.chan;

import dev.conduit.Clock;
import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.ReceiveChan;
import dev.conduit.chan.Received;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import dev.conduit.java.internal.FlowBridges;
import dev.conduit.java.internal.ReceiveAdapter;
import dev.conduit.java.internal.Timers;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The receiving side of a Go channel, for Java: Go's {@code <-chan T}. {@link #wrap(ReceiveChan)}
 * is the Java view of a Kotlin channel's receiving side; {@link #unwrap()} the Kotlin channel
 * behind this view. {@link #after(Duration)} is Go's {@code time.After}.
 *
 * <p>Blocking calls wait in the channel's own queue: they spin briefly (on an unbuffered
 * channel, where the partner usually arrives within microseconds), then park the calling thread
 * (cheaply on a virtual thread). Called on a Vert.x event-loop thread or a coroutine
 * dispatcher's thread, they block that thread like any blocking call; use the async forms there. An
 * interrupted blocking receive either returns its value (with the thread's interrupt status
 * set again) or throws {@link InterruptedException} having taken nothing: no value is lost.
 *
 * <p>Closed channel: once the channel is closed and drained, {@link #receive()} throws
 * {@link ClosedChannelException}, {@link #receiveOk()} returns {@link Received#closed()},
 * {@link #tryReceive()} is empty (as when nothing is ready: {@link #tryReceiveOk()} tells the
 * two apart), and iteration ends.
 *
 * <p>Iterating, or {@link #stream()}, yields values until the channel is closed and drained.
 *
 * @param <T> the element type
 */
public interface ReceiveChannel<T> extends Iterable<T> {
    /**
     * The Java view of the receiving side of a Kotlin channel: the same channel, not a copy.
     * Never blocks.
     *
     * @param <T> the element type
     * @param chan the Kotlin channel (or its receiving side) to view
     * @return the Java view of {@code chan}'s receiving side, whose {@link #unwrap()} returns
     *     {@code chan}
     * @throws NullPointerException if {@code chan} is null
     * @throws IllegalArgumentException if {@code chan} is not a Conduit channel kind
     */
    static <T> ReceiveChannel<T> wrap(ReceiveChan<T> chan) {
        return new ReceiveAdapter<>(Objects.requireNonNull(chan, "chan"));
    }

    /**
     * A channel that receives the current time once, {@code delay} from now: Go's
     * {@code time.After}. It buffers that one value (the timer never waits for a receiver) and
     * is not closed afterwards. Never blocks.
     *
     * @param delay how long from now the time is sent; zero or negative: at once
     * @return a new channel of capacity 1 that receives the time of firing
     * @throws NullPointerException if {@code delay} is null
     */
    static ReceiveChannel<Instant> after(Duration delay) {
        return after(delay, Clock.system());
    }

    /**
     * {@link #after(Duration)} on {@code clock}: virtual time in tests. Never blocks.
     *
     * @param delay how long from now, on {@code clock}, the time is sent; zero or negative: at
     *     once
     * @param clock schedules the timer and gives the time sent
     * @return a new channel of capacity 1 that receives {@code clock}'s time of firing
     * @throws NullPointerException if {@code delay} or {@code clock} is null
     */
    static ReceiveChannel<Instant> after(Duration delay, Clock clock) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(clock, "clock");
        return wrap(Timers.after(delay, clock));
    }

    /**
     * Receives the next value, blocking until one is available.
     *
     * @return the value received
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is
     *     closed and drained
     * @throws InterruptedException if interrupted while blocked; nothing was taken
     */
    T receive() throws InterruptedException;

    /**
     * Receives the next value, blocking at most {@code timeout}.
     *
     * @param timeout how long to wait at most; zero or negative: receive only if a value is
     *     ready now
     * @return the value received
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
     * @param ctx ends the wait when it is done
     * @return the value received
     * @throws ContextException ({@code ctx.getErr()}) if {@code ctx} is or becomes done first;
     *     nothing was taken
     * @throws ClosedChannelException (an {@code IllegalStateException}) if the channel is
     *     closed and drained
     * @throws InterruptedException if interrupted while blocked; nothing was taken
     * @throws NullPointerException if {@code ctx} is null
     */
    T receive(Context ctx) throws InterruptedException;

    /**
     * Receives the next value or learns that the channel is closed and drained: Go's
     * {@code v, ok := <-ch}. Blocks until one of the two; never throws for a closed channel.
     *
     * @return the value ({@link Received#isOk()} true), or {@link Received#closed()} once the
     *     channel is closed and drained
     * @throws InterruptedException if interrupted while blocked; nothing was taken
     */
    Received<T> receiveOk() throws InterruptedException;

    /**
     * Receives a value only if one is ready now. Never blocks.
     *
     * @return the value, or empty if none is ready or the channel is closed and drained (use
     *     {@link #tryReceiveOk()} to tell the two apart)
     */
    Optional<T> tryReceive();

    /**
     * Receives a value only if one is ready now, telling "closed" from "empty": Go's
     * {@code select} with a {@code default} around {@code v, ok := <-ch}. Linearizable. Never
     * blocks.
     *
     * @return the value ({@link Received#isOk()} true), {@link Received#closed()} if the
     *     channel is closed and drained, or null if nothing is ready now
     */
    @Nullable Received<T> tryReceiveOk();

    /**
     * Receives without blocking the caller. The future completes with the value, or
     * exceptionally with {@link ClosedChannelException} when the channel is closed and drained.
     *
     * <p>Nothing but the receive ends the future while the receive may still happen: cancelling
     * it, completing it from outside ({@code complete}, {@code completeExceptionally}, {@code
     * completeAsync}), or timing it out ({@code orTimeout}, {@code completeOnTimeout}) first
     * withdraws the receive, and succeeds only if no value was or will be taken for it;
     * otherwise the call returns false (or the timeout does nothing) and the future completes
     * with the value. The same holds for every stage derived from it ({@code thenApply}, {@code
     * copy}, …) while the receive is pending: ending one from outside withdraws the receive
     * (and cancels this future, so its other stages fail with {@code CancellationException}).
     * {@code obtrudeValue} and {@code obtrudeException} throw {@link
     * UnsupportedOperationException}. So an abandoned receive never takes a later value. Never
     * blocks.
     *
     * @return a future of the value received
     */
    CompletableFuture<T> receiveAsync();

    /**
     * Receives without blocking the caller, waiting at most {@code timeout}. The future
     * completes with the value, or exceptionally with {@link TimeoutException} once the timeout
     * passes (nothing was taken then), or with {@link ClosedChannelException} when the channel
     * is closed and drained. Ending it from outside as for {@link #receiveAsync()}. Never
     * blocks.
     *
     * @param timeout how long to wait at most; zero or negative: receive only a value ready now
     * @return a future of the value received
     * @throws NullPointerException if {@code timeout} is null
     */
    CompletableFuture<T> receiveAsync(Duration timeout);

    /**
     * Receives without blocking the caller, until {@code ctx} is done. The future completes
     * with the value, or exceptionally with {@code ctx.getErr()} (a {@link ContextException})
     * if {@code ctx} is done first (at once if it is done already; nothing was taken then), or
     * with {@link ClosedChannelException} when the channel is closed and drained. Ending it
     * from outside as for {@link #receiveAsync()}. Never blocks.
     *
     * @param ctx fails the future when it is done before a value is received
     * @return a future of the value received
     * @throws NullPointerException if {@code ctx} is null
     */
    CompletableFuture<T> receiveAsync(Context ctx);

    /**
     * Like {@link #receiveAsync()} (and withdrawn the same way), completing with {@link
     * Received#closed()} instead of failing. Never blocks.
     *
     * @return a future of the value received ({@link Received#isOk()} true), or of {@link
     *     Received#closed()} once the channel is closed and drained
     */
    CompletableFuture<Received<T>> receiveOkAsync();

    /**
     * Values until the channel is closed and drained. {@code hasNext} blocks; if the thread is
     * interrupted there, it throws {@link CancellationException} with the interrupt status
     * set, having taken nothing. {@code remove} is not supported.
     *
     * @return a new iterator that receives from this channel
     */
    @Override
    Iterator<T> iterator();

    /**
     * A sequential, ordered stream of the values until the channel is closed and drained; its
     * terminal operations block as {@link #iterator()} does.
     *
     * @return a new stream that receives from this channel
     */
    Stream<T> stream();

    /**
     * This channel as a {@code java.util.concurrent.Flow.Publisher}, for Reactive Streams
     * consumers (Reactor, RxJava, Mutiny, the JDK's {@code SubmissionPublisher} users): each
     * subscription receives from the channel as its demand allows, until the channel closes
     * ({@code onComplete}). Values are shared between subscribers, not repeated: a channel is
     * consumed. Cancelling the subscription stops receiving. Never blocks. The other direction
     * is {@code Pipeline.fromPublisher}.
     *
     * @return a new publisher whose subscriptions receive from this channel
     */
    default java.util.concurrent.Flow.Publisher<T> asPublisher() {
        return FlowBridges.publisherOf(unwrap());
    }

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
    ReceiveChan<T> unwrap();
}
