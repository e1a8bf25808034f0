package dev.conduit.java.pipeline

import dev.conduit.Stoppable
import dev.conduit.context.Context
import dev.conduit.java.chan.Chans
import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.java.internal.Bridge
import dev.conduit.java.internal.GoThreads
import dev.conduit.pipeline.FailurePolicy
import dev.conduit.pipeline.batch
import dev.conduit.pipeline.bridge
import dev.conduit.pipeline.consume
import dev.conduit.pipeline.fanOut
import dev.conduit.pipeline.filter
import dev.conduit.pipeline.flatMap
import dev.conduit.pipeline.generate
import dev.conduit.pipeline.generateFrom
import dev.conduit.pipeline.map
import dev.conduit.pipeline.merge
import dev.conduit.pipeline.multiplex
import dev.conduit.pipeline.multiplexByKey
import dev.conduit.pipeline.orDone
import dev.conduit.pipeline.take
import dev.conduit.pipeline.tee
import dev.conduit.pipeline.toChan
import kotlinx.coroutines.jdk9.asFlow
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.runInterruptible
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicReference
import kotlin.time.toKotlinDuration

/**
 * A running pipeline for Java: the stages started on it run until their input closes, the
 * pipeline's context is done, a stage fails, or the pipeline is closed. Open one per pipeline,
 * in try-with-resources, so no stage outlives it:
 *
 * ```java
 * try (Pipeline p = Pipeline.open(ctx)) {
 *     ReceiveChannel<Integer> nums = p.generate(List.of(1, 2, 3, 4));
 *     ReceiveChannel<Integer> squares = p.map(nums, StageOptions.workers(4), x -> x * x);
 *     squares.forEach(System.out::println);
 * }
 * ```
 *
 * Java stage functions run on goroutine threads ([dev.conduit.java.Go.executor]: virtual on JDK
 * 21+), so they may block; they are interrupted when the pipeline is cancelled. The first stage
 * that throws cancels every other stage; [await] and [close] then throw its exception.
 *
 * Starting a stage never blocks. Thread-safe.
 */
public class Pipeline private constructor(ctx: Context) : AutoCloseable {
    private val failure = AtomicReference<Throwable?>()
    private val job = Job()
    private val scope = CoroutineScope(
        job + Dispatchers.Default + CoroutineExceptionHandler { _, e -> failure.compareAndSet(null, e) },
    )
    private val onCtxDone: Stoppable = ctx.afterFunc { job.cancel() }

    /** A generator: runs [generator] with the send side of a new channel, closed when it ends. */
    @JvmOverloads
    public fun <T : Any> generate(generator: Generator<T>, capacity: Int = 0): ReceiveChannel<T> =
        checked("generator", generator) {
            Chans.receiving(scope.generate(capacity) { blocking { generator.generate(Chans.sending(this)) } })
        }

    /** A generator that sends [items] in order and closes. */
    @JvmOverloads
    public fun <T : Any> generate(items: Iterable<T>, capacity: Int = 0): ReceiveChannel<T> =
        checked("items", items) {
            Chans.receiving(scope.generateFrom(items, capacity))
        }

    /**
     * A channel fed from [publisher]: subscribes, requesting as the channel (buffer [capacity])
     * has room, and closes the channel on `onComplete`. An `onError` fails the pipeline.
     */
    @JvmOverloads
    public fun <T : Any> fromPublisher(publisher: java.util.concurrent.Flow.Publisher<T>, capacity: Int = 0): ReceiveChannel<T> =
        checked("publisher", publisher) {
            Chans.receiving(publisher.asFlow().toChan(scope, capacity))
        }

    /** A map stage (see `dev.conduit.pipeline.map`): workers, order, capacity, scaling from [options]. */
    public fun <T : Any, R : Any> map(input: ReceiveChannel<T>, options: StageOptions, fn: StageFunction<T, R>): ReceiveChannel<R> =
        checked("input", input, "options", options, "fn", fn) {
            Chans.receiving(
                scope.map(input.asChan(), options.workers, options.ordered, options.capacity, options.scaling) {
                    blocking { fn.apply(it) }
                },
            )
        }

