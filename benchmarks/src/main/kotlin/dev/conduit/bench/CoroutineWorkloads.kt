package dev.conduit.bench

import dev.conduit.chan.chan
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
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
    public fun conduitTransfer(capacity: Int, items: Int): Long = runBlocking(Dispatchers.Default) {
        val ch = chan<Int>(capacity)
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
        val ping = chan<Int>()
        val pong = chan<Int>()
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
