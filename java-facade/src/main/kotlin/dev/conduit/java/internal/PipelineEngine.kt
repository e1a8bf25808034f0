package dev.conduit.java.internal

import dev.conduit.Stoppable
import dev.conduit.chan.ReceiveChan
import dev.conduit.context.Context
import dev.conduit.java.chan.ReceiveChannel
import dev.conduit.java.chan.SendChannel
import dev.conduit.java.pipeline.Generator
import dev.conduit.java.pipeline.ItemConsumer
import dev.conduit.java.pipeline.ItemHandler
import dev.conduit.java.pipeline.StageConfig
import dev.conduit.java.pipeline.StageFunction
import dev.conduit.java.pipeline.StagePredicate
import dev.conduit.pipeline.FailurePolicy
import dev.conduit.pipeline.FanOut
import dev.conduit.pipeline.Router
import dev.conduit.pipeline.WorkStealingPool
import dev.conduit.pipeline.batch
import dev.conduit.pipeline.bridge
import dev.conduit.pipeline.consume
import dev.conduit.pipeline.fanOut
import dev.conduit.pipeline.filter
import dev.conduit.pipeline.flatMap
import dev.conduit.pipeline.generate
import dev.conduit.pipeline.map
import dev.conduit.pipeline.merge
import dev.conduit.pipeline.multiplex
import dev.conduit.pipeline.multiplexByKey
import dev.conduit.pipeline.orDone
import dev.conduit.pipeline.take
import dev.conduit.pipeline.tee
import dev.conduit.pipeline.toChan
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.jdk9.asFlow
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Flow
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicReference
import kotlin.time.toKotlinDuration

/**
 * The coroutine side of the Java `Pipeline`: one job whose children are the stages, the first
 * stage failure, and the stage starters, each wrapping the Java function so that it runs on a
 * goroutine thread ([blocking]). The Java class checks the arguments and wraps what this
 * returns; this class takes Kotlin channels and returns them.
 */
internal class PipelineEngine(private val ctx: Context) {
    private val failure = AtomicReference<Throwable?>()
    private val job = Job()
    private val scope = CoroutineScope(
        job + Dispatchers.Default + CoroutineExceptionHandler { _, e -> failure.compareAndSet(null, e) },
    )
    private val onCtxDone: Stoppable = ctx.afterFunc { job.cancel() }

    /**
     * The scope stages start in, after checking that the pipeline still runs: the context's
     * error once it is done (set at once, while the cancellation of [job] follows it), or
     * [IllegalStateException] once the pipeline is closed or cancelled.
     */
    private fun live(): CoroutineScope {
        ctx.err?.let { throw it }
        check(job.isActive) { "the pipeline is closed or cancelled" }
        return scope
    }

    fun <T : Any> generate(generator: Generator<T>, capacity: Int): ReceiveChan<T> =
        live().generate(capacity) { callOnGoThread { generator.generate(SendChannel.wrap(this)) } }

    fun <T : Any> generate(items: Iterable<T>, capacity: Int): ReceiveChan<T> =
        live().generate(capacity) {
            // A Java iterable may hold nulls; a null element fails the pipeline by name.
            items.forEachIndexed { i, item -> send(nonNullElement(item, "items", i)) }
        }

    fun <T : Any> fromPublisher(publisher: Flow.Publisher<T>, capacity: Int): ReceiveChan<T> =
        publisher.asFlow().toChan(live(), capacity)

    fun <T : Any, R : Any> map(input: ReceiveChan<T>, config: StageConfig, fn: StageFunction<T, R>): ReceiveChan<R> =
        live().map(input, config.workers(), config.ordered(), config.capacity(), config.scaling()) { item ->
            callOnGoThread { nonNullResult(fn.apply(item), item) }
        }

    fun <T : Any> filter(input: ReceiveChan<T>, config: StageConfig, predicate: StagePredicate<T>): ReceiveChan<T> =
        live().filter(input, config.workers(), config.ordered(), config.capacity(), config.scaling()) { item ->
            callOnGoThread { predicate.test(item) }
        }

    fun <T : Any, R : Any> flatMap(input: ReceiveChan<T>, config: StageConfig, fn: StageFunction<T, out Iterable<R>>): ReceiveChan<R> =
        live().flatMap(input, config.workers(), config.ordered(), config.capacity(), config.scaling()) { item ->
            val items = callOnGoThread { nonNullResult(fn.apply(item), item) }
            items.asSequence().mapIndexed { i, r -> nonNullElement(r, "fn result", i) }.asIterable()
        }

    fun <T : Any> orDone(done: ReceiveChan<*>, input: ReceiveChan<T>): ReceiveChan<T> = live().orDone(done, input)

