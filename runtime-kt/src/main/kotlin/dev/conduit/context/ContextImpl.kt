package dev.conduit.context

import dev.conduit.Clock
import dev.conduit.GoRuntime
import dev.conduit.Stoppable
import dev.conduit.chan.ChanImpl
import dev.conduit.chan.NilChan
import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.nilChan
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.launch
import java.time.Instant

/** Something to tell when a context is done: a child context or a callback. */
internal fun interface Canceler {
    fun cancel(removeFromParent: Boolean, err: ContextException, cause: Throwable?)
}

/**
 * Registers [canceler] to be called when this context is done, at once if it already is, as
 * Go's `propagateCancel` does:
 * - a Conduit context, or one that leads to a Conduit cancelable context through [Context.value]
 *   and shares its [Context.done] channel (a wrapper that delegates, as Go code embeds a
 *   context), registers [canceler] as its child: cancelled synchronously, before `cancel()`
 *   returns;
 * - an [AfterFuncContext] is asked to run [canceler] through its own [AfterFuncContext.afterFunc];
 * - any other context is watched by a goroutine waiting on its [Context.done], so its children
 *   learn of its end a moment after it.
 *
 * @return a handle that unregisters [canceler]; `true` if it was still registered.
 */
internal fun Context.onDone(canceler: Canceler): Stoppable {
    if (done === NilChan) return Stoppable { false }
    val source = nearestCancelCtx()
    if (source != null) return source.addChild(canceler)
    val watched = this
    val notify = Runnable { canceler.cancel(false, watched.err ?: ContextCanceledException(), watched.cause) }
    if (this is AfterFuncContext) return afterFunc(notify)
    val watcher = GoRuntime.scope.launch(start = CoroutineStart.UNDISPATCHED) {
        watched.done.receiveOk()
        notify.run()
    }
    return Stoppable {
        val wasActive = watcher.isActive
        watcher.cancel()
        wasActive
    }
}

/** The key a [CancelCtx] answers [Context.value] with itself for: Go's `&cancelCtxKey`. */
internal object CancelCtxKey

/**
 * The Conduit cancelable context this one is, or delegates to: Go's `parentCancelCtx`. Found
 * through [Context.value] ([CancelCtxKey]), and only if this context's [Context.done] is that
 * context's own channel (a wrapper with a done channel of its own is not the same context).
 */
private fun Context.nearestCancelCtx(): CancelCtx? {
    if (this is CancelCtx) return this
    val found = value(CancelCtxKey) as? CancelCtx ?: return null
    return if (found.done === done) found else null
}

/** Background and TODO: never done, no values. */
internal class EmptyContext(private val name: String, override val clock: Clock) : Context {
    override val deadline: Instant? get() = null
    override val done: ReceiveChan<Nothing> get() = nilChan()
    override val err: ContextException? get() = null
    override fun value(key: Any): Any? = null
    override fun toString(): String = name
}

internal class ValueCtx(val parent: Context, private val key: Any, private val stored: Any?) : Context {
    override val deadline: Instant? get() = parent.deadline
    override val done: ReceiveChan<Nothing> get() = parent.done
    override val err: ContextException? get() = parent.err
    override val cause: Throwable? get() = parent.cause
    override val clock: Clock get() = parent.clock
    override fun value(key: Any): Any? = if (key === CancelCtxKey || key != this.key) parent.value(key) else stored
    override fun toString(): String = "$parent.WithValue($key, $stored)"
}

internal class WithoutCancelCtx(private val parent: Context) : Context {
    override val deadline: Instant? get() = null
    override val done: ReceiveChan<Nothing> get() = nilChan()
    override val err: ContextException? get() = null
    override val cause: Throwable? get() = null
    override val clock: Clock get() = parent.clock
    override fun value(key: Any): Any? = if (key === CancelCtxKey) null else parent.value(key)
    override fun toString(): String = "$parent.WithoutCancel"
}

/** Go's cancelCtx: a done channel made lazily, a set of children, the first error wins. */
internal open class CancelCtx(val parent: Context) : CancelContext, Canceler {
    private val lock = Any()

    @Volatile
    private var doneChan: ChanImpl<Nothing>? = null

