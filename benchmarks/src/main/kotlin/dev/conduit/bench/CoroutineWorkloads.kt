package dev.conduit.bench

import dev.conduit.chan.Chan
import dev.conduit.chan.select
import dev.conduit.chan.SpscChan
import dev.conduit.pipeline.generate
import dev.conduit.pipeline.map
import dev.conduit.pipeline.pipeline
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.produce
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.flatMapMerge
import kotlinx.coroutines.flow.map as flowMap
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/**
 * The coroutine side of the channel benchmarks: the same workload on a Conduit `Chan` and on a
 * raw kotlinx `Channel`, each between two coroutines on [Dispatchers.Default]. The two bodies
 * are deliberately written out twice, so that neither pays for an abstraction the other lacks.
 */
public object CoroutineWorkloads {
    /** Moves `0 until items` from a producer to a consumer coroutine over a Conduit `Chan`. */
    @JvmStatic
    public fun conduitTransfer(capacity: Int, items: Int): Long = transfer(Chan(capacity), items)

    /** The same transfer over a single-producer, single-consumer ring `Chan` ([SpscChan()][SpscChan]). */
    @JvmStatic
    public fun conduitSpscTransfer(capacity: Int, items: Int): Long = transfer(SpscChan(capacity), items)

    private fun transfer(ch: dev.conduit.chan.Chan<Int>, items: Int): Long = runBlocking(Dispatchers.Default) {
        launch {
            for (i in 0 until items) ch.send(i)
            ch.close()
        }
        var sum = 0L
        for (v in ch) sum += v
        sum
    }

    /** The same transfer over a raw kotlinx `Channel`. */
    @JvmStatic
    public fun kotlinxTransfer(capacity: Int, items: Int): Long = runBlocking(Dispatchers.Default) {
        val ch = Channel<Int>(capacity)
        launch {
            for (i in 0 until items) ch.send(i)
            ch.close()
        }
        var sum = 0L
        for (v in ch) sum += v
        sum
    }

    /** [rounds] round trips over two unbuffered Conduit channels between two coroutines. */
    @JvmStatic
    public fun conduitPingPong(rounds: Int): Int = runBlocking(Dispatchers.Default) {
        val ping = Chan<Int>()
        val pong = Chan<Int>()
        launch { for (v in ping) pong.send(v + 1) }
        var ball = 0
        repeat(rounds) {
            ping.send(ball)
            ball = pong.receive()
        }
        ping.close()
        ball
    }

    /** [workers] coroutines each increment a shared counter [perWorker] times under Conduit's Mutex. */
    @JvmStatic
    public fun conduitMutexCounter(workers: Int, perWorker: Int): Long = runBlocking(Dispatchers.Default) {
        val mu = dev.conduit.sync.Mutex()
        var counter = 0L
        coroutineScope {
            repeat(workers) { launch { repeat(perWorker) { mu.withLock { counter++ } } } }
        }
        counter
    }

    /** The same under kotlinx's Mutex. */
    @JvmStatic
    public fun kotlinxMutexCounter(workers: Int, perWorker: Int): Long = runBlocking(Dispatchers.Default) {
        val mu = kotlinx.coroutines.sync.Mutex()
        var counter = 0L
        coroutineScope {
            repeat(workers) { launch { repeat(perWorker) { mu.withLock { counter++ } } } }
        }
        counter
    }

    /**
     * [workers] coroutines each take Conduit's RWMutex [perWorker] times: a write lock every
     * [writeEvery]-th time (incrementing a counter), a read lock otherwise (reading it).
     */
    @JvmStatic
    public fun conduitRWMutexMix(workers: Int, perWorker: Int, writeEvery: Int): Long = runBlocking(Dispatchers.Default) {
        val rw = dev.conduit.sync.RWMutex()
        var counter = 0L
        var seen = 0L
        coroutineScope {
            repeat(workers) {
                launch {
                    var local = 0L
                    for (i in 0 until perWorker) {
                        if (i % writeEvery == 0) rw.withLock { counter++ } else rw.withRLock { local += counter }
                    }
                    synchronized(rw) { seen += local }
                }
            }
        }
        counter + seen
    }

    /** [parties] coroutines pass Conduit's cyclic Barrier [rounds] times. */
    @JvmStatic
    public fun conduitBarrierRounds(parties: Int, rounds: Int): Int = runBlocking(Dispatchers.Default) {
        val barrier = dev.conduit.sync.Barrier(parties)
        coroutineScope { repeat(parties) { launch { repeat(rounds) { barrier.await() } } } }
        rounds
    }

    /**
     * Pushes `0 until items` through a Conduit map stage of [workers] coroutines (ordered or
     * not), applying [work] to each, and sums the results.
     */
    @JvmStatic
    public fun conduitMapStage(items: Int, workers: Int, ordered: Boolean, work: java.util.function.LongUnaryOperator): Long =
        runBlocking(Dispatchers.Default) {
            pipeline {
                val source = generate(capacity = 64) { for (i in 0 until items) send(i.toLong()) }
                val mapped = map(source, workers, ordered, capacity = 64) { work.applyAsLong(it) }
                var sum = 0L
                for (v in mapped) sum += v
                sum
            }
        }

    /**
     * The same through the kotlinx fan-out idiom (the coroutines guide's "Fan-out"): a `produce`
     * channel of 64 read by [workers] coroutines, each sending its results to one channel of 64
     * that closes when all of them are done. Unordered, as Conduit's unordered stage.
     */
    @OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
    @JvmStatic
    public fun kotlinxFanOut(items: Int, workers: Int, work: java.util.function.LongUnaryOperator): Long =
        runBlocking(Dispatchers.Default) {
            val source = produce(capacity = 64) { for (i in 0 until items) send(i.toLong()) }
            val results = Channel<Long>(64)
            val pool = List(workers) { launch { for (x in source) results.send(work.applyAsLong(x)) } }
            launch {
                pool.joinAll()
                results.close()
            }
            var sum = 0L
            for (v in results) sum += v
            sum
        }