    /** A one-worker, ordered map stage. */
    public fun <T : Any, R : Any> map(input: ReceiveChannel<T>, fn: StageFunction<T, R>): ReceiveChannel<R> =
        map(input, StageOptions.defaults(), fn)

    /** A filter stage: passes the items for which [predicate] holds. */
    public fun <T : Any> filter(input: ReceiveChannel<T>, options: StageOptions, predicate: StagePredicate<T>): ReceiveChannel<T> =
        checked("input", input, "options", options, "predicate", predicate) {
            Chans.receiving(
                scope.filter(input.asChan(), options.workers, options.ordered, options.capacity, options.scaling) {
                    blocking { predicate.test(it) }
                },
            )
        }

    /** A flatMap stage: sends every item of the iterable [fn] returns. */
    public fun <T : Any, R : Any> flatMap(
        input: ReceiveChannel<T>,
        options: StageOptions,
        fn: StageFunction<T, out Iterable<R>>,
    ): ReceiveChannel<R> =
        checked("input", input, "options", options, "fn", fn) {
            Chans.receiving(
                scope.flatMap(input.asChan(), options.workers, options.ordered, options.capacity, options.scaling) {
                    blocking { fn.apply(it) }
                },
            )
        }

    /** Forwards [input] until it closes or [done] closes. */
    public fun <T : Any> orDone(done: ReceiveChannel<*>, input: ReceiveChannel<T>): ReceiveChannel<T> =
        checked("done", done, "input", input) {
            Chans.receiving(scope.orDone(done.asChan(), input.asChan()))
        }

    /** The first [n] items of [input]. */
    public fun <T : Any> take(input: ReceiveChannel<T>, n: Int): ReceiveChannel<T> =
        checked("input", input) {
            Chans.receiving(scope.take(input.asChan(), n))
        }

    /** Every item of [input] to both of the two returned channels. */
    @JvmOverloads
    public fun <T : Any> tee(input: ReceiveChannel<T>, capacity: Int = 0): List<ReceiveChannel<T>> =
        checked("input", input) {
            scope.tee(input.asChan(), capacity).toList().map { Chans.receiving(it) }
        }

    /** Flattens a channel of channels, in order. */
    public fun <T : Any> bridge(channels: ReceiveChannel<ReceiveChannel<T>>): ReceiveChannel<T> {
        requireArgs("channels", channels)
        val inner = scope.map(channels.asChan(), 1, true, 0, null) { it.asChan() }
        return Chans.receiving(scope.bridge(inner))
    }

    /** Fan-in: every item of every input into one channel. */
    public fun <T : Any> merge(inputs: List<ReceiveChannel<T>>): ReceiveChannel<T> =
        checked("inputs", inputs) {
            Chans.receiving(scope.merge(inputs.map { it.asChan() }))
        }

    /** Batches of up to [size] items, sent when full or [maxWait] after their first item. */
    public fun <T : Any> batch(input: ReceiveChannel<T>, size: Int, maxWait: Duration): ReceiveChannel<List<T>> =
        checked("input", input, "maxWait", maxWait) {
            Chans.receiving(scope.batch(input.asChan(), size, maxWait.toKotlinDuration()))
        }

    /** Fan-out / fan-in with a failure [policy]: see `dev.conduit.pipeline.fanOut`. */
    @JvmOverloads
    public fun <T : Any, R : Any> fanOut(
        input: ReceiveChannel<T>,
        workers: Int,
        policy: FailurePolicy,
        fn: StageFunction<T, R>,
        ordered: Boolean = false,
    ): FanOutHandle<T, R> =
        checked("input", input, "policy", policy, "fn", fn) {
            FanOutHandle(scope.fanOut(input.asChan(), workers, policy, ordered) { blocking { fn.apply(it) } })
        }

    /**
     * Content-based multiplexer: each item to the first of [routes] (in the map's iteration
     * order: use a `LinkedHashMap`) whose predicate holds, else to the dead letters.
     */
    public fun <T : Any> multiplex(input: ReceiveChannel<T>, routes: Map<String, java.util.function.Predicate<T>>): Routes<String, T> =
        checked("input", input, "routes", routes) {
            Routes(scope.multiplex(input.asChan()) { routes.forEach { (name, p) -> route(name) { p.test(it) } } })
        }

