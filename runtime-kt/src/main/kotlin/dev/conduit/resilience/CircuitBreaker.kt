package dev.conduit.resilience

import dev.conduit.Clock
import dev.conduit.context.Context
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.TimeoutCancellationException

/** A [CircuitBreaker]'s state. */
public enum class CircuitBreakerState {
    /** Calls go through; their outcomes fill the sliding window. */
    CLOSED,

    /** Calls are refused until the open wait ends; then the next call attempt makes it half-open. */
    OPEN,

    /** A limited number of probe calls go through; their outcomes decide between closed and open. */
    HALF_OPEN,

    /** Every call is refused until a manual transition ([CircuitBreaker.reset]). */
    FORCED_OPEN,

    /** Every call goes through and nothing is recorded, until a manual transition. */
    DISABLED,
}

/**
 * Thrown when a [CircuitBreaker] refuses a call: it is open, forced open, half-open with every
 * probe taken, or ramping up after a recovery and holding this call back.
 */
public class CallNotPermittedException(
    /** The breaker's name. */
    public val breakerName: String,
    /** The state that refused the call. */
    public val state: CircuitBreakerState,
) : RuntimeException("circuit breaker '$breakerName' is $state and does not permit further calls")

/**
 * A circuit breaker: stops calling a dependency that keeps failing (or answering slowly), and
 * tries it again after a while, Resilience4j's feature set built on Conduit's context and clock.
 *
 * ```
 * val breaker = CircuitBreaker("inventory", CircuitBreakerConfig.builder().slidingWindowSize(20).build())
 * val stock = breaker.call(ctx) { c -> inventory.stock(c, sku) }   // CallNotPermittedException while open
 * ```
 *
 * ## States
 * - [CircuitBreakerState.CLOSED]: calls go through; their outcomes fill a sliding window (the last
 *   N calls, or the last N seconds). Once the window holds [CircuitBreakerConfig.minimumNumberOfCalls],
 *   a failure rate at or above [CircuitBreakerConfig.failureRateThreshold], or a slow-call rate at or
 *   above [CircuitBreakerConfig.slowCallRateThreshold], opens the breaker.
 * - [CircuitBreakerState.OPEN]: calls are refused for the open wait; the first call attempt after it
 *   makes the breaker half-open (there is no timer: [state] says `OPEN` until then).
 * - [CircuitBreakerState.HALF_OPEN]: [CircuitBreakerConfig.permittedNumberOfCallsInHalfOpenState]
 *   probes go through, never more (an unused permit given back, or an ignored error, frees its
 *   probe for another call). When all their outcomes are in, rates below the thresholds close the
 *   breaker, and otherwise it opens again, for a wait grown by [CircuitBreakerConfig.openBackoffMultiplier]
 *   (up to [CircuitBreakerConfig.maxWaitDurationInOpenState]); closing brings the wait back to the first.
 * - After recovering, for [CircuitBreakerConfig.rampUpDuration] only a share of calls goes
 *   through, 10% at first and growing linearly to all; the rest are refused as not permitted.
 * - [forceOpen], [disable] and [reset] move the breaker by hand, from any state.
 *
 * ## Outcomes
 * [call] reports its block's outcome itself. Callers that run the work themselves ask
 * [tryAcquirePermission] and then report exactly one of [onSuccess], [onError], [onResult], or
 * give the permission back with [releasePermission]. Those reports go to the state current when
 * they are made (as Resilience4j's do); [call] reports to the state that granted its permission,
 * so that its outcome never counts in a later state. An exception counts as a timeout (a failure,
 * counted apart in [metrics]) if it is a context's deadline, kotlinx's `withTimeout` or a
 * `TimeoutException`, or if [call]'s context reached its deadline.
 *
 * ## Cost
 * Lock-free. In the closed state a permission is one volatile read and a count-based outcome
 * one slot of a ring of ints (the totals move only when the outcome differs from the one it
 * replaces); nothing is allocated unless a listener is registered (events) or the window is
 * time-based (a short lock). Outcomes are reported with the durations the caller measured, in
 * nanoseconds; only [call] reads the clock.
 *
 * Thread-safe. [call] suspends while its block does; everything else never blocks.
 *
 * `CircuitBreaker(name, config, clock)` makes a closed breaker named [name] with [config]
 * ([CircuitBreakerConfig.defaults] if left out), timing its open waits, time-based window and
 * ramp-up on [clock] (a virtual clock in tests).
 */
