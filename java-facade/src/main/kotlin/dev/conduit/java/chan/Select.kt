package dev.conduit.java.chan

import dev.conduit.chan.Received
import dev.conduit.chan.SelectScope
import dev.conduit.context.Context
import dev.conduit.java.internal.Bridge
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.function.Consumer
import kotlin.time.toKotlinDuration

/**
 * Go's `select` for Java: waits until one of several channel operations can proceed, does that
 * one, and runs its handler.
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
 * runs when no other case is ready, so the select never blocks.
 *
 * The handler of the chosen case runs on the thread that called [run] (for [runAsync], on the
 * thread that completed the select), after the operation is done. A case on a closed channel:
 * [onReceiveOk] gets "closed"; [onReceive] fails the select with kotlinx's
 * `ClosedReceiveChannelException` and [onSend] with `ClosedSendChannelException`. One select may hold at most one case per channel
 * (see Kotlin's `select`). A `Select` is a builder for one thread; run it as often as needed.
 */
public class Select private constructor(private val biased: Boolean) {
    private val cases = ArrayList<Case>()
    private var otherwise: Runnable? = null

    /** One case: registers its operation and, once fired, runs its handler with the result. */
    private abstract class Case {
        abstract fun register(scope: SelectScope<Fired>, index: Int)
        abstract fun handle(result: Any?)
    }

    private class Fired(val index: Int, val result: Any?)

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
                override fun register(scope: SelectScope<Fired>, index: Int) =
                    with(scope) { channel.asChan().onReceive { Fired(index, it) } }

                @Suppress("UNCHECKED_CAST")
                override fun handle(result: Any?) = handler.accept(result as T)
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
                override fun register(scope: SelectScope<Fired>, index: Int) =
                    with(scope) { channel.asChan().onReceiveOk { Fired(index, it) } }

                @Suppress("UNCHECKED_CAST")
                override fun handle(result: Any?) = handler.accept(result as Received<T>)
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
                override fun register(scope: SelectScope<Fired>, index: Int) =
                    with(scope) { channel.asChan().onSend(value) { Fired(index, null) } }

                override fun handle(result: Any?) = handler.run()
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
                override fun register(scope: SelectScope<Fired>, index: Int) =
                    with(scope) { ctx.done.onReceiveOk { Fired(index, null) } }

                override fun handle(result: Any?) = handler.run()
            },
        )
    }

    /**
     * Adds a case that fires when [timeout] passes with no other case firing.
     *
     * @throws NullPointerException if an argument is null
     */
    public fun onTimeout(timeout: Duration, handler: Runnable): Select {
        val t = nonNull(timeout, "timeout").toKotlinDuration()
        nonNull(handler, "handler")
        return add(
            object : Case() {
                override fun register(scope: SelectScope<Fired>, index: Int) =
                    scope.onTimeout(t) { Fired(index, null) }

                override fun handle(result: Any?) = handler.run()
            },
        )
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

    private fun register(scope: SelectScope<Fired>) {
        cases.forEachIndexed { i, c -> if (c === DEFAULT) scope.default { Fired(i, null) } else c.register(scope, i) }
    }

    private fun handle(fired: Fired): Int {
        val case = cases[fired.index]
        if (case === DEFAULT) otherwise!!.run() else case.handle(fired.result)
        return fired.index
    }

    /**
     * Blocks until a case fires, runs its handler on this thread, and returns the case's index
     * (the order in which cases were added, from 0).
     *
     * @throws InterruptedException if interrupted while blocked; no case fired then
     * @throws kotlinx.coroutines.channels.ClosedReceiveChannelException if the chosen case
     *   receives from a closed channel
     * @throws kotlinx.coroutines.channels.ClosedSendChannelException if it sends to one
     */
    @Throws(InterruptedException::class)
    public fun run(): Int = handle(Bridge.await(biased, ::register))

    /**
     * Runs the select without blocking. The future completes with the fired case's index after
     * its handler ran. Cancelling the future withdraws the select: `cancel` returns true only if
     * no case fired or will fire.
     */
    public fun runAsync(): CompletableFuture<Int> = Bridge.asyncThen(biased, ::register, ::handle)

    public companion object {
        private val DEFAULT: Case = object : Case() {
            override fun register(scope: SelectScope<Fired>, index: Int) = Unit
            override fun handle(result: Any?) = Unit
        }

        /** A fair select: among ready cases, one is picked uniformly at random. */
        @JvmStatic
        public fun create(): Select = Select(false)

        /** A priority select: among ready cases, the first one added wins. */
        @JvmStatic
        public fun biased(): Select = Select(true)
    }
}
