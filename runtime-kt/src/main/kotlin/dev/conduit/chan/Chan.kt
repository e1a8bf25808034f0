package dev.conduit.chan

/**
 * The sending side of a Go channel: what `chan<- T` is in Go.
 *
 * Every channel kind ([Chan()][Chan], [nilChan], [SpscChan()][SpscChan], [ShardedChan],
 * [PriorityChannel], [BatchChannel], the timers, a kotlinx channel seen through [asChan], or a
 * remote channel) is a [dev.conduit.chan.spi.ChannelSource] or a
 * [dev.conduit.chan.spi.ChannelGroup] of them, the select SPI, so any mix of kinds works in one
 * [select].
 *
 * ## Suspension and cancellation
 * [send] suspends until a receiver takes the value (unbuffered channel) or there is room in the
 * buffer. If the coroutine is cancelled while suspended, either the value was not sent (the
 * `CancellationException` is thrown) or it had already been taken at that moment, in which case
 * [send] returns normally and the cancellation takes effect at the next suspension point. A
 * value is never both sent and reported as not sent.
 *
 * ## Closed channel
 * Sending on a closed channel throws [ClosedChannelException], as it panics in Go; so does a
 * send that was already waiting when the channel was closed (its value is not delivered). Values
 * sent before the close are all delivered.
 */
public interface SendChan<in T> {
    /**
     * Sends [value], suspending until a receiver takes it or the buffer has room.
     *
     * @throws ClosedChannelException if the channel is closed before the value is taken.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled while
     *   suspended and the value was not sent.
     */
    public suspend fun send(value: T)

    /**
     * Sends [value] if that can be done without waiting: Go's `select` with a `default`.
     * Linearizable: `false` means that at the moment of the attempt no receiver was waiting and
     * the buffer was full. Never suspends or blocks.
     *
     * @return `true` if the value was sent, `false` if sending would have to wait.
     * @throws ClosedChannelException if the channel is closed.
     */
    public fun trySend(value: T): Boolean

    /**
     * Closes the channel: no more values may be sent; senders waiting now fail with
     * [ClosedChannelException]; receivers get what is buffered and then "closed". Never
     * suspends or blocks.
     *
     * @throws IllegalStateException ("close of closed channel") if the channel is already
     *   closed, or ("close of nil channel") if it is a [nilChan].
     */
    public fun close()

    /** The buffer capacity given to [Chan()][Chan]: 0 for an unbuffered channel. Go's `cap(ch)`. */
    public val cap: Int

    /**
     * How many values are buffered now, between 0 and [cap]: Go's `len(ch)`. An exact snapshot
     * of the channel's state at one moment, which concurrent senders and receivers may change
     * right after. (Above [cap] only for a while after a [asBlockingQueue] view's `drainTo`
     * put back values its collection refused.) Never blocks.
     */
    public val len: Int
}

/**
 * The receiving side of a Go channel: what `<-chan T` is in Go.
 *
 * ## Suspension and cancellation
 * [receive] and [receiveOk] suspend until a value is available or the channel is closed and
 * drained. If the coroutine is cancelled while suspended, either nothing was taken (the
 * `CancellationException` is thrown) or a value had already been handed to it at that moment,
 * in which case it is returned and the cancellation takes effect at the next suspension point:
 * no value is lost to a cancellation. (A cancelled scope such as `withTimeout` still discards
 * whatever its block returns; bound a receive with `select` and `onTimeout`, or a `Context`,
 * to keep the value.)
 *
 * ## Closed channel
 * After [SendChan.close], receivers first get every buffered value in order, and then
 * "closed" at once and forever: [receiveOk] returns [Received.ok] `== false`, [receive] throws
 * [ClosedChannelException], iteration ends.
 *
 * ```
 * for (v in ch) println(v)          // until closed and drained
 * val (v, ok) = ch.receiveOk()      // Go's v, ok := <-ch
 * ```
 */
public interface ReceiveChan<out T> {
    /**
     * Receives the next value, suspending until one is available.
     *
     * @throws ClosedChannelException if the channel is closed and drained.
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended before a
     *   value was handed over; nothing is taken then.
     */
    public suspend fun receive(): T

    /**
     * Receives the next value or learns that the channel is closed and drained: Go's
     * `v, ok := <-ch`. Suspends until one of the two happens; never throws for a closed channel.
     *
     * @throws kotlinx.coroutines.CancellationException as [receive].
     */
    public suspend fun receiveOk(): Received<T>

    /**
     * Receives without waiting: Go's `select` with a `default`. Linearizable: `null` means that
     * at the moment of the attempt nothing was buffered, no sender was waiting and the channel
     * was open. Never suspends or blocks.
     *
     * @return a value ([Received.ok] `== true`), "closed" ([Received.ok] `== false`) when the
     *   channel is closed and drained, or `null` when nothing is ready now.
     */
    public fun tryReceive(): Received<T>?

    /**
     * Iterates over received values until the channel is closed and drained. `hasNext`
     * suspends; see [ChanIterator].
     */
    public operator fun iterator(): ChanIterator<T>

    /** The buffer capacity; see [SendChan.cap]. */
    public val cap: Int

    /** How many values are buffered now; see [SendChan.len]. */
    public val len: Int
}

/**
 * A Go channel: both [SendChan] and [ReceiveChan]. Made by [Chan()][Chan] (Go's `make(chan T, n)`),
 * or by the factory of another kind ([SpscChan()][SpscChan], [ShardedChan], [PriorityChannel]).
 *
 * A `Chan` is safe to share between any number of coroutines and threads, and one channel
 * serves both at once: a Java thread blocked in the facade's `receive` and a coroutine
 * suspended in [receive] wait in the same queue, first come, first served. Use it where a
 * `SendChan` or `ReceiveChan` is expected to hand out only one direction, as Go's directional
 * channel types do.
 */
public interface Chan<T> : SendChan<T>, ReceiveChan<T> {
    override val cap: Int
    override val len: Int
}

/**
 * Iterator over a [ReceiveChan]; used by `for (v in ch)` inside a coroutine.
 */
public interface ChanIterator<out T> {
    /**
     * Suspends until a value is available (`true`) or the channel is closed and drained
     * (`false`). Cancellation as for [ReceiveChan.receive].
     *
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended.
     */
    public suspend operator fun hasNext(): Boolean

    /**
     * The value found by the last [hasNext]. Never suspends.
     *
     * @throws IllegalStateException if [hasNext] was not called or returned `false`.
     */
    public operator fun next(): T
}

/**
 * Makes a channel: Go's `make(chan T, capacity)`.
 *
 * `capacity = 0` (the default) makes an unbuffered channel: a send waits for a receiver, a
 * rendezvous. A positive capacity makes a buffered channel that holds up to `capacity` values
 * (its buffer grows on demand up to that); `Int.MAX_VALUE` makes it unbounded. Never blocks.
 *
 * @throws IllegalArgumentException if [capacity] is negative.
 */
public fun <T> Chan(capacity: Int = 0): Chan<T> {
    require(capacity >= 0) { "capacity must be >= 0, but was $capacity" }
    return ChanImpl(capacity)
}

/**
 * A nil channel: Go's `var ch chan T`. Send and receive on it suspend until cancelled, its
 * cases in [select] never fire, and [SendChan.close] fails with [IllegalStateException]. Use it
 * to switch a case of a select off, Go's idiom, or use the `enabled` flag of each select clause.
 * Never blocks.
 */
public fun <T> nilChan(): Chan<T> {
    @Suppress("UNCHECKED_CAST")
    return NilChan as Chan<T>
}
