package dev.conduit.java.chan

import dev.conduit.chan.ClosedChannelException
import dev.conduit.chan.Received
import dev.conduit.chan.spi.Poll
import dev.conduit.chan.spi.Selection
import dev.conduit.context.Context
import dev.conduit.java.internal.nanosOf
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.function.Consumer

/**
 * Go's `select` for Java, with Go's semantics: waits until one of several channel operations can
 * proceed, does that one, and runs its handler.
 *
 * ```
 * int fired = Select.create()
 *     .onReceive(jobs, job -> handle(job))
 *     .onSend(results, 42, () -> log("sent"))
 *     .onTimeout(Duration.ofSeconds(1), () -> log("timeout"))
 *     .run();
 * ```
 *
 * When several cases are ready, one is picked uniformly at random, as in Go; [biased] makes a
 * select that tries its cases in the order they were added. [orElse] is Go's `default`: it
 * runs only if no other case was ready at the moment of the attempt (one consistent snapshot of
 * every channel in the select), so the select never blocks. Cases may name the same channel
 * more than once, a send and a receive included; any channel kind may be mixed in.
 *
 * The handler of the chosen case runs on the thread that called [run] (for [runAsync], on the
 * thread that completed the select), after the operation is done. A case on a closed channel:
 * [onReceiveOk] gets "closed"; [onReceive] and [onSend] fail the select with
 * [ClosedChannelException]. A blocked [run] parks the calling thread in the channels' own
 * queues: no coroutine, future or extra thread. A `Select` is a builder for one thread; run it
 * as often as needed. A select with no case, no [orElse] and no [onTimeout] is Go's `select {}`:
 * [run] blocks until interrupted.
 *
 * Called on a Vert.x event-loop thread or a coroutine dispatcher's thread, [run] blocks that
 * thread like any blocking call; use [runAsync] there.
 */
public class Select private constructor(private val biased: Boolean) {
    private val cases = ArrayList<Case>()
    private var otherwise: Runnable? = null
    private var timeoutNanos = Long.MAX_VALUE
    private var timeoutCase = -1

    /** One case: adds its operation to a [Selection] and, once fired, runs its handler. */
    private abstract class Case {
        /** Adds the case to [s]; returns its index there, or -1 if it is not a channel case. */
        abstract fun add(s: Selection): Int
        abstract fun handle(result: Any?)
    }

    /**
     * Adds a case that receives a value from [channel] and passes it to [handler].
     *
     * @throws NullPointerException if an argument is null
     */
    public fun <T : Any> onReceive(channel: ReceiveChannel<T>, handler: Consumer<in T>): Select {
        nonNull(channel, "channel")
        nonNull(handler, "handler")
        return add(
            object : Case() {
                override fun add(s: Selection): Int = s.receive(channel.asChan())

                @Suppress("UNCHECKED_CAST")
                override fun handle(result: Any?) {
                    if (result === Poll.CLOSED) throw ClosedChannelException("receive from closed channel")
                    handler.accept(result as T)
                }
            },
        )
    }

    /**
     * Adds a case that receives a value or "closed" from [channel]: Go's `case v, ok := <-ch`.
     *
     * @throws NullPointerException if an argument is null
     */
    public fun <T : Any> onReceiveOk(channel: ReceiveChannel<T>, handler: Consumer<in Received<T>>): Select {
        nonNull(channel, "channel")
        nonNull(handler, "handler")
        return add(
            object : Case() {
                override fun add(s: Selection): Int = s.receive(channel.asChan())

                @Suppress("UNCHECKED_CAST")
                override fun handle(result: Any?) =
                    handler.accept(if (result === Poll.CLOSED) Received.closed() else Received.of(result as T))
            },
        )
    }

    /**
     * Adds a case that sends [value] on [channel] and then runs [handler].
     *
     * @throws NullPointerException if an argument is null
     */
    public fun <T : Any> onSend(channel: SendChannel<T>, value: T, handler: Runnable): Select {
        nonNull(channel, "channel")
        nonNull(value, "value")
        nonNull(handler, "handler")
        return add(
            object : Case() {
                override fun add(s: Selection): Int = s.send(channel.asChan(), value)

                override fun handle(result: Any?) {
                    if (result === Poll.CLOSED) throw ClosedChannelException("send on closed channel")
                    handler.run()
                }
            },
        )
    }

