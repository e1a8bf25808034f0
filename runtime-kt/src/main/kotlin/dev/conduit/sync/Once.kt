package dev.conduit.sync

import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/**
 * Go's `sync.Once`: runs an action exactly once, however many coroutines call [run] and however
 * concurrently. Callers that arrive while the first one runs it wait until it has finished.
 *
 * If the action throws, the exception reaches the caller that ran it and the action still
 * counts as done: later calls return at once without running it (Go's rule). If the caller
 * running it is cancelled, it does not count as done, and the next caller runs it.
 *
 * Thread-safe. [run] suspends while another caller runs the action.
 */
public class Once {
    private val mutex = Mutex()

    @Volatile
    private var finished = false

    /** Whether the action has run (or failed). Never blocks. */
    public val isDone: Boolean get() = finished

    /**
     * Runs [action] if no call has run one yet; otherwise returns at once (or after the running
     * call finishes).
     *
     * @throws Throwable what [action] throws, to the caller that ran it only.
     */
    public suspend fun run(action: suspend () -> Unit) {
        if (finished) return
        mutex.withLock {
            if (finished) return
            try {
                action()
                finished = true
            } catch (e: kotlinx.coroutines.CancellationException) {
                throw e
            } catch (e: Throwable) {
                finished = true
                throw e
            }
        }
    }
}

/**
 * Go's `sync.OnceValue`: computes a value once, on the first [get], and returns it to every
 * caller after. If the computation throws, every [get] throws that same exception. A
 * computation cut short by its caller's cancellation is not kept: the next [get] computes.
 *
 * Thread-safe. [get] suspends while another caller computes.
 */
public class OnceValue<T>(private val compute: suspend () -> T) {
    private val once = Once()

    @Volatile
    private var outcome: Result<T>? = null

    /**
     * The value, computing it first if no call has.
     *
     * @throws Throwable the exception the computation threw, on this and every later call.
     */
    public suspend fun get(): T {
        outcome?.let { return it.getOrThrow() }
        once.run { outcome = runCatching { compute() }.onFailure { if (it is kotlinx.coroutines.CancellationException) throw it } }
        return outcome!!.getOrThrow()
    }
}