    fun <T : Any> take(input: ReceiveChan<T>, n: Int): ReceiveChan<T> = live().take(input, n)

    fun <T : Any> tee(input: ReceiveChan<T>, capacity: Int): List<ReceiveChan<T>> = live().tee(input, capacity).toList()

    fun <T : Any> bridge(channels: ReceiveChan<ReceiveChannel<T>>): ReceiveChan<T> {
        val s = live()
        return s.bridge(s.map(channels, 1, true, 0, null) { it.unwrap() })
    }

    fun <T : Any> merge(inputs: List<ReceiveChan<T>>): ReceiveChan<T> = live().merge(inputs)

    fun <T : Any> batch(input: ReceiveChan<T>, size: Int, maxWait: Duration): ReceiveChan<List<T>> =
        live().batch(input, size, maxWait.toKotlinDuration())

    fun <T : Any, R : Any> fanOut(input: ReceiveChan<T>, config: StageConfig, policy: FailurePolicy, fn: StageFunction<T, R>): FanOut<T, R> {
        require(config.scaling() == null) { "config.scaling must be null (a fan-out has a fixed worker count), but was ${config.scaling()}" }
        return live().fanOut(input, config.workers(), policy, config.ordered(), config.capacity()) { item ->
            callOnGoThread { nonNullResult(fn.apply(item), item) }
        }
    }

    fun <T : Any> multiplex(input: ReceiveChan<T>, routes: Map<String, java.util.function.Predicate<in T>>): Router<String, T> =
        live().multiplex(input) { routes.forEach { (name, p) -> route(name) { p.test(it) } } }

    fun <T : Any, K : Any> multiplexByKey(input: ReceiveChan<T>, keys: Collection<K>, key: java.util.function.Function<in T, out K>): Router<K, T> =
        live().multiplexByKey(input, keys) { key.apply(it) }

    fun <T : Any> consume(input: ReceiveChan<T>, consumers: Int, consumer: ItemConsumer<T>) {
        live().consume(input, consumers) { item -> callOnGoThread { consumer.accept(item) } }
    }

    fun <T : Any> workStealing(workers: Int, capacity: Int, handler: ItemHandler<T>): WorkStealingPool<T> =
        WorkStealingPool(live(), workers, capacity) { worker, item -> callOnGoThread { handler.handle(worker, item) } }

    /** The first stage failure, or null. */
    fun failure(): Throwable? = failure.get()

    /**
     * Blocks until every stage has ended.
     *
     * @throws InterruptedException if interrupted first (the stages keep running).
     */
    @Throws(InterruptedException::class)
    fun join() {
        Bridge.callBlocking { joinStages() }
    }

    /**
     * Blocks until every stage has ended or [timeout] passes.
     *
     * @throws TimeoutException if stages still run after [timeout].
     * @throws InterruptedException if interrupted first (the stages keep running).
     */
    @Throws(InterruptedException::class, TimeoutException::class)
    fun join(timeout: Duration) {
        val all = Bridge.call { joinStages() }
        try {
            all.get(nanosOf(timeout), TimeUnit.NANOSECONDS)
        } catch (e: TimeoutException) {
            all.cancel(true)
            throw TimeoutException("pipeline still running after $timeout")
        } catch (e: InterruptedException) {
            all.cancel(true)
            throw e
        }
    }

    /** Completes when every stage has ended: normally, or with the first stage failure. Never blocks. */
    fun joinAsync(): CompletableFuture<Void?> =
        Bridge.call {
            joinStages()
            failure.get()?.let { throw it }
            null
        }

    private suspend fun joinStages() {
        job.children.forEach { it.join() }
    }

    /** Cancels every stage still running, without waiting. Never blocks. */
    fun cancel() {
        job.cancel()
    }

    /**
     * Cancels every stage and blocks until they have all stopped, going on waiting if
     * interrupted (the interrupt status is set again on return).
     */
    fun close() {
        onCtxDone.stop()
        job.cancel()
        var interrupted = false
        while (true) {
            try {
                Bridge.callBlocking { job.join() }
                break
            } catch (e: InterruptedException) {
                interrupted = true
            }
        }
        if (interrupted) Thread.currentThread().interrupt()
    }

    /** Whether any stage is still running. Never blocks. */
    fun isRunning(): Boolean = job.children.any { it.isActive }
}

/** A result of a Java stage function: null is refused by name, failing the stage. */
private fun <R : Any> nonNullResult(result: R?, item: Any): R = result ?: throw NullPointerException("fn returned null for $item")

/** An element from Java, which may be null although its type says otherwise: refused by name. */
internal fun <T : Any> nonNullElement(element: T?, what: String, index: Int): T =
    element ?: throw NullPointerException("$what[$index] is null")

