package dev.conduit.chan

import kotlin.time.Duration

/**
 * Waits until one of several channel operations can proceed and runs that one: Go's `select`,
 * with Go's semantics.
 *
 * When several cases are ready at once, one is chosen **uniformly at random**, as in Go
 * (kotlinx's own `select` prefers the first clause). With [biased] `= true` the cases are
 * tried in the order written instead: a priority select. A [SelectScope.default] case makes
 * the select non-blocking: it runs only if no other case was ready at the moment of the
 * attempt; all the select's channels are examined in one locked snapshot, so `default` never
 * runs while a case was ready (Go's `TestNonblockSelectRace`).
 *
 * ```
 * val r = select<String> {
 *     jobs.onReceive { "job $it" }
 *     results.onSend(42) { "sent" }
 *     done.onReceiveOk(enabled = watching) { "done" }   // a guard: false switches the case off
 *     onTimeout(1.seconds) { "timeout" }
 * }
 * ```
 *
 * Any number of cases may name the same channel, a send and a receive included, as in Go's
 * `select { case ch <- v: case v := <-ch: }`; any mix of channel kinds works (plain, ring,
 * batch, sharded, priority, timers, remote). The cost is O(n log n) in the number of cases.
 *
 * ## Suspension and cancellation
 * Suspends until a case fires. If the coroutine is cancelled while suspended, either no case
 * fired (no value taken or sent; the `CancellationException` is thrown) or one had already
 * completed at that moment: then its block runs and the cancellation takes effect at the next
 * suspension point. A select with no enabled case and no default, like Go's `select {}`,
 * suspends until cancelled.
 *
 * ## Closed and nil channels
 * A receive case on a closed channel is always ready: [SelectScope.onReceiveOk] gets "closed",
 * [SelectScope.onReceive] throws [ClosedChannelException]. A send case on a closed channel
 * throws [ClosedChannelException] when chosen, as Go panics. Cases on a [nilChan] never fire.
 *
 * @throws IllegalArgumentException if the builder declares more than one default case, or a
 *   case on a channel that is not built on [dev.conduit.chan.spi.ChannelSource].
 */
public suspend fun <R> select(biased: Boolean = false, builder: SelectScope<R>.() -> Unit): R {
    val scope = SelectScopeImpl<R>(biased)
    scope.builder()
    return scope.run()
}

/**
 * The cases of a [select]. Each `enabled` flag is a guard: `false` leaves the case out, as a
 * nil channel does in Go, so a select need not be restructured to switch a case off.
 */
public sealed interface SelectScope<in R> {
    /**
     * A case that receives a value from this channel and runs [block] with it. On a closed and
     * drained channel the case fires and throws [ClosedChannelException]; use [onReceiveOk] to
     * handle "closed" as a value.
     */
    public fun <T> ReceiveChan<T>.onReceive(enabled: Boolean = true, block: suspend (T) -> R)

    /** A case that receives a value or "closed" from this channel: Go's `case v, ok := <-ch`. */
    public fun <T> ReceiveChan<T>.onReceiveOk(enabled: Boolean = true, block: suspend (Received<T>) -> R)

    /**
     * A case that sends [value] on this channel and then runs [block]. Chosen on a closed
     * channel, it throws [ClosedChannelException].
     */
    public fun <T> SendChan<T>.onSend(value: T, enabled: Boolean = true, block: suspend () -> R)

    /**
     * A case that fires when [timeout] has passed without another case firing, measured by the
     * coroutine's dispatcher (so virtual time in tests). A zero or negative timeout is a case
     * that is always ready (chosen at random among the ready cases, as Go's `time.After(0)`
     * soon would be). With several timeout cases, the shortest positive one counts.
     */
    public fun onTimeout(timeout: Duration, block: suspend () -> R)

    /**
     * Go's `default`: runs [block] if no other case is ready at the moment the select starts,
     * so the select never suspends.
     *
     * @throws IllegalArgumentException if a default case was already declared.
     */
    public fun default(block: suspend () -> R)
}
