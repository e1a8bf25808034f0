package dev.conduit.java.sync

import dev.conduit.java.Go
import dev.conduit.java.internal.Bridge
import dev.conduit.java.internal.GoThreads
import dev.conduit.sync.Once
import dev.conduit.sync.OnceValue
import kotlinx.coroutines.runInterruptible
import java.util.concurrent.Callable

/**
 * [Once] and [OnceValue] for Java. The Java action runs on a goroutine thread while the caller
 * blocks, so a caller that had to wait never runs it on a thread it does not own.
 */
public object Onces {
    /**
     * Runs [task] if no call on [once] has run an action yet; otherwise returns once the running
     * call (if any) has finished.
     *
     * @throws Exception what [task] throws, to the caller that ran it only
     * @throws InterruptedException if interrupted while waiting
     */
    @JvmStatic
    @Throws(Exception::class)
    public fun run(once: Once, task: Go.Task) {
        Bridge.callBlocking { once.run { runInterruptible(GoThreads.dispatcher) { task.run() } } }
    }

    /** A [OnceValue] whose value [compute] makes, on a goroutine thread, on the first [get]. */
    @JvmStatic
    public fun <T> value(compute: Callable<T>): OnceValue<T> =
        OnceValue { runInterruptible(GoThreads.dispatcher) { compute.call() } }

    /**
     * The value of [value], computing it first if no call has; blocks while it is computed.
     *
     * @throws Exception the exception the computation threw, on this and every later call
     * @throws InterruptedException if interrupted while waiting
     */
    @JvmStatic
    @Throws(Exception::class)
    public fun <T> get(value: OnceValue<T>): T = Bridge.callBlocking { value.get() }
}