    @Volatile
    private var error: ContextException? = null
    private var why: Throwable? = null
    private var children: LinkedHashSet<Canceler>? = null
    private var registration: Stoppable? = null

    /** Links this context to its parent; call once, right after construction. */
    fun attach() {
        val r = parent.onDone(this)
        synchronized(lock) { if (error == null) registration = r }
    }

    override val deadline: Instant? get() = parent.deadline
    override val clock: Clock get() = parent.clock

    /**
     * Cancel sets the error first and closes [done] after, outside the lock (closing runs
     * waiters inline, and they read the error). A reader that finds the error closes done
     * itself if the canceller has not got that far, so once [err] is non-null, done is closed;
     * and done is never closed before the error is set. Go's `Err` gets the same two promises
     * from reading under its mutex.
     */
    override val err: ContextException?
        get() {
            val e = error ?: return null
            closeDone()
            return e
        }

    override val cause: Throwable? get() = if (err == null) null else synchronized(lock) { why }
    override fun value(key: Any): Any? = if (key === CancelCtxKey) this else parent.value(key)

    override val done: ReceiveChan<Nothing>
        get() {
            doneChan?.let { return it }
            synchronized(lock) {
                doneChan?.let { return it }
                return ChanImpl<Nothing>(0).also {
                    doneChan = it
                    if (error != null) it.closeIfOpen()
                }
            }
        }

    private fun closeDone() {
        (done as ChanImpl<Nothing>).closeIfOpen()
    }

    override fun cancel(cause: Throwable?) {
        cancel(true, ContextCanceledException(cause), cause)
    }

    override fun cancel(removeFromParent: Boolean, err: ContextException, cause: Throwable?) {
        var kids: Collection<Canceler>? = null
        var parentLink: Stoppable? = null
        val first = synchronized(lock) {
            if (error != null) return@synchronized false
            why = cause ?: err
            error = err
            kids = children
            children = null
            parentLink = registration
            registration = null
            true
        }
        // Also when already cancelled: a cancel returns only once done is closed, even if the
        // first canceller is still on its way to closing it.
        closeDone()
        if (!first) return
        kids?.forEach { it.cancel(false, err, cause ?: err) }
        if (removeFromParent) parentLink?.stop()
        onCanceled()
    }

    /** Releases what a subclass holds (a timer, a job handle); called once, after cancel. */
    protected open fun onCanceled() {}

    fun addChild(child: Canceler): Stoppable {
        val err: ContextException
        val cause: Throwable?
        synchronized(lock) {
            val e = error
            if (e == null) {
                (children ?: LinkedHashSet<Canceler>().also { children = it }).add(child)
                return Stoppable { removeChild(child) }
            }
            err = e
            cause = why
        }
        closeDone() // as in cancel: nobody learns of the cancellation before done is closed
        child.cancel(false, err, cause)
        return Stoppable { false }
    }

    private fun removeChild(child: Canceler): Boolean = synchronized(lock) { children?.remove(child) ?: false }

    override fun toString(): String = "$parent.WithCancel"
}

/**
 * Go's timerCtx: a cancelCtx that its clock cancels at [deadline], with [deadlineCause] as its
 * cause then (null: the [DeadlineExceededException] itself).
 */
/** The longest wait, in whole seconds, that a timer counting nanoseconds in a `Long` can schedule. */
private const val MAX_TIMER_SECONDS = Long.MAX_VALUE / 1_000_000_000

internal class TimerCtx(parent: Context, override val deadline: Instant, private val deadlineCause: Throwable?) : CancelCtx(parent) {
    @Volatile
    private var timer: Stoppable? = null

    override fun onCanceled() {
        timer?.stop()
    }

    init {
        val c = parent.clock
        val left = java.time.Duration.between(c.now(), deadline)
        if (left.isNegative || left.isZero) {
            cancel(false, DeadlineExceededException(), deadlineCause)
        } else if (left.seconds < MAX_TIMER_SECONDS) {
            // A deadline more than ~292 years away (past what a nanosecond timer can count) never fires.
            val nanos = left.toNanos()
            timer = c.schedule(nanos) { cancel(true, DeadlineExceededException(), deadlineCause) }
            if (err != null) timer?.stop()
        }
    }

    override fun toString(): String = "$parent.WithDeadline($deadline)"
}