    /**
     * Adds a case that fires when [ctx] is done.
     *
     * @throws NullPointerException if an argument is null
     */
    public fun onDone(ctx: Context, handler: Runnable): Select {
        nonNull(ctx, "ctx")
        nonNull(handler, "handler")
        return add(
            object : Case() {
                override fun add(s: Selection): Int = s.receive(ctx.done)

                override fun handle(result: Any?) = handler.run()
            },
        )
    }

    /**
     * Adds a case that fires when [timeout] passes with no other case firing (zero or negative:
     * a case that is always ready). With several, the shortest counts.
     *
     * @throws NullPointerException if an argument is null
     */
    public fun onTimeout(timeout: Duration, handler: Runnable): Select {
        nonNull(timeout, "timeout")
        nonNull(handler, "handler")
        val nanos = nanosOf(timeout)
        val index = cases.size
        add(
            object : Case() {
                override fun add(s: Selection): Int = if (nanos <= 0) s.ready() else -1

                override fun handle(result: Any?) = handler.run()
            },
        )
        if (nanos in 1 until timeoutNanos) {
            timeoutNanos = nanos
            timeoutCase = index
        }
        return this
    }

    /**
     * Go's `default`: [handler] runs when no other case is ready, and the select does not block.
     * Its index is the number of cases added before it.
     *
     * @throws IllegalStateException if a default was already set
     * @throws NullPointerException if [handler] is null
     */
    public fun orElse(handler: Runnable): Select {
        nonNull(handler, "handler")
        check(otherwise == null) { "a select may have only one orElse (default) case" }
        otherwise = handler
        cases.add(DEFAULT)
        return this
    }

    private fun add(case: Case): Select {
        cases.add(case)
        return this
    }

    /** Java passes nulls the Kotlin types cannot see: refuse them by name, at the boundary. */
    private fun <T> nonNull(value: T?, name: String): T = value ?: throw NullPointerException("$name must not be null")

    /** One run: the cases in a fresh [Selection], and which builder case each index is. */
    private inner class Run {
        val selection = Selection(biased, cases.size)
        private val caseOf = IntArray(cases.size)

        init {
            cases.forEachIndexed { i, c ->
                if (c !== DEFAULT) {
                    val k = c.add(selection)
                    if (k >= 0) caseOf[k] = i
                }
            }
        }

        /** Runs the handler of what the selection chose; returns its builder index. */
        fun handle(chosen: Int): Int {
            val index = when (chosen) {
                Selection.DEFAULT -> cases.indexOf(DEFAULT)
                Selection.TIMED_OUT -> timeoutCase
                else -> caseOf[chosen]
            }
            val case = cases[index]
            if (case === DEFAULT) otherwise!!.run() else case.handle(selection.result)
            return index
        }
    }

    /**
     * Blocks until a case fires, runs its handler on this thread, and returns the case's index
     * (the order in which cases were added, from 0).
     *
     * @throws InterruptedException if interrupted while blocked; no case fired then (a case
     *   that completed at that very moment runs instead, with the interrupt status set again)
     * @throws ClosedChannelException if the chosen case receives from (with [onReceive]) or
     *   sends to a closed channel
     */
    @Throws(InterruptedException::class)
    public fun run(): Int {
        val r = Run()
        return r.handle(r.selection.selectBlocking(otherwise != null, timeoutNanos, null))
    }

    /**
     * Runs the select without blocking. The future completes with the fired case's index after
     * its handler ran (on the thread that completed the select), or exceptionally with what
     * the handler or the case threw. Cancelling the future withdraws the select: `cancel`
     * returns true only if no case fired or will fire.
     */
    public fun runAsync(): CompletableFuture<Int> {
        val r = Run()
        return r.selection.selectFuture(otherwise != null, timeoutNanos, r::handle)
    }

    public companion object {
        private val DEFAULT: Case = object : Case() {
            override fun add(s: Selection): Int = -1
            override fun handle(result: Any?) = Unit
        }

        /** A fair select: among ready cases, one is picked uniformly at random. Never blocks. */
        @JvmStatic
        public fun create(): Select = Select(false)

        /** A priority select: among ready cases, the first one added wins. Never blocks. */
        @JvmStatic
        public fun biased(): Select = Select(true)
    }
}