    /**
     * The same in input order, the kotlinx way (kotlinx has no order-preserving parallel map):
     * each item of a Flow becomes an `async`, a buffer of [workers] bounds how many are in flight, and
     * the results are awaited in order; 64-item buffers before and after, as the others.
     */
    @JvmStatic
    public fun kotlinxOrderedAsync(items: Int, workers: Int, work: java.util.function.LongUnaryOperator): Long =
        runBlocking(Dispatchers.Default) {
            var sum = 0L
            kotlinx.coroutines.flow.flow { for (i in 0 until items) emit(i.toLong()) }
                .buffer(64)
                .flowMap { x -> async { work.applyAsLong(x) } }
                .buffer(workers)
                .flowMap { it.await() }
                .buffer(64)
                .collect { sum += it }
            sum
        }

    /** The same through kotlinx Flow: `flatMapMerge(workers)` (unordered) with 64-item buffers. */
    @OptIn(kotlinx.coroutines.FlowPreview::class)
    @JvmStatic
    public fun kotlinxFlowMerge(items: Int, workers: Int, work: java.util.function.LongUnaryOperator): Long =
        runBlocking(Dispatchers.Default) {
            var sum = 0L
            kotlinx.coroutines.flow.flow { for (i in 0 until items) emit(i.toLong()) }
                .buffer(64)
                .flatMapMerge(workers) { x -> kotlinx.coroutines.flow.flow { emit(work.applyAsLong(x)) } }
                .buffer(64)
                .collect { sum += it }
            sum
        }

    /**
     * Moves [items] copies of one shared object from a producer coroutine to a consumer coroutine
     * through a [dev.conduit.chan.BatchChannel] of [batchSize] (two full batches may wait),
     * recycling each batch; counts what arrives. The item is shared so that `-prof gc` shows the
     * channel's own allocation, not the items'.
     */
    @JvmStatic
    public fun conduitBatchTransfer(items: Int, batchSize: Int): Long = runBlocking(Dispatchers.Default) {
        val flusher = kotlinx.coroutines.Job()
        val ch = dev.conduit.chan.BatchChannel<Any>(
            kotlinx.coroutines.CoroutineScope(coroutineContext + flusher), batchSize, kotlin.time.Duration.parse("1ms"), 2,
        )
        launch {
            repeat(items) { ch.send(SHARED_ITEM) }
            ch.close()
        }
        var count = 0L
        while (true) {
            val r = ch.receiveOk()
            if (!r.ok) break
            count += r.value.size
            r.value.recycle()
        }
        flusher.cancel()
        count
    }

    /** The same shared-object transfer over a Conduit `Chan` of [capacity], item by item. */
    @JvmStatic
    public fun conduitSharedItemTransfer(capacity: Int, items: Int): Long = runBlocking(Dispatchers.Default) {
        val ch = Chan<Any>(capacity)
        launch {
            repeat(items) { ch.send(SHARED_ITEM) }
            ch.close()
        }
        var count = 0L
        for (v in ch) count++
        count
    }

    private val SHARED_ITEM = Any()

    /**
     * [items] values sent round-robin on [cases] buffered Conduit channels by one coroutine and
     * taken by another that selects over all of them, one select per value.
     */
    @JvmStatic
    public fun conduitSelectLoop(cases: Int, items: Int): Long = runBlocking(Dispatchers.Default) {
        val chs = List(cases) { Chan<Int>(16) }
        launch { for (i in 0 until items) chs[i % cases].send(i) }
        var sum = 0L
        repeat(items) {
            select<Unit> { for (c in chs) c.onReceive { sum += it } }
        }
        sum
    }

    /** The same over kotlinx channels and kotlinx's `select`. */
    @JvmStatic
    public fun kotlinxSelectLoop(cases: Int, items: Int): Long = runBlocking(Dispatchers.Default) {
        val chs = List(cases) { Channel<Int>(16) }
        launch { for (i in 0 until items) chs[i % cases].send(i) }
        var sum = 0L
        repeat(items) {
            kotlinx.coroutines.selects.select<Unit> { for (c in chs) c.onReceive { sum += it } }
        }
        sum
    }

    /**
     * The buffered fast path alone: one coroutine sends and receives [items] times on a channel
     * of 64 that never fills or empties, so neither operation suspends (one shared value, so
     * `-prof gc` shows only what the channel allocates; `runBlocking` is amortised over [items]).
     */
    @JvmStatic
    public fun conduitFastPath(items: Int): Long = runBlocking {
        val ch = Chan<Any>(64)
        var n = 0L
        repeat(items) {
            ch.send(SHARED_ITEM)
            if (ch.receive() === SHARED_ITEM) n++
        }
        n
    }

    /** The same on a kotlinx `Channel(64)`. */
    @JvmStatic
    public fun kotlinxFastPath(items: Int): Long = runBlocking {
        val ch = Channel<Any>(64)
        var n = 0L
        repeat(items) {
            ch.send(SHARED_ITEM)
            if (ch.receive() === SHARED_ITEM) n++
        }
        n
    }

    /** The same round trips over two rendezvous kotlinx channels. */
    @JvmStatic
    public fun kotlinxPingPong(rounds: Int): Int = runBlocking(Dispatchers.Default) {
        val ping = Channel<Int>()
        val pong = Channel<Int>()
        launch { for (v in ping) pong.send(v + 1) }
        var ball = 0
        repeat(rounds) {
            ping.send(ball)
            ball = pong.receive()
        }
        ping.close()
        ball
    }
}
