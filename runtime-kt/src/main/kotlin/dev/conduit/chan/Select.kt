package dev.conduit.chan

import kotlin.time.Duration

/**
 * Waits until one of several channel operations can proceed and runs that one: Go's `select`.
 *
 * When several cases are ready at once, one is chosen **uniformly at random**, as in Go
 * (kotlinx's own `select` prefers the first clause). With [biased] `= true` the cases are
 * tried in the order written instead: a priority select. A [SelectScope.default] case makes
 * the select non-blocking: it runs when no other case is ready now.
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
 * ## Suspension and cancellation
 * Suspends until a case fires; cancellable while suspended, in which case no case fires (no
 * value is taken or sent). A select with no enabled case and no default, like Go's
 * `select {}`, suspends until cancelled.
 *
 * ## Closed and nil channels
 * A receive case on a closed channel is always ready: [SelectScope.onReceiveOk] gets "closed",
 * [SelectScope.onReceive] throws kotlinx's `ClosedReceiveChannelException`. A send case on a
 * closed channel throws kotlinx's `ClosedSendChannelException` when chosen. Cases on a
 * [nilChan] never fire.
 *
 * ## Difference from Go
 * One select may have at most one enabled case per channel: kotlinx's select, which this one
 * runs on, cannot wait on the same channel twice, so Go's `select { case ch <- v: case <-ch: }`
 * is refused with [IllegalArgumentException]. Use two channels, or a guard to enable one case.
 *
 * @throws IllegalArgumentException if the builder declares more than one default case, or
 *   two enabled cases on the same channel.
 */
public suspend fun <R> select(biased: Boolean = false, builder: SelectScope<R>.() -> Unit): R {
    val scope = SelectScopeImpl<R>()
    scope.builder()
    return scope.run(biased)
}

/**
 * The cases of a [select]. Each `enabled` flag is a guard: `false` leaves the case out, as a
 * nil channel does in Go, so a select need not be restructured to switch a case off.
 */
public sealed interface SelectScope<in R> {
    /**
     * A case that receives a value from this channel and runs [block] with it. On a closed and
     * drained channel the case fires and throws `ClosedReceiveChannelException`; use [onReceiveOk] to
     * handle "closed" as a value.
     */
    public fun <T> ReceiveChan<T>.onReceive(enabled: Boolean = true, block: suspend (T) -> R)

    /** A case that receives a value or "closed" from this channel: Go's `case v, ok := <-ch`. */
    public fun <T> ReceiveChan<T>.onReceiveOk(enabled: Boolean = true, block: suspend (Received<T>) -> R)

    /** A case that sends [value] on this channel and then runs [block]. */
    public fun <T> SendChan<T>.onSend(value: T, enabled: Boolean = true, block: suspend () -> R)

    /**
     * A case that fires when [timeout] has passed without another case firing, measured by the
     * coroutine's dispatcher (so virtual time in tests). A zero or negative timeout is ready
     * at once.
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