    /** Multiplexer by key: each item to the output of `key(item)` among [keys], else dead letters. */
    public fun <T : Any, K : Any> multiplexByKey(
        input: ReceiveChannel<T>,
        keys: Collection<K>,
        key: java.util.function.Function<T, K>,
    ): Routes<K, T> =
        checked("input", input, "keys", keys, "key", key) {
            Routes(scope.multiplexByKey(input.asChan(), keys) { key.apply(it) })
        }

    /** One-to-many: [consumers] goroutines share [input]; each item is handled by exactly one. */
    public fun <T : Any> consume(input: ReceiveChannel<T>, consumers: Int, consumer: ItemConsumer<T>) {
        requireArgs("input", input, "consumer", consumer)
        scope.consume(input.asChan(), consumers) { item -> blocking { consumer.accept(item) } }
    }

    /** A work-stealing pool of [workers], fed by [WorkStealing.submit]. */
    @JvmOverloads
    public fun <T : Any> workStealing(workers: Int, handler: ItemHandler<T>, capacity: Int = 1024): WorkStealing<T> =
        checked("handler", handler) {
            WorkStealing(scope, workers, capacity, handler)
        }

    /**
     * Blocks until every stage started on this pipeline has ended.
     *
     * @throws Exception the first stage failure, if one failed
     * @throws InterruptedException if interrupted first (the pipeline keeps running)
     */
    @Throws(Exception::class)
    public fun await() {
        Bridge.callBlocking {
            job.children.forEach { it.join() }
        }
        failure.get()?.let { throw it }
    }

    /**
     * Completes when every stage started on this pipeline has ended: normally, or with the
     * first stage failure. Cancelling the future stops waiting, not the pipeline. Never blocks.
     */
    public fun awaitAsync(): CompletableFuture<Void?> =
        Bridge.call {
            job.children.forEach { it.join() }
            failure.get()?.let { throw it }
            null
        }

    /**
     * Blocks until every stage has ended or [timeout] passes.
     *
     * @throws TimeoutException if stages are still running after [timeout]
     * @throws Exception the first stage failure, if one failed
     */
    @Throws(Exception::class)
    public fun await(timeout: Duration) {
        val all = Bridge.call { job.children.forEach { it.join() } }
        try {
            all.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
        } catch (e: TimeoutException) {
            all.cancel(true)
            throw TimeoutException("pipeline still running after $timeout")
        }
        failure.get()?.let { throw it }
    }

    /** Cancels every stage still running, without waiting. Never blocks. */
    public fun cancel() {
        job.cancel()
    }

    /**
     * Cancels every stage still running and blocks until they have all stopped: no stage
     * outlives the pipeline.
     *
     * @throws Exception the first stage failure, if one failed
     */
    @Throws(Exception::class)
    override fun close() {
        onCtxDone.stop()
        Bridge.callBlocking { job.cancelAndJoin() }
        failure.get()?.let { throw it }
    }

    /** Whether any stage is still running. Never blocks. */
    public val isRunning: Boolean get() = job.children.any { it.isActive }

    public companion object {
        /** Opens a pipeline whose stages stop when [ctx] is done. Never blocks. */
        @JvmStatic
        @JvmOverloads
        public fun open(ctx: Context = Context.background()): Pipeline = Pipeline(ctx)
    }
}

/** Java passes nulls Kotlin's types cannot see: refuses them by name (`name, value` pairs), then runs [body]. */
private inline fun <R> checked(vararg namesAndValues: Any?, body: () -> R): R {
    requireArgs(*namesAndValues)
    return body()
}

/** Refuses a null among `name, value` pairs by name. */
private fun requireArgs(vararg namesAndValues: Any?) {
    for (i in namesAndValues.indices step 2) {
        if (namesAndValues[i + 1] == null) throw NullPointerException("${namesAndValues[i]} must not be null")
    }
}

/** Runs Java code that may block on a goroutine thread, interrupted on cancellation. */
internal suspend fun <R> blocking(block: () -> R): R = runInterruptible(GoThreads.dispatcher) { block() }
