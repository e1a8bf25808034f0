package dev.conduit.java.chan;

import dev.conduit.chan.ClosedChannelException;
import dev.conduit.chan.Received;
import dev.conduit.chan.spi.Poll;
import dev.conduit.chan.spi.Selection;
import dev.conduit.context.Context;
import dev.conduit.java.internal.ChannelAdapterKt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Go's {@code select} for Java, with Go's semantics: waits until one of several channel
 * operations can proceed, does that one, and runs its handler.
 *
 * <pre>{@code
 * int fired = Select.create()
 *     .onReceive(jobs, job -> handle(job))
 *     .onSend(results, 42, () -> log("sent"))
 *     .onTimeout(Duration.ofSeconds(1), () -> log("timeout"))
 *     .run();
 * }</pre>
 *
 * <p>When several cases are ready, one is picked uniformly at random, as in Go; {@link #biased()}
 * makes a select that tries its cases in the order they were added. {@link #orElse} is Go's
 * {@code default}: it runs only if no other case was ready at the moment of the attempt (one
 * consistent snapshot of every channel in the select), so the select never blocks. Cases may
 * name the same channel more than once, a send and a receive included; any channel kind may be
 * mixed in.
 *
 * <p>The handler of the chosen case runs on the thread that called {@link #run()} (for
 * {@link #runAsync()}, on the thread that completed the select), after the operation is done. A
 * case on a closed channel: {@link #onReceiveOk} gets "closed"; {@link #onReceive} and
 * {@link #onSend} fail the select with {@link ClosedChannelException}. A blocked {@link #run()}
 * parks the calling thread in the channels' own queues: no coroutine, future or extra thread. A
 * {@code Select} is a builder for one thread; run it as often as needed. A select with no case,
 * no {@link #orElse} and no {@link #onTimeout} is Go's {@code select {}}: {@link #run()} blocks
 * until interrupted.
 *
 * <p>Called on a Vert.x event-loop thread or a coroutine dispatcher's thread, {@link #run()}
 * blocks that thread like any blocking call; use {@link #runAsync()} there.
 */
public final class Select {
    /**
     * One case: {@code add} puts its operation into a {@link Selection} and returns its index
     * there (-1 if it is not a channel case); {@code handle} runs once it fired, given the
     * operation's result.
     */
    private record Case(ToIntFunction<Selection> add, Consumer<@Nullable Object> handle) {}

    /** The place of Go's {@code default} among the cases. */
    private static final Case DEFAULT = new Case(s -> -1, result -> {});

    private final boolean biased;
    private final List<Case> cases = new ArrayList<>();
    private @Nullable Runnable otherwise;
    private long timeoutNanos = Long.MAX_VALUE;
    private int timeoutCase = -1;

    private Select(boolean biased) {
        this.biased = biased;
    }

    /**
     * A fair select: among ready cases, one is picked uniformly at random. Never blocks.
     *
     * @return a new fair select with no cases
     */
    public static Select create() {
        return new Select(false);
    }

    /**
     * A priority select: among ready cases, the first one added wins. Never blocks.
     *
     * @return a new biased select with no cases
     */
    public static Select biased() {
        return new Select(true);
    }

    /**
     * Adds a case that receives a value from {@code channel} and passes it to {@code handler}.
     * Never blocks.
     *
     * @param <T> the element type
     * @param channel the channel to receive from; closed and drained, it fails the select with
     *     {@link ClosedChannelException} if this case is chosen
     * @param handler runs with the value received, if this case is chosen
     * @return this select, for chaining
     * @throws NullPointerException if an argument is null
     */
    @SuppressWarnings("unchecked")
    public <T> Select onReceive(ReceiveChannel<T> channel, Consumer<? super T> handler) {
        Objects.requireNonNull(handler, "handler");
        return add(receiveCase(channel, result -> {
            if (result == Poll.CLOSED) throw ClosedChannelException.receiveOnClosed();
            handler.accept((T) result);
        }));
    }

    /**
     * Adds a case that receives a value or "closed" from {@code channel}: Go's
     * {@code case v, ok := <-ch}. Never blocks.
     *
     * @param <T> the element type
     * @param channel the channel to receive from
     * @param handler runs with the value received ({@link Received#isOk()} true), or with
     *     {@link Received#closed()} once the channel is closed and drained, if this case is chosen
     * @return this select, for chaining
     * @throws NullPointerException if an argument is null
     */
    @SuppressWarnings("unchecked")
    public <T> Select onReceiveOk(ReceiveChannel<T> channel, Consumer<? super Received<T>> handler) {
        Objects.requireNonNull(handler, "handler");
        return add(receiveCase(channel,
                result -> handler.accept(result == Poll.CLOSED ? Received.closed() : Received.of((T) result))));
    }

    private static Case receiveCase(ReceiveChannel<?> channel, Consumer<@Nullable Object> handle) {
        Objects.requireNonNull(channel, "channel");
        return new Case(s -> s.receive(channel.unwrap()), handle);
    }

    /**
     * Adds a case that sends {@code value} on {@code channel} and then runs {@code handler}.
     * Never blocks.
     *
     * @param <T> the element type
     * @param channel the channel to send on; closed, it fails the select with {@link
     *     ClosedChannelException} if this case is chosen
     * @param value the value to send
     * @param handler runs once the value is sent, if this case is chosen
     * @return this select, for chaining
     * @throws NullPointerException if an argument is null
     */
    public <T> Select onSend(SendChannel<T> channel, T value, Runnable handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(handler, "handler");
        return add(new Case(s -> s.send(channel.unwrap(), value), result -> {
            if (result == Poll.CLOSED) throw ClosedChannelException.sendOnClosed();
            handler.run();
        }));
    }

    /**
     * Adds a case that fires when {@code ctx} is done. Never blocks.
     *
     * @param ctx the context whose end makes this case ready; ready at once if it is done
     *     already
     * @param handler runs if this case is chosen
     * @return this select, for chaining
     * @throws NullPointerException if an argument is null
     */
    public Select onDone(Context ctx, Runnable handler) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(handler, "handler");
        return add(new Case(s -> s.receive(ctx.getDone()), result -> handler.run()));
    }

    /**
     * Adds a case that fires when {@code timeout} passes with no other case firing. With
     * several, the shortest counts. Never blocks.
     *
     * @param timeout how long, from the start of each {@link #run()} or {@link #runAsync()}, to
     *     wait for another case; zero or negative: a case that is always ready
     * @param handler runs if this case is chosen
     * @return this select, for chaining
     * @throws NullPointerException if an argument is null
     */
    public Select onTimeout(Duration timeout, Runnable handler) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(handler, "handler");
        long nanos = ChannelAdapterKt.nanosOf(timeout);
        int index = cases.size();
        add(new Case(s -> nanos <= 0 ? s.ready() : -1, result -> handler.run()));
        if (nanos > 0 && nanos < timeoutNanos) {
            timeoutNanos = nanos;
            timeoutCase = index;
        }
        return this;
    }

    /**
     * Go's {@code default}: {@code handler} runs when no other case is ready, and the select
     * does not block. Its index is the number of cases added before it. Never blocks.
     *
     * @param handler runs if no other case is ready
     * @return this select, for chaining
     * @throws IllegalStateException if a default was already set
     * @throws NullPointerException if {@code handler} is null
     */
    public Select orElse(Runnable handler) {
        Objects.requireNonNull(handler, "handler");
        if (otherwise != null) throw new IllegalStateException("a select may have only one orElse (default) case");
        otherwise = handler;
        cases.add(DEFAULT);
        return this;
    }

    private Select add(Case c) {
        cases.add(c);
        return this;
    }

    /** One run: the cases in a fresh {@link Selection}, and which builder case each index is. */
    private final class Run {
        final Selection selection = new Selection(biased, cases.size());
        private final int[] caseOf = new int[cases.size()];

        Run() {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                if (c == DEFAULT) continue;
                int k = c.add().applyAsInt(selection);
                if (k >= 0) caseOf[k] = i;
            }
        }

        /** Runs the handler of what the selection chose; returns its builder index. */
        int handle(int chosen) {
            int index;
            if (chosen == Selection.DEFAULT) index = cases.indexOf(DEFAULT);
            else if (chosen == Selection.TIMED_OUT) index = timeoutCase;
            else index = caseOf[chosen];
            Case c = cases.get(index);
            if (c == DEFAULT) Objects.requireNonNull(otherwise).run();
            else c.handle().accept(selection.getResult());
            return index;
        }
    }

    /**
     * Blocks until a case fires, runs its handler on this thread, and returns the case's index.
     *
     * @return the index of the case that fired: the order in which cases were added, from 0
     * @throws InterruptedException if interrupted while blocked; no case fired then (a case
     *     that completed at that very moment runs instead, with the interrupt status set again)
     * @throws ClosedChannelException if the chosen case receives from (with {@link #onReceive})
     *     or sends to a closed channel
     */
    public int run() throws InterruptedException {
        Run r = new Run();
        return r.handle(r.selection.selectBlocking(otherwise != null, timeoutNanos, null));
    }

    /**
     * Runs the select without blocking. The future completes with the fired case's index after
     * its handler ran (on the thread that completed the select), or exceptionally with what
     * the handler or the case threw. Cancelling the future withdraws the select: {@code cancel}
     * returns true only if no case fired or will fire. Ending it or a stage derived from it from outside in any other
     * way ({@code complete}, {@code orTimeout}, {@code thenApply(f).cancel(true)}, …)
     * withdraws it first in the same way, as for {@link ReceiveChannel#receiveAsync()}. Never blocks.
     *
     * @return a future of the fired case's index (as {@link #run()} returns), completed after
     *     its handler ran
     */
    public CompletableFuture<Integer> runAsync() {
        Run r = new Run();
        return r.selection.selectFuture(otherwise != null, timeoutNanos, r::handle);
    }
}
