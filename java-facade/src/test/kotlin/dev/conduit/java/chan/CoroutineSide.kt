package dev.conduit.java.chan

import dev.conduit.chan.Chan
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.launch
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicBoolean

/**
 * The Kotlin coroutine side of InterruptRaceTest: coroutines on `Dispatchers.Default` that use
 * the same channel as the Java threads, through the Kotlin API.
 */
object CoroutineSide {
    private val scope = CoroutineScope(Dispatchers.Default + SupervisorJob())

    /**
     * A coroutine that sets [ready] once it runs, waits (bounded) for [go], spins [spins]
     * times, then sends [value] on [ch]; the future completes when `send` returned, or
     * exceptionally with what it threw.
     */
    @JvmStatic
    fun sendWhenGo(ch: Chan<Int>, value: Int, spins: Int, ready: AtomicBoolean, go: AtomicBoolean): CompletableFuture<Void?> {
        val done = CompletableFuture<Void?>()
        scope.launch {
            try {
                ready.set(true)
                val deadline = System.nanoTime() + 10_000_000_000L
                while (!go.get()) {
                    check(System.nanoTime() < deadline) { "never told to go" }
                    Thread.yield()
                }
                repeat(spins) { Thread.onSpinWait() }
                ch.send(value)
                done.complete(null)
            } catch (e: Throwable) {
                done.completeExceptionally(e)
            }
        }
        return done
    }

    /**
     * A coroutine that sets [ready] once it runs, waits (bounded) for [go], spins [spins]
     * times, then receives from [ch]; the future completes with the value, or exceptionally
     * with what it threw.
     */
    @JvmStatic
    fun receiveWhenGo(ch: Chan<Int>, spins: Int, ready: AtomicBoolean, go: AtomicBoolean): CompletableFuture<Int> {
        val done = CompletableFuture<Int>()
        scope.launch {
            try {
                ready.set(true)
                val deadline = System.nanoTime() + 10_000_000_000L
                while (!go.get()) {
                    check(System.nanoTime() < deadline) { "never told to go" }
                    Thread.yield()
                }
                repeat(spins) { Thread.onSpinWait() }
                done.complete(ch.receive())
            } catch (e: Throwable) {
                done.completeExceptionally(e)
            }
        }
        return done
    }

    /** A coroutine receiving from [ch], and the future of what it received (or threw). */
    class Receiving(val job: Job, val outcome: CompletableFuture<Int>)

    /**
     * Starts a coroutine that receives from [ch]. It runs undispatched up to its first
     * suspension, so when this returns the receive has either completed or is queued in the
     * channel.
     */
    @JvmStatic
    fun receive(ch: Chan<Int>): Receiving {
        val outcome = CompletableFuture<Int>()
        val job = scope.launch(start = CoroutineStart.UNDISPATCHED) {
            try {
                outcome.complete(ch.receive())
            } catch (e: Throwable) {
                outcome.completeExceptionally(e)
            }
        }
        return Receiving(job, outcome)
    }
}
