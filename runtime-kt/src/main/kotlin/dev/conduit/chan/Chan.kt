package dev.conduit.chan

/**
 * The sending side of a Go channel: what `chan<- T` is in Go.
 *
 * Every `SendChan` is made by [chan] or [nilChan]; the interface is sealed so that [select]
 * can rely on every implementation.
 *
 * ## Suspension and cancellation
 * [send] suspends until a receiver takes the value (unbuffered channel) or there is room in the
 * buffer. It is cancellable: if the calling coroutine is cancelled while suspended, the value is
 * not sent and [kotlinx.coroutines.CancellationException] is thrown.
 *
 * ## Closed channel
 * Sending on a closed channel fails with kotlinx's
 * [ClosedSendChannelException][kotlinx.coroutines.channels.ClosedSendChannelException], as it
 * panics in Go. A sender
 * that was already suspended when the channel was closed is not failed: its value counts as
 * sent before the close and is delivered, in order, before receivers see "closed" (kotlinx's
 * rule; Go would panic that sender). Either way no accepted value is lost.
 */
public sealed interface SendChan<in T> {
    /**
     * Sends [value], suspending until a receiver takes it or the buffer has room.
     *
     * @throws kotlinx.coroutines.channels.ClosedSendChannelException if the channel was closed
     *   before this call.
     * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled while
     *   suspended; the value is then not sent.
     */
    public suspend fun send(value: T)

    /**
     * Sends [value] if that can be done without suspending: Go's `select` with a `default`.
     * Never suspends or blocks.
     *
     * Under concurrent senders this attempt is not linearizable, unlike Go's: while another
     * send has reserved a buffer slot but not yet filled it (kotlinx's channels work in two
     * steps), `trySend` may answer `false` although no value is readable yet. Nothing is lost;
     * the suspending [send] or a later attempt settles it.
     *
     * @return `true` if the value was sent, `false` if sending would have to wait.
     * @throws kotlinx.coroutines.channels.ClosedSendChannelException if the channel is closed.
     */
    public fun trySend(value: T): Boolean

    /**
     * Closes the channel: no more values may be sent; receivers get what is buffered and then
     * "closed". Never suspends.
     *
     * @throws IllegalStateException ("close of closed channel") if the channel is already
     *   closed, or ("close of nil channel") if it is a [nilChan].
     */
    public fun close()

    /** The buffer capacity given to [chan]: 0 for an unbuffered channel. Go's `cap(ch)`. */
    public val cap: Int

    /**
     * How many values are buffered now, between 0 and [cap]: Go's `len(ch)`. A snapshot that
     * concurrent senders and receivers may change at once; use it for metrics, not decisions.
     * A sender cancelled while it waited on a full buffer still counts until the next receive
     * passes its slot. Never blocks; costs the channel operations nothing.
     */
    public val len: Int
}

/**
 * The receiving side of a Go channel: what `<-chan T` is in Go.
 *
 * ## Suspension and cancellation
 * [receive] and [receiveOk] suspend until a value is available or the channel is closed and
 * drained. They are cancellable: a receive cancelled while suspended takes no value.
 *
 * ## Closed channel
 * After [SendChan.close], receivers first get every buffered value in order, and then
 * "closed" at once and forever: [receiveOk] returns [Received.ok] `== false`, [receive] throws
 * kotlinx's [ClosedReceiveChannelException][kotlinx.coroutines.channels.ClosedReceiveChannelException]
 * (a `NoSuchElementException`), iteration ends.
 *
 * ```
 * for (v in ch) println(v)          // until closed and drained
 * val (v, ok) = ch.receiveOk()      // Go's v, ok := <-ch
 * ```
 */
public sealed interface ReceiveChan<out T> {
    /**
     * Receives the next value, suspending until one is available.
     *
     * @throws kotlinx.coroutines.channels.ClosedReceiveChannelException if the channel is
     *   closed and drained.
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended; no value is
     *   taken.
     */
    public suspend fun receive(): T

    /**
     * Receives the next value or learns that the channel is closed and drained: Go's
     * `v, ok := <-ch`. Suspends until one of the two happens; never throws for a closed channel.
     *
     * @throws kotlinx.coroutines.CancellationException if cancelled while suspended.
     */
    public suspend fun receiveOk(): Received<T>

    /**
     * Receives without suspending: Go's `select` with a `default`.
     *
     * While a concurrent send is mid-way (it has reserved a slot but not stored its value),
     * this may answer `null` for that value; see [SendChan.trySend]. Nothing is lost.
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
 * A Go channel: both [SendChan] and [ReceiveChan]. Made by [chan].
 *
 * A `Chan` is safe to share between any number of coroutines and threads. Use it where a
 * `SendChan` or `ReceiveChan` is expected to hand out only one direction, as Go's directional
 * channel types do.
 */
public sealed interface Chan<T> : SendChan<T>, ReceiveChan<T> {
    override val cap: Int
    override val len: Int
}

/**
 * Iterator over a [ReceiveChan]; used by `for (v in ch)` inside a coroutine.
 */
public interface ChanIterator<out T> {
    /**
     * Suspends until a value is available (`true`) or the channel is closed and drained
     * (`false`).
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
 * rendezvous. A positive capacity makes a buffered channel that holds up to `capacity` values;
 * `Int.MAX_VALUE` makes it unbounded.
 *
 * @throws IllegalArgumentException if [capacity] is negative.
 */
public fun <T> chan(capacity: Int = 0): Chan<T> {
    require(capacity >= 0) { "capacity must be >= 0, but was $capacity" }
    return ChanImpl(capacity)
}

/**
 * A nil channel: Go's `var ch chan T`. Send and receive on it suspend until cancelled, its
 * cases in [select] never fire, and [SendChan.close] fails with [IllegalStateException]. Use it to switch a case of a
 * select off, Go's idiom, or use the `enabled` flag of each select clause.
 */
public fun <T> nilChan(): Chan<T> {
    @Suppress("UNCHECKED_CAST")
    return NilChan as Chan<T>
}
