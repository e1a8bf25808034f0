package dev.conduit.java.pipeline;

import dev.conduit.chan.ReceiveChan;
import dev.conduit.context.Context;
import dev.conduit.context.ContextException;
import dev.conduit.java.chan.ReceiveChannel;
import dev.conduit.java.internal.PipelineEngine;
import dev.conduit.pipeline.FailurePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A running pipeline for Java: the stages started on it run until their input closes, the
 * pipeline's context is done, a stage fails, or the pipeline is closed. Make one per pipeline,
 * in try-with-resources, so no stage outlives it:
 *
 * <pre>{@code
 * try (Pipeline p = Pipeline.create(ctx)) {
 *     ReceiveChannel<Integer> nums = p.generate(List.of(1, 2, 3, 4));
 *     ReceiveChannel<Integer> squares = p.map(nums, StageConfig.builder().workers(4).build(), x -> x * x);
 *     squares.forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Java stage functions run on goroutine threads ({@link dev.conduit.java.Go#executor()}:
 * virtual on JDK 21+), so they may block; they are interrupted when the pipeline is cancelled.
 * A stage function must not return null (nor a null element, for {@link #flatMap}): that fails
 * the stage with {@link NullPointerException}.
 *
 * <p>Failure: the first stage that throws cancels every other stage; {@link #await()} and
 * {@link #close()} then throw a {@link PipelineException} whose cause is that stage's exception
 * (an {@link Error} is rethrown as it is), and {@link #awaitAsync()} fails with the stage's
 * exception itself.
 *
 * <p>Starting a stage never blocks; it throws {@link IllegalStateException} once the pipeline
 * is closed or cancelled, or the context's error once it is done. Thread-safe. There is no
 * Kotlin object behind a pipeline (Kotlin code uses the {@code pipeline { }} function), so it
 * has no {@code wrap} or {@code unwrap}.
 */
public final class Pipeline implements AutoCloseable {
    private final PipelineEngine engine;

    private Pipeline(Context ctx) {
        this.engine = new PipelineEngine(ctx);
    }

    /**
     * A pipeline that stops when closed or cancelled. Never blocks.
     *
     * @return a new pipeline under {@link Context#background()}, with no stages
     */
    public static Pipeline create() {
        return create(Context.background());
    }

    /**
     * A pipeline whose stages stop when {@code ctx} is done. Never blocks.
     *
     * @param ctx the context whose end stops every stage
     * @return a new pipeline with no stages
     * @throws ContextException ({@code ctx.getErr()}) if {@code ctx} is done already
     * @throws NullPointerException if {@code ctx} is null
     */
    public static Pipeline create(Context ctx) {
        Objects.requireNonNull(ctx, "ctx");
        ContextException err = ctx.getErr();
        if (err != null) throw err;
        return new Pipeline(ctx);
    }

    /**
     * A generator: runs {@code generator} on a goroutine thread with the send side of a new
     * unbuffered channel, closed when it returns or throws (a throw fails the pipeline). Never
     * blocks.
     *
     * @param <T> the items' type
     * @param generator sends the items; the channel closes when it returns or throws
     * @return the channel the generator's items arrive on
     * @throws NullPointerException if {@code generator} is null
     */
    public <T> ReceiveChannel<T> generate(Generator<T> generator) {
        return generate(generator, 0);
    }

    /**
     * {@link #generate(Generator)} into a channel of {@code capacity}. Never blocks.
     *
     * @param <T> the items' type
     * @param generator sends the items; the channel closes when it returns or throws
     * @param capacity the channel's buffer; 0 for unbuffered
     * @return the channel the generator's items arrive on
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException if {@code generator} is null
     */
    public <T> ReceiveChannel<T> generate(Generator<T> generator, int capacity) {
        Objects.requireNonNull(generator, "generator");
        return ReceiveChannel.wrap(engine.generate(generator, capacity));
    }

    /**
     * A generator that sends {@code items} in order into an unbuffered channel and closes it.
     * Never blocks.
     *
     * @param <T> the items' type
     * @param items the items to send, in order
     * @return the channel the items arrive on, closed after the last
     * @throws NullPointerException if {@code items} is null, or is a {@link Collection} holding
     *     a null (another iterable's null element fails the pipeline with
     *     {@code NullPointerException} when reached)
     */
    public <T> ReceiveChannel<T> generate(Iterable<T> items) {
        return generate(items, 0);
    }

    /**
     * {@link #generate(Iterable)} into a channel of {@code capacity}. Never blocks.
     *
     * @param <T> the items' type
     * @param items the items to send, in order
     * @param capacity the channel's buffer; 0 for unbuffered
     * @return the channel the items arrive on, closed after the last
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException as {@link #generate(Iterable)}
     */
    public <T> ReceiveChannel<T> generate(Iterable<T> items, int capacity) {
        Objects.requireNonNull(items, "items");
        if (items instanceof Collection) requireElements((Collection<?>) items, "items");
        return ReceiveChannel.wrap(engine.generate(items, capacity));
    }

    /**
     * A channel fed from {@code publisher}: subscribes, requesting as the unbuffered channel has
     * room, and closes the channel on {@code onComplete}; an {@code onError} fails the pipeline.
     * The other direction is {@link ReceiveChannel#asPublisher()}. Never blocks.
     *
     * @param <T> the items' type
     * @param publisher the publisher to subscribe to
     * @return the channel the published items arrive on
     * @throws NullPointerException if {@code publisher} is null
     */
    public <T> ReceiveChannel<T> fromPublisher(Flow.Publisher<T> publisher) {
        return fromPublisher(publisher, 0);
    }

    /**
     * {@link #fromPublisher(Flow.Publisher)} into a channel of {@code capacity}, which bounds
     * the demand. Never blocks.
     *
     * @param <T> the items' type
     * @param publisher the publisher to subscribe to
     * @param capacity the channel's buffer, which bounds the demand; 0 for unbuffered
     * @return the channel the published items arrive on
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException if {@code publisher} is null
     */
    public <T> ReceiveChannel<T> fromPublisher(Flow.Publisher<T> publisher, int capacity) {
        Objects.requireNonNull(publisher, "publisher");
        return ReceiveChannel.wrap(engine.fromPublisher(publisher, capacity));
    }

    /**
     * A one-worker, ordered map stage: {@code map(input, StageConfig.defaults(), fn)}. Never
     * blocks.
     *
     * @param <T> the input items' type
     * @param <R> the results' type
     * @param input the items to map
     * @param fn what each item is mapped to
     * @return the channel the results arrive on, in input order
     * @throws NullPointerException if an argument is null
     */
    public <T, R> ReceiveChannel<R> map(ReceiveChannel<T> input, StageFunction<T, R> fn) {
        return map(input, StageConfig.defaults(), fn);
    }

    /**
     * A map stage: {@code config}'s workers apply {@code fn} to each item of {@code input}; the
     * results leave on the returned channel (in input order if {@code config.ordered()}), which
     * closes once {@code input} has closed and every item is through. Everything between stages
     * is bounded, so a slow stage slows its producer. Never blocks.
     *
     * @param <T> the input items' type
     * @param <R> the results' type
     * @param input the items to map
     * @param config the stage's workers, order, output buffer and scaling
     * @param fn what each item is mapped to
     * @return the channel the results arrive on
     * @throws IllegalArgumentException if {@code input} is a single-consumer channel
     *     ({@link dev.conduit.java.chan.Channel#spsc}) read by several unordered workers
     * @throws NullPointerException if an argument is null
     */
    public <T, R> ReceiveChannel<R> map(ReceiveChannel<T> input, StageConfig config, StageFunction<T, R> fn) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(fn, "fn");
        return ReceiveChannel.wrap(engine.map(input.unwrap(), config, fn));
    }

    /**
     * A one-worker, ordered filter stage: {@code filter(input, StageConfig.defaults(), predicate)}.
     * Never blocks.
     *
     * @param <T> the items' type
     * @param input the items to filter
     * @param predicate holds for the items to pass on
     * @return the channel the items passed on arrive on, in input order
     * @throws NullPointerException if an argument is null
     */
    public <T> ReceiveChannel<T> filter(ReceiveChannel<T> input, StagePredicate<T> predicate) {
        return filter(input, StageConfig.defaults(), predicate);
    }

    /**
     * A filter stage: passes on the items for which {@code predicate} holds. Workers, order and
     * backpressure as for {@link #map(ReceiveChannel, StageConfig, StageFunction)}. Never blocks.
     *
     * @param <T> the items' type
     * @param input the items to filter
     * @param config the stage's workers, order, output buffer and scaling
     * @param predicate holds for the items to pass on
     * @return the channel the items passed on arrive on
     * @throws IllegalArgumentException as {@link #map(ReceiveChannel, StageConfig, StageFunction)}
     * @throws NullPointerException if an argument is null
     */
    public <T> ReceiveChannel<T> filter(ReceiveChannel<T> input, StageConfig config, StagePredicate<T> predicate) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(predicate, "predicate");
        return ReceiveChannel.wrap(engine.filter(input.unwrap(), config, predicate));
    }

    /**
     * A one-worker, ordered flatMap stage: {@code flatMap(input, StageConfig.defaults(), fn)}.
     * Never blocks.
     *
     * @param <T> the input items' type
     * @param <R> the results' type
     * @param input the items to map
     * @param fn gives the results of each item, sent in its iteration order
     * @return the channel the results arrive on, in input order
     * @throws NullPointerException if an argument is null
     */
    public <T, R> ReceiveChannel<R> flatMap(ReceiveChannel<T> input, StageFunction<T, ? extends Iterable<R>> fn) {
        return flatMap(input, StageConfig.defaults(), fn);
    }

    /**
     * A flatMap stage: sends every item of the iterable {@code fn} returns, in its order (the
     * items of one input stay together when ordered). Workers, order and backpressure as for
     * {@link #map(ReceiveChannel, StageConfig, StageFunction)}. Never blocks.
     *
     * @param <T> the input items' type
     * @param <R> the results' type
     * @param input the items to map
     * @param config the stage's workers, order, output buffer and scaling
     * @param fn gives the results of each item, sent in its iteration order
     * @return the channel the results arrive on
     * @throws IllegalArgumentException as {@link #map(ReceiveChannel, StageConfig, StageFunction)}
     * @throws NullPointerException if an argument is null
     */
    public <T, R> ReceiveChannel<R> flatMap(ReceiveChannel<T> input, StageConfig config, StageFunction<T, ? extends Iterable<R>> fn) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(fn, "fn");
        return ReceiveChannel.wrap(engine.flatMap(input.unwrap(), config, fn));
    }

    /**
     * Go's or-done: forwards {@code input} until it closes or {@code done} closes (or yields a
     * value). Never blocks.
     *
     * @param <T> the items' type
     * @param done the channel whose closing (or first value) stops the forwarding
     * @param input the items to forward
     * @return the channel the forwarded items arrive on, closed when {@code input} or
     *     {@code done} ends
     * @throws NullPointerException if an argument is null
     */
    public <T> ReceiveChannel<T> orDone(ReceiveChannel<?> done, ReceiveChannel<T> input) {
        Objects.requireNonNull(done, "done");
        Objects.requireNonNull(input, "input");
        return ReceiveChannel.wrap(engine.orDone(done.unwrap(), input.unwrap()));
    }

    /**
     * The first {@code n} items of {@code input}, then closed. Never blocks.
     *
     * @param <T> the items' type
     * @param input the items to take from
     * @param n how many items to pass on
     * @return the channel the first {@code n} items arrive on
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws NullPointerException if {@code input} is null
     */
    public <T> ReceiveChannel<T> take(ReceiveChannel<T> input, int n) {
        Objects.requireNonNull(input, "input");
        return ReceiveChannel.wrap(engine.take(input.unwrap(), n));
    }

    /**
     * Go's tee: every item of {@code input} to both of the two returned (unbuffered) channels;
     * the slower reader sets the pace. Never blocks.
     *
     * @param <T> the items' type
     * @param input the items to copy
     * @return the two channels, each of which gets every item
     * @throws NullPointerException if {@code input} is null
     */
    public <T> List<ReceiveChannel<T>> tee(ReceiveChannel<T> input) {
        return tee(input, 0);
    }

    /**
     * {@link #tee(ReceiveChannel)} with outputs of {@code capacity}. Never blocks.
     *
     * @param <T> the items' type
     * @param input the items to copy
     * @param capacity each output's buffer; 0 for unbuffered
     * @return the two channels, each of which gets every item
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException if {@code input} is null
     */
    public <T> List<ReceiveChannel<T>> tee(ReceiveChannel<T> input, int capacity) {
        Objects.requireNonNull(input, "input");
        List<ReceiveChannel<T>> out = new ArrayList<>(2);
        for (ReceiveChan<T> c : engine.tee(input.unwrap(), capacity)) out.add(ReceiveChannel.wrap(c));
        return List.copyOf(out);
    }

    /**
     * Go's bridge: flattens a channel of channels, reading each inner channel to its end before
     * the next, so order is kept. Never blocks.
     *
     * @param <T> the items' type
     * @param channels the channels to read, one after the other
     * @return the channel every inner channel's items arrive on, in order
     * @throws NullPointerException if {@code channels} is null
     */
    public <T> ReceiveChannel<T> bridge(ReceiveChannel<ReceiveChannel<T>> channels) {
        Objects.requireNonNull(channels, "channels");
        return ReceiveChannel.wrap(engine.bridge(channels.unwrap()));
    }

    /**
     * Fan-in: every item of every one of {@code inputs} into one channel, closed once all have
     * closed. Items of one input keep their order. Never blocks.
     *
     * @param <T> the items' type
     * @param inputs the channels to merge
     * @return the channel every input's items arrive on
     * @throws NullPointerException if {@code inputs} or one of them is null
     */
    public <T> ReceiveChannel<T> merge(List<? extends ReceiveChannel<T>> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        List<ReceiveChan<T>> chans = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) chans.add(Objects.requireNonNull(inputs.get(i), "inputs[" + i + "]").unwrap());
        return ReceiveChannel.wrap(engine.merge(chans));
    }

    /**
     * Batches of up to {@code size} items of {@code input}, each sent when full or
     * {@code maxWait} after its first item. Never blocks.
     *
     * @param <T> the items' type
     * @param input the items to batch
     * @param size the most items in one batch
     * @param maxWait the longest a batch waits after its first item before it is sent
     * @return the channel the batches arrive on
     * @throws IllegalArgumentException if {@code size} &lt; 1 or {@code maxWait} is not positive
     * @throws NullPointerException if an argument is null
     */
    public <T> ReceiveChannel<List<T>> batch(ReceiveChannel<T> input, int size, Duration maxWait) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(maxWait, "maxWait");
        return ReceiveChannel.wrap(engine.batch(input.unwrap(), size, maxWait));
    }

    /**
     * Fan-out / fan-in with a failure {@code policy}: {@code workers} goroutines apply
     * {@code fn} to the items of {@code input}; the successful results arrive on
     * {@link FanOut#results()} as they are ready, unordered. A failing item is handled by the
     * policy ({@code FailFast}, {@code CollectAll}, {@code retry(...)}), and
     * {@link FanOut#await()} reports every failed input; a failure never fails the pipeline.
     * Never blocks.
     *
     * @param <T> the input items' type
     * @param <R> the results' type
     * @param input the items to process
     * @param workers how many goroutines apply {@code fn}
     * @param policy what to do when {@code fn} fails on an item
     * @param fn what each item is mapped to
     * @return the fan-out, with its results channel and failure report
     * @throws IllegalArgumentException if {@code workers} &lt; 1
     * @throws NullPointerException if an argument is null
     */
    public <T, R> FanOut<T, R> fanOut(ReceiveChannel<T> input, int workers, FailurePolicy policy, StageFunction<T, R> fn) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(fn, "fn");
        return fanOut(input, StageConfig.builder().workers(workers).ordered(false).build(), policy, fn);
    }

    /**
     * {@link #fanOut(ReceiveChannel, int, FailurePolicy, StageFunction)} with the workers, order
     * and output buffer of {@code config}. Never blocks.
     *
     * @param <T> the input items' type
     * @param <R> the results' type
     * @param input the items to process
     * @param config the workers, order and output buffer; no scaling policy
     * @param policy what to do when {@code fn} fails on an item
     * @param fn what each item is mapped to
     * @return the fan-out, with its results channel and failure report
     * @throws IllegalArgumentException if {@code config} has a scaling policy (a fan-out has a
     *     fixed worker count)
     * @throws NullPointerException if an argument is null
     */
    public <T, R> FanOut<T, R> fanOut(ReceiveChannel<T> input, StageConfig config, FailurePolicy policy, StageFunction<T, R> fn) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(fn, "fn");
        return FanOut.wrap(engine.fanOut(input.unwrap(), config, policy, fn));
    }

    /**
     * Content-based multiplexer: each item of {@code input} to the first of {@code routes} (in
     * the map's iteration order: use a {@code LinkedHashMap}) whose predicate holds, else to the
     * dead letters (also when a predicate throws). Never blocks.
     *
     * @param <T> the items' type
     * @param input the items to route
     * @param routes each output's name and the predicate that sends an item to it, tried in
     *     iteration order
     * @return the router, with one output per route and the dead letters
     * @throws IllegalArgumentException if {@code routes} is empty
     * @throws NullPointerException if an argument, a route name or a predicate is null
     */
    public <T> Router<String, T> multiplex(ReceiveChannel<T> input, Map<String, ? extends Predicate<? super T>> routes) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(routes, "routes");
        if (routes.isEmpty()) throw new IllegalArgumentException("routes must not be empty");
        routes.forEach((name, p) -> {
            Objects.requireNonNull(name, "routes key");
            Objects.requireNonNull(p, "routes[" + name + "]");
        });
        return Router.wrap(engine.multiplex(input.unwrap(), routes));
    }

    /**
     * Multiplexer by key: each item to the output of {@code key.apply(item)} among
     * {@code keys}, else (or if {@code key} throws) to the dead letters. Never blocks.
     *
     * @param <T> the items' type
     * @param <K> the keys' type
     * @param input the items to route
     * @param keys the keys that have an output
     * @param key the key of an item, which picks its output
     * @return the router, with one output per key and the dead letters
     * @throws IllegalArgumentException if {@code keys} is empty
     * @throws NullPointerException if an argument or one of {@code keys} is null
     */
    public <T, K> Router<K, T> multiplexByKey(ReceiveChannel<T> input, Collection<K> keys, Function<? super T, ? extends K> key) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(key, "key");
        requireElements(keys, "keys");
        return Router.wrap(engine.multiplexByKey(input.unwrap(), keys, key));
    }

    /**
     * One-to-many: {@code consumers} goroutines share {@code input}; each item is handled by
     * exactly one of them (whichever is free). A throw fails the pipeline. Never blocks.
     *
     * @param <T> the items' type
     * @param input the items to handle
     * @param consumers how many goroutines share {@code input}
     * @param consumer what handles each item
     * @throws IllegalArgumentException if {@code consumers} &lt; 1, or {@code input} is a
     *     single-consumer channel and {@code consumers} &gt; 1
     * @throws NullPointerException if an argument is null
     */
    public <T> void consume(ReceiveChannel<T> input, int consumers, ItemConsumer<T> consumer) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(consumer, "consumer");
        engine.consume(input.unwrap(), consumers, consumer);
    }

    /**
     * A work-stealing pool of {@code workers} whose queues hold at most 1024 items together,
     * fed by {@link WorkStealingPool#submit}. Its workers are stages of this pipeline. Never
     * blocks.
     *
     * @param <T> the items' type
     * @param workers how many workers the pool has
     * @param handler what a worker does with each item
     * @return the pool, to submit items to
     * @throws IllegalArgumentException if {@code workers} is not in 1..65,536
     * @throws NullPointerException if {@code handler} is null
     */
    public <T> WorkStealingPool<T> workStealing(int workers, ItemHandler<T> handler) {
        return workStealing(workers, 1024, handler);
    }

    /**
     * {@link #workStealing(int, ItemHandler)} whose queues hold at most {@code capacity} items
     * together. Never blocks.
     *
     * @param <T> the items' type
     * @param workers how many workers the pool has
     * @param capacity the most items the queues hold together
     * @param handler what a worker does with each item
     * @return the pool, to submit items to
     * @throws IllegalArgumentException if {@code workers} is not in 1..65,536 or
     *     {@code capacity} &lt; 1
     * @throws NullPointerException if {@code handler} is null
     */
    public <T> WorkStealingPool<T> workStealing(int workers, int capacity, ItemHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        return WorkStealingPool.wrap(engine.workStealing(workers, capacity, handler));
    }

    /**
     * Blocks until every stage started on this pipeline has ended.
     *
     * @throws PipelineException if a stage failed, with its exception as the cause (an
     *     {@link Error} is rethrown as it is)
     * @throws InterruptedException if interrupted first (the pipeline keeps running)
     */
    public void await() throws InterruptedException {
        engine.join();
        rethrowFailure();
    }

    /**
     * Blocks until every stage has ended or {@code timeout} passes.
     *
     * @param timeout the most time to wait
     * @throws TimeoutException if stages are still running after {@code timeout}
     * @throws PipelineException as {@link #await()}
     * @throws InterruptedException if interrupted first (the pipeline keeps running)
     * @throws NullPointerException if {@code timeout} is null
     */
    public void await(Duration timeout) throws InterruptedException, TimeoutException {
        engine.join(Objects.requireNonNull(timeout, "timeout"));
        rethrowFailure();
    }

    /**
     * Completes when every stage started on this pipeline has ended: normally, or exceptionally
     * with the first stage failure itself (not wrapped). Cancelling the future stops waiting,
     * not the pipeline. Never blocks.
     *
     * @return a future that completes when every stage has ended, or exceptionally with the first
     *     stage failure
     */
    public CompletableFuture<@Nullable Void> awaitAsync() {
        return engine.joinAsync();
    }

    /** Cancels every stage still running, without waiting. Never blocks. */
    public void cancel() {
        engine.cancel();
    }

    /**
     * Cancels every stage still running and blocks until they have all stopped: no stage
     * outlives the pipeline. If interrupted meanwhile it goes on waiting (the stages were
     * interrupted already) and sets the interrupt status again before returning, as
     * {@code ExecutorService.close()} does. A stage function that ignores interrupts keeps this
     * waiting.
     *
     * @throws PipelineException as {@link #await()}
     */
    @Override
    public void close() {
        engine.close();
        rethrowFailure();
    }

    /**
     * Whether any stage is still running. Never blocks.
     *
     * @return true if a stage is still running
     */
    public boolean isRunning() {
        return engine.isRunning();
    }

    private void rethrowFailure() {
        Throwable failure = engine.failure();
        if (failure == null) return;
        if (failure instanceof Error) throw (Error) failure;
        throw new PipelineException(failure);
    }

    /** Refuses a null element of a Java collection by name, at the call. */
    private static void requireElements(Collection<?> elements, String name) {
        int i = 0;
        for (Object e : elements) {
            if (e == null) throw new NullPointerException(name + "[" + i + "]");
            i++;
        }
    }
}