public class CircuitBreaker @JvmOverloads constructor(
    /** The breaker's name, in its events, metrics and refusals. */
    public val name: String,
    /** The breaker's settings. */
    public val config: CircuitBreakerConfig = CircuitBreakerConfig.defaults(),
    /** The clock of the breaker's open waits, time-based window and ramp-up, and of [call]'s durations. */
    public val clock: Clock = Clock.system(),
) {
    private val machine = BreakerStateMachine(name, config, clock)

    /** The state now (`OPEN` until a call attempt after the open wait makes it half-open). Never blocks. */
    public val state: CircuitBreakerState get() = machine.phase.get().state

    /**
     * Runs [block] under [ctx] if the breaker permits a call, and records its outcome: a result
     * (a failure if [CircuitBreakerConfig.recordResult] says so), or an exception, rethrown as it
     * is. A cancelled coroutine's [CancellationException] is not an outcome: the permission is
     * given back. Suspends while [block] does.
     *
     * @throws CallNotPermittedException if the breaker refuses the call; [block] does not run.
     */
    public suspend fun <T> call(ctx: Context = Context.background(), block: suspend (Context) -> T): T {
        val p = machine.acquire() ?: throw CallNotPermittedException(name, state)
        val start = clock.nanoTime()
        val result = try {
            block(ctx)
        } catch (e: Throwable) {
            if (e is CancellationException && e !is TimeoutCancellationException) machine.release(p)
            else machine.error(p, clock.nanoTime() - start, e, isTimeout(e, ctx))
            throw e
        }
        machine.result(p, clock.nanoTime() - start, result)
        return result
    }

    /**
     * Asks for a permission to make one call now; if granted, report its outcome with exactly one
     * of [onSuccess], [onError], [onResult], or give it back with [releasePermission]. A refusal is
     * counted and told to listeners as not permitted. Never blocks; allocates nothing while closed.
     *
     * @return whether the call may go ahead.
     */
    public fun tryAcquirePermission(): Boolean = machine.acquire() != null

    /** Gives back a permission that was not used (in half-open, frees its probe). Never blocks. */
    public fun releasePermission(): Unit = machine.release(machine.phase.get())

    /**
     * Reports that a permitted call succeeded after [durationNanos] (slow if at least
     * [CircuitBreakerConfig.slowCallDuration]). Never blocks; allocates nothing without listeners.
     */
    public fun onSuccess(durationNanos: Long): Unit = machine.success(machine.phase.get(), durationNanos)

    /**
     * Reports that a permitted call threw [error] after [durationNanos]: a failure, a success or
     * nothing, as [CircuitBreakerConfig.recordException] and [CircuitBreakerConfig.ignoreException]
     * say (ignored, it gives the permission back). Never blocks.
     */
    public fun onError(durationNanos: Long, error: Throwable): Unit =
        machine.error(machine.phase.get(), durationNanos, error, isTimeout(error))

    /**
     * [onError] for a call made under [ctx]: the error is also a timeout if [ctx] reached its
     * deadline (the call gave up because its time was over, whatever it threw). Never blocks.
     */
    public fun onError(durationNanos: Long, error: Throwable, ctx: Context): Unit =
        machine.error(machine.phase.get(), durationNanos, error, isTimeout(error, ctx))

    /**
     * Reports that a permitted call returned [result] after [durationNanos]: a failure if
     * [CircuitBreakerConfig.recordResult] says so, else a success. Never blocks.
     */
    public fun onResult(durationNanos: Long, result: Any?): Unit = machine.result(machine.phase.get(), durationNanos, result)

    /** Refuses every call until [reset] or [disable]. Never blocks. */
    public fun forceOpen(): Unit = machine.forceOpen()

    /** Lets every call through and records nothing, until [reset] or [forceOpen]. Never blocks. */
    public fun disable(): Unit = machine.disable()

    /** Closes the breaker with an empty window and the first open wait, from any state. Never blocks. */
    public fun reset(): Unit = machine.reset()

    /** Registers [listener] for every later event. Never blocks. */
    public fun addListener(listener: CircuitBreakerListener): Unit = machine.addListener(listener)

    /** Unregisters [listener] (once, if added more than once). Never blocks. @return whether it was registered. */
    public fun removeListener(listener: CircuitBreakerListener): Boolean = machine.removeListener(listener)

    /** A snapshot of the counts and of the current window's rates. Never blocks. */
    public fun metrics(): CircuitBreakerMetrics = machine.metrics()

    /** The name and the state. Never blocks. */
    override fun toString(): String = "CircuitBreaker($name, $state)"
}
